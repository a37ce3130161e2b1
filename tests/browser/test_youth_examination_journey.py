"""An Untersuchungsberechtigungsschein for Mia, 15, applied for by her mother in a real browser without
JavaScript.

Erika Mustermann logs in with the eID (the demo identity provider, real SAML) and is found in the residents'
register (the demo register, its own HTTP service). Of her household only the children of 14 to 17 are
offered; she chooses Mia and a first examination, tries a job start too far ahead (the error summary), then
gives one eight months ahead and creates the voucher on the check page. She downloads the sealed voucher and
the questionnaire. axe-core checks every page of ours.
"""

import re
import subprocess
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from amtsweg.applications.services import form_definitions_load
from amtsweg.core.dates import add_months
from amtsweg.documents.models import SealedDocument

from .conftest import assert_accessible, log_in_with_eid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser, settings, tmp_path, live_server, demo_register):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"  # the demo SAML keys and the demo seal's key
    settings.PORTAL = {**settings.PORTAL, "base_url": live_server.url}
    context = browser.new_context(
        java_script_enabled=False, locale="de-DE", viewport={"width": 390, "height": 844}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def download(page, link_name: str) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def fill_date(page, legend: str, day) -> None:
    group = page.get_by_role("group", name=re.compile(legend))
    group.get_by_label("Tag").fill(str(day.day))
    group.get_by_label("Monat").fill(str(day.month))
    group.get_by_label("Jahr").fill(str(day.year))


def test_a_mother_gets_the_examination_voucher_for_her_15_year_old_daughter(citizen, live_server, kassel):
    form_definitions_load()
    page = citizen
    page.goto(live_server.url + "/leistungen/untersuchungsberechtigungsschein/")
    page.get_by_role("button", name="Jetzt starten").click()  # the service page's start link
    expect(page.get_by_role("heading", level=1)).to_have_text("Untersuchungsberechtigungsschein")
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt starten").click()
    log_in_with_eid(page, "Erika Mustermann")

    page.get_by_role("button", name="Jetzt starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Für wen ist der Berechtigungsschein?")
    expect(page.get_by_label(re.compile("^Mia Sophie Mustermann, geboren am"))).to_be_visible()
    expect(page.get_by_label(re.compile("^Erika Mustermann"))).to_have_count(0)  # adults are not offered
    assert_accessible(page)
    page.get_by_label(re.compile("^Mia Sophie Mustermann")).check()
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welche Untersuchung steht an?")
    page.get_by_label(re.compile("^Erstuntersuchung")).check()
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Die Ausbildung oder Arbeit")
    fill_date(page, "Wann beginnt", add_months(timezone.localdate(), 20))
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("link", name=re.compile("höchstens 14 Monate zurückliegen"))).to_be_visible()
    assert_accessible(page)
    fill_date(page, "Wann beginnt", add_months(timezone.localdate(), 8))
    page.get_by_label(re.compile("^Bei wem")).fill("Tischlerei Holz")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Angaben prüfen")
    expect(page.get_by_text("Mia Sophie Mustermann (Ihr Kind)")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Untersuchungsberechtigungsschein erstellen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Untersuchungsberechtigungsschein ist fertig")
    document = SealedDocument.objects.get()
    expect(page.get_by_text(document.number)).to_be_visible()
    assert_accessible(page)
    name, pdf = download(page, "Untersuchungsberechtigungsschein herunterladen (PDF)")
    assert name == f"{document.number}.pdf" and pdf.startswith(b"%PDF-")
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "Mia Sophie" in text and "Erstuntersuchung" in text and "Tischlerei Holz" in text
    name, questionnaire = download(page, "Erhebungsbogen für die Arztpraxis herunterladen (PDF)")
    assert name == "erhebungsbogen.pdf" and questionnaire.startswith(b"%PDF-")

    page.get_by_role("link", name=re.compile("pruefen")).click()
    expect(page.get_by_text("Dieses Dokument ist echt")).to_be_visible()
    assert_accessible(page)
