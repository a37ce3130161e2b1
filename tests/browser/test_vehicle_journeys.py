"""The four i-Kfz services in a real browser without JavaScript (docstring to come)."""

import datetime
import io
import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import expect

from amtsweg.applications.services import form_definitions_load
from amtsweg.core import dates
from amtsweg.vehicles.constants import PROVISIONAL_PROOF_DAYS

from .conftest import assert_accessible, log_in_with_eid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser, settings, tmp_path, live_server, demo_vehicle_registry):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"
    settings.PORTAL = {**settings.PORTAL, "base_url": live_server.url}
    context = browser.new_context(
        java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def heading(page, text: str) -> None:
    """The page's heading is ``text``; axe-core finds nothing on it."""
    expect(page.get_by_role("heading", level=1)).to_have_text(text)
    assert_accessible(page)


def press(page, name: str = "Weiter") -> None:
    page.get_by_role("button", name=name, exact=True).click()


def download(page, link_name) -> tuple[str, bytes]:
    with page.expect_download() as info:
        page.get_by_role("link", name=link_name).click()
    return info.value.suggested_filename, Path(info.value.path()).read_bytes()


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, its white space folded."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


def check_and_pay(page, total: str) -> None:
    """Confirm the answers on the check page, send them and pay the fee through the demo payment provider."""
    expect(page.get_by_role("heading", level=1)).to_have_text("Prüfen Sie Ihre Angaben, bevor Sie den Antrag absenden")
    expect(page.get_by_role("table", name="Gebühren")).to_contain_text(f"Summe {total}")
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    press(page, "Antrag absenden")
    heading(page, "Gebühr bezahlen")
    page.get_by_label("Kredit- oder Debitkarte").check()
    press(page, "Jetzt bezahlen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo-Zahlungsanbieter")
    page.get_by_label("Die Zahlung klappt", exact=True).check()
    press(page, "Bestätigen")


def seal_validates(pdf: bytes, settings) -> bool:
    """Whether the PDF's one seal is intact, valid and trusted against the demo seal's certificate."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    [signature] = PdfFileReader(io.BytesIO(pdf)).embedded_signatures
    root = load_cert_from_pemder(str(settings.VAR_DIR / "documents" / "demo-seal.crt"))
    # pyHanko's synchronous validator runs its own event loop: not in this thread, where Playwright's runs.
    with ThreadPoolExecutor(max_workers=1) as pool:
        status = pool.submit(validate_pdf_signature, signature, ValidationContext(trust_roots=[root])).result()
    return bool(status.bottom_line and status.intact and status.valid and status.trusted)


def start(page, live_server, slug: str, title: str, person: str = "Erika Mustermann") -> None:
    """From the service's page in the catalogue, through the eID login, to the form's first step."""
    page.goto(f"{live_server.url}/leistungen/{slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    assert_accessible(page)
    press(page, "Jetzt starten")
    press(page, "Jetzt starten")
    log_in_with_eid(page, person)
    press(page, "Jetzt starten")


def test_reregistering_a_vehicle_from_before_2015_is_refused_with_the_reason_before_any_code(
    citizen, live_server, kassel, demo_vehicle_registry
):
    form_definitions_load()
    page = citizen
    start(page, live_server, "kfz-wiederzulassung", "Fahrzeug wieder zulassen")

    # Name, birth date and address from the eID, locked.
    heading(page, "Ihre Angaben als Halterin oder Halter")
    name = page.get_by_role("group", name=re.compile("^Ihr Name"))
    expect(name.get_by_label("Familienname")).to_have_value("Mustermann")
    expect(name.get_by_label("Familienname")).not_to_be_editable()
    press(page)

    # Erika's Ford Fiesta V-0003, last registered in 2012: its documents carry no security codes.
    heading(page, "Ihr Fahrzeug")
    page.get_by_label("Fahrzeug-Identifizierungsnummer (FIN)").fill("WF0DXXGAKD9A12003")
    page.get_by_label("Nummer der Zulassungsbescheinigung Teil II").fill("EM2012003")
    press(page)

    reason = "Dieses Fahrzeug wurde zuletzt vor dem 1. Januar 2015 zugelassen."
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Fahrzeug")
    expect(page.get_by_role("alert")).to_contain_text(reason)
    expect(page.get_by_role("alert")).to_contain_text("Sie können den Antrag nur in einer Zulassungsstelle stellen")
    assert_accessible(page)
    # The answers are kept, and the form goes no further: no code was asked, nothing reached the registry.
    expect(page.get_by_label("Fahrzeug-Identifizierungsnummer (FIN)")).to_have_value("WF0DXXGAKD9A12003")
    press(page)
    expect(page.get_by_role("alert")).to_contain_text(reason)
    assert page.url.endswith("/schritt/vehicle/")
    # Nor can the warning before the codes be reached by its address: the form leads back to the vehicle.
    page.goto(f"{live_server.url}/antrag/kfz-wiederzulassung/schritt/codes_warning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Fahrzeug")
    assert page.url.endswith("/schritt/vehicle/")
    assert json.loads(demo_vehicle_registry.read_text())["applications"] == {}


def test_deregistering_erikas_golf_with_the_codes_and_the_fee_ends_in_the_decision_and_its_confirmation(
    citizen, live_server, kassel, demo_vehicle_registry_server
):
    form_definitions_load()
    page = citizen
    start(page, live_server, "kfz-ausserbetriebsetzung", "Fahrzeug abmelden (Außerbetriebsetzung)")

    heading(page, "Ihre Angaben als Halterin oder Halter")
    address = page.get_by_role("group", name=re.compile("^Ihre Adresse"))
    expect(address.get_by_label("Postleitzahl")).to_have_value("34117")
    expect(address.get_by_label("Postleitzahl")).not_to_be_editable()
    press(page)

    # Her Golf V-0001, found at the registry by its plate and VIN.
    heading(page, "Ihr Fahrzeug")
    page.get_by_label("Kennzeichen").fill("KS-EM 812")
    page.get_by_label("Fahrzeug-Identifizierungsnummer (FIN)").fill("WVWZZZ1KZ9W812001")
    press(page)

    heading(page, "Möchten Sie Ihr Kennzeichen für später reservieren?")
    page.get_by_label("Ja").check()
    press(page)

    # Scrapped: the certificate of destruction is asked for.
    heading(page, "Haben Sie das Fahrzeug verschrotten lassen?")
    page.get_by_label("Ja").check()
    press(page)
    heading(page, "Verwertungsnachweis")
    recycled = page.get_by_role("group", name="Datum des Verwertungsnachweises")
    recycled.get_by_label("Tag").fill("2")
    recycled.get_by_label("Monat").fill("3")
    recycled.get_by_label("Jahr").fill("2026")
    page.get_by_label("Betriebsnummer des Demontagebetriebs").fill("DE-4711-0815")
    press(page)

    heading(page, "Wie erreichen wir Sie?")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    press(page)

    # Everything else is checked; the page warns before the codes are uncovered and asks for the citizen's yes.
    heading(page, "Bevor Sie die Sicherheitscodes freilegen")
    warning = "Danach ist die Zulassungsbescheinigung Teil I nicht mehr gültig, und die Kennzeichen gelten als"
    expect(page.get_by_text(re.compile(warning))).to_be_visible()
    press(page)
    expect(page).to_have_title(re.compile("^Fehler:"))
    assert_accessible(page)
    page.get_by_label("Ich habe das verstanden und lege die Codes jetzt frei.").check()
    press(page)

    heading(page, "Sicherheitscode der Zulassungsbescheinigung Teil I")
    page.get_by_label("Sicherheitscode der Zulassungsbescheinigung Teil I").fill("K4mT7pX")
    press(page)

    # The plate seals' codes: a capital I is never in one, and the message says what it probably is.
    heading(page, "Sicherheitscodes der Plaketten")
    page.get_by_label("Code der Plakette auf dem vorderen Kennzeichen").fill("a7K")
    page.get_by_label("Code der Plakette auf dem hinteren Kennzeichen").fill("Rt3I")
    press(page)
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_contain_text("Sicherheitscodes enthalten nie ein großes I")
    assert_accessible(page)
    page.get_by_label("Code der Plakette auf dem hinteren Kennzeichen").fill("Rt3")
    press(page)

    # 2,10 € for the deregistration and 2,60 € for the reservation, paid online before it is sent.
    expect(page.get_by_role("table", name="Gebühren")).to_contain_text("Kennzeichen reservieren (freiwillig)")
    check_and_pay(page, "4,70 €")

    # Sent at once after the payment: the confirmation page shows the registry's decision.
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    decision = page.locator("[data-vehicle-decision=deregistered]")
    expect(decision.get_by_role("heading")).to_have_text("Ihr Fahrzeug ist außer Betrieb gesetzt")
    expect(decision).to_contain_text("Das Fahrzeug mit dem Kennzeichen KS-EM 812 wurde am")
    reserved = r"Das Kennzeichen KS-EM 812 ist bis \d+\.\d+\.\d{4} für Sie reserviert"
    expect(decision).to_contain_text(re.compile(reserved))
    assert_accessible(page)
    reference = page.get_by_text(re.compile(r"^KS-\d{4}-\d{6}-\d$")).first.inner_text()
    name, pdf = download(page, "Bestätigung der Außerbetriebsetzung herunterladen (PDF)")
    assert name == f"ausserbetriebsetzung-{reference}.pdf" and pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert "Bestätigung der Außerbetriebsetzung" in text and "KS-EM 812" in text
    assert "WVWZZZ1KZ9W812001" in text and "Erika Mustermann" in text
    assert re.search(r"Das Kennzeichen KS-EM 812 ist bis \d\d\.\d\d\.\d{4} für Sie reserviert", text)
    assert "Verwertungsnachweis vom 02.03.2026, Demontagebetrieb Nr. DE-4711-0815" in text
    assert "K4mT7pX" not in text  # no security code on a document

    # The registry took it off the road and reserved the plate.
    assert demo_vehicle_registry_server.read()["vehicles"]["V-0001"]["status"] == "off_road"

    # The status page says the same, with the same document.
    page.get_by_role("link", name="Stand Ihres Antrags ansehen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stand Ihres Antrags")
    expect(page.locator("[data-status]")).to_have_text("Außer Betrieb gesetzt")
    expect(page.locator("[data-vehicle-decision=deregistered]")).to_be_visible()
    assert_accessible(page)
    _, again = download(page, "Bestätigung der Außerbetriebsetzung herunterladen (PDF)")
    assert again == pdf


def test_registering_a_new_vehicle_with_a_personalised_number_and_sepa_ends_in_a_sealed_provisional_proof(
    citizen, live_server, kassel, demo_vehicle_registry_server, settings
):
    form_definitions_load()
    page = citizen
    start(page, live_server, "kfz-neuzulassung", "Fahrzeug zulassen (Neuzulassung)")
    heading(page, "Ihre Angaben als Halterin oder Halter")
    press(page)

    # The new Volkswagen ID.3 V-0005, found by its VIN and the number of its registration certificate part II.
    heading(page, "Ihr Fahrzeug")
    page.get_by_label("Fahrzeug-Identifizierungsnummer (FIN)").fill("WVWZZZE1ZRP050005")
    page.get_by_label("Nummer der Zulassungsbescheinigung Teil II").fill("NZ2026005")
    press(page)

    # The register knows its main inspection: the date may stay empty.
    heading(page, "Wann ist die nächste Hauptuntersuchung (HU) fällig? (freiwillig)")
    press(page)

    heading(page, "eVB-Nummer")
    page.get_by_label("eVB-Nummer").fill("K7M3N2P")
    press(page)

    heading(page, "Welches Kennzeichen möchten Sie?")
    page.get_by_label("Ein Wunschkennzeichen").check()
    press(page)

    # A number that is taken is refused at once; a free one is taken.
    heading(page, "Ihr Wunschkennzeichen")
    page.get_by_label("Ihr Wunschkennzeichen").fill("KS-AB 123")
    press(page)
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_contain_text("Dieses Kennzeichen ist nicht frei")
    assert_accessible(page)
    page.get_by_label("Ihr Wunschkennzeichen").fill("KS-EM 2026")
    press(page)

    # The vehicle tax by SEPA direct debit from the keeper's own account.
    heading(page, "Kfz-Steuer")
    page.get_by_label("IBAN für die Kfz-Steuer").fill("DE89 3704 0044 0532 0130 00")
    page.get_by_label("Ja").check()
    press(page)
    heading(page, "SEPA-Lastschriftmandat für die Kfz-Steuer")
    page.get_by_label(re.compile("^Ich ermächtige das Hauptzollamt")).check()
    press(page)

    heading(page, "Wie erreichen wir Sie?")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    press(page)

    heading(page, "Bevor Sie den Sicherheitscode freilegen")
    page.get_by_label("Ich habe das verstanden und lege den Code jetzt frei.").check()
    press(page)
    heading(page, "Sicherheitscode der Zulassungsbescheinigung Teil II")
    page.get_by_label("Sicherheitscode der Zulassungsbescheinigung Teil II").fill("Fn6Tq2Xc8Hv6")
    press(page)

    # 12,80 € for the registration, 10,20 € for the personalised number and 2,60 € for its reservation.
    expect(page.get_by_role("table", name="Gebühren")).to_contain_text("Wunschkennzeichen")
    check_and_pay(page, "25,60 €")

    # Approved at once: the citizen may drive with the provisional proof.
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    decision = page.locator("[data-vehicle-decision=approved]")
    expect(decision.get_by_role("heading")).to_have_text("Sie dürfen ab sofort fahren")
    expect(decision).to_contain_text("KS-EM 2026")
    assert_accessible(page)
    reference = page.get_by_text(re.compile(r"^KS-\d{4}-\d{6}-\d$")).first.inner_text()
    name, pdf = download(page, "Vorläufigen Zulassungsnachweis mit Bescheid herunterladen (PDF)")
    assert name == f"zulassungsnachweis-{reference}.pdf" and pdf.startswith(b"%PDF-")
    assert seal_validates(pdf, settings)
    text = pdf_text(pdf)
    until = dates.today() + datetime.timedelta(days=PROVISIONAL_PROOF_DAYS)
    assert f"Gültig bis {until:%d.%m.%Y} (einschließlich)" in text
    assert "Vorläufiger Zulassungsnachweis" in text and "Bescheid über die Zulassung Ihres Fahrzeugs" in text
    assert "KS-EM 2026" in text and "WVWZZZE1ZRP050005" in text and "Erika Mustermann" in text
    assert "Fn6Tq2Xc8Hv6" not in text and "DE89" not in text
    # The registry has the personalised number and the account for the direct debit.
    [sent] = demo_vehicle_registry_server.read()["applications"].values()
    assert sent["outcome"] == "approved" and sent["plate"] == "KS-EM 2026" and sent["vehicle"] == "V-0005"
    assert sent["items"]["wish_plate"] == "KS-EM 2026" and sent["items"]["iban"] == "DE89370400440532013000"

    # Whoever is shown the proof follows the address printed beside its QR code and uploads the PDF there.
    check_url = re.search(r"http://[^/ ]+/pruefen/[0-9a-f-]{36}/", text).group(0)
    page.goto(check_url)
    expect(page.get_by_role("heading", level=1)).to_have_text("Dieses Dokument ist echt")
    assert_accessible(page)
    page.get_by_label("Die PDF-Datei des Dokuments oder sein Datensatz (JSON)").set_input_files(
        files=[{"name": name, "mimeType": "application/pdf", "buffer": pdf}]
    )
    press(page, "Datei prüfen")
    expect(page.get_by_role("heading", level=1)).to_have_text("Das Dokument ist echt und unverändert")
    expect(page.get_by_text(re.compile("^Gültig: gesiegelt von Stadt Kassel"))).to_be_visible()
    assert_accessible(page)
