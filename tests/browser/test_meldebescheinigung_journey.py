"""An instant electronic Meldebescheinigung for Erika Mustermann, in a real browser without JavaScript.

She logs in with the eID (the demo identity provider, real SAML), is found in the residents' register
(the demo register, its own HTTP service), chooses herself, a simple certificate as a PDF, and creates it
on the check page. She downloads the sealed PDF (whose seal pyHanko's validator accepts) and the § 18a
record, follows the check address the PDF names and uploads the PDF there: the page says it is genuine.
axe-core checks every page of ours.
"""

import io
import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import expect

from amtsweg.applications.services import form_definitions_load
from amtsweg.documents.models import SealedDocument

from .conftest import assert_accessible, log_in_with_eid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser, settings, tmp_path, live_server, demo_register):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"  # the demo SAML keys and the demo seal's key
    settings.PORTAL = {**settings.PORTAL, "base_url": live_server.url}  # the check address in the PDF
    context = browser.new_context(
        java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def download(page, link_name: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def test_an_instant_electronic_meldebescheinigung_that_the_check_page_calls_genuine(
    citizen, live_server, kassel, settings
):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    form_definitions_load()
    page = citizen
    page.goto(live_server.url + "/leistungen/meldebescheinigung/")
    page.get_by_role("button", name="Jetzt starten").click()  # the service page's start link
    expect(page.get_by_role("heading", level=1)).to_have_text("Meldebescheinigung")
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt starten").click()
    log_in_with_eid(page, "Erika Mustermann")

    # Back at the service with the eID at level "high": who is it for, as the register says.
    page.get_by_role("button", name="Jetzt starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Für wen ist die Meldebescheinigung?")
    expect(page.get_by_label("Erika Mustermann (Sie selbst)")).to_be_visible()
    expect(page.get_by_label(re.compile("^Leon Mustermann, geboren am"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()  # nothing chosen: the error summary
    expect(page).to_have_title(re.compile("^Fehler:"))
    assert_accessible(page)
    page.get_by_label("Erika Mustermann (Sie selbst)").check()
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Die Bescheinigung")
    page.get_by_label(re.compile("^Einfach")).check()
    page.get_by_label(re.compile("^Elektronisch als PDF")).check()
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Angaben prüfen")
    expect(page.get_by_text("Erika Mustermann (Sie selbst)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Meldebescheinigung erstellen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Meldebescheinigung ist fertig")
    document = SealedDocument.objects.get()
    expect(page.get_by_text(document.number)).to_be_visible()
    assert_accessible(page)
    name, pdf = download(page, "Meldebescheinigung herunterladen (PDF)")
    assert name == f"{document.number}.pdf" and pdf.startswith(b"%PDF-")
    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    root = load_cert_from_pemder(str(settings.VAR_DIR / "documents" / "demo-seal.crt"))
    # pyHanko's synchronous validator runs its own event loop: not in this thread, where Playwright's runs.
    with ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(validate_pdf_signature, signature, ValidationContext(trust_roots=[root])).result()
    assert status.bottom_line and status.intact and status.valid and status.trusted
    name, record = download(page, "Datensatz herunterladen (JSON)")
    assert name == f"{document.number}.json"
    assert json.loads(record)["daten"][0] == {"dsmeld": "0101", "bezeichnung": "Familienname", "wert": "Mustermann"}

    # Whoever receives the PDF follows the address printed beside its QR code.
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    check_url = re.search(r"http://[^/]+/pruefen/[0-9a-f-]{36}/", "".join(text.split())).group(0)
    page.goto(check_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dieses Dokument ist echt")
    expect(page.get_by_text(document.number)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Die PDF-Datei des Dokuments oder sein Datensatz (JSON)").set_input_files(
        files=[{"name": "meldebescheinigung.pdf", "mimeType": "application/pdf", "buffer": pdf}]
    )
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Das Dokument ist echt und unverändert")
    expect(page.get_by_text(re.compile("^Gültig: gesiegelt von Stadt Kassel"))).to_be_visible()
    assert_accessible(page)
