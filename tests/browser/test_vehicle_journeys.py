"""The four i-Kfz services in a real browser without JavaScript, as the issue's proof asks: Erika Mustermann logs
in with the eID (the demo identity provider, real SAML); the demo vehicle registry (its own HTTP service, its
vehicles in ``vehicles/ikfz/contrib/demo/seed.py``) checks each vehicle on its step and decides when the
application is sent, right after the fee is paid through the demo payment provider.

1. Außerbetriebsetzung of her Golf (V-0001, KS-EM 812): every step, the warning before the codes, the codes,
   the fee, the decision on the confirmation and status pages with the sealed confirmation PDF.
2. Neuzulassung of a new ID.3 (V-0005) with the personalised number KS-EM 2026 and a SEPA mandate: the
   provisional proof PDF, whose seal pyHanko validates and which the check page (/pruefen/) calls genuine.
3. Umschreibung: she takes over Max Mustermann's BMW (V-0006) with its plate; the decision and the proof.
4. Wiederzulassung of her Fiesta from 2012 (V-0003): refused with the reason on the vehicle step, before any code.
5. The registry refers a change of address of her Škoda (V-0004) to staff: a clerk of the Kfz-Zulassung approves
   it on the case page and marks the documents as posted in the dispatch queue; the citizen sees both.

axe-core checks every page of ours, those with an error included.
"""

import datetime
import io
import json
import re
import subprocess
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from playwright.sync_api import expect

from amtsweg.applications.models import Submission
from amtsweg.applications.services import form_definitions_load
from amtsweg.catalogue.models import Department
from amtsweg.core import dates
from amtsweg.vehicles.constants import PROVISIONAL_PROOF_DAYS
from tests.accounts.factories import StaffFactory

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
    heading(page, "Demo-Zahlungsanbieter")
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


def start(page, live_server, slug: str, title: str, *, check_login: bool = False) -> None:
    """From the service's page in the catalogue, through the form's start page and Erika's eID login, to the
    form's first step (``check_login``: axe-core on the login pages too)."""
    page.goto(f"{live_server.url}/leistungen/{slug}/")
    heading(page, title)
    press(page, "Jetzt starten")
    heading(page, title)  # the form's start page: what it asks for, the fees
    press(page, "Jetzt starten")
    log_in_with_eid(page, "Erika Mustermann", check_pages=check_login)
    press(page, "Jetzt starten")


def staff_log_in(browser, live_server, username: str):
    """A back-office page, with JavaScript, logged in as ``username`` (password of the StaffFactory)."""
    context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    staff = context.new_page()
    staff.goto(live_server.url + "/intern/")
    staff.get_by_label("Benutzername").fill(username)
    staff.get_by_label("Passwort").fill("correct-horse-battery")
    staff.get_by_role("button", name="Anmelden").click()
    return staff


def test_deregistering_erikas_golf_with_the_codes_and_the_fee_ends_in_the_decision_and_its_confirmation(
    citizen, live_server, kassel, demo_vehicle_registry_server
):
    form_definitions_load()
    page = citizen
    start(page, live_server, "kfz-ausserbetriebsetzung", "Fahrzeug abmelden (Außerbetriebsetzung)", check_login=True)

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
    # (Joined without white space: the address may wrap in the PDF, as its port and UUID vary in length.)
    check_url = re.search(r"http://[^/]+/pruefen/[0-9a-f-]{36}/", "".join(text.split())).group(0)
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


def test_taking_over_max_mustermanns_car_with_its_plate_ends_in_the_decision(
    citizen, live_server, kassel, demo_vehicle_registry_server
):
    form_definitions_load()
    page = citizen
    start(page, live_server, "kfz-umschreibung", "Fahrzeug umschreiben")
    heading(page, "Ihre Angaben als Halterin oder Halter")
    press(page)

    heading(page, "Was hat sich geändert?")
    page.get_by_label("Ich habe ein zugelassenes Fahrzeug gekauft oder übernommen").check()
    press(page)

    # Max Mustermann's BMW V-0006: the registry lists him as its keeper, so Erika may take it over.
    heading(page, "Das Fahrzeug")
    page.get_by_label("Kennzeichen").fill("KS-MM 314")
    page.get_by_label("Fahrzeug-Identifizierungsnummer (FIN)").fill("WBA7K31070V314006")
    page.get_by_label("Nummer der Zulassungsbescheinigung Teil II").fill("MM3140006")
    press(page)

    heading(page, "Wann ist die nächste Hauptuntersuchung (HU) fällig? (freiwillig)")
    press(page)
    heading(page, "eVB-Nummer")
    page.get_by_label("eVB-Nummer").fill("R4S8T6U")
    press(page)
    heading(page, "Möchten Sie das bisherige Kennzeichen behalten?")
    page.get_by_label("Ja").check()
    press(page)

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

    # A change of keeper needs the codes of both registration certificates.
    heading(page, "Bevor Sie die Sicherheitscodes freilegen")
    expect(
        page.get_by_text(re.compile("bei einem Halterwechsel auch den der Zulassungsbescheinigung Teil II"))
    ).to_be_visible()
    page.get_by_label("Ich habe das verstanden und lege die Codes jetzt frei.").check()
    press(page)
    heading(page, "Sicherheitscode der Zulassungsbescheinigung Teil I")
    page.get_by_label("Sicherheitscode der Zulassungsbescheinigung Teil I").fill("Mx3Rb8Q")
    press(page)
    heading(page, "Sicherheitscode der Zulassungsbescheinigung Teil II")
    page.get_by_label("Sicherheitscode der Zulassungsbescheinigung Teil II").fill("Jc5Vw9Nk3Rd9")
    press(page)

    expect(page.get_by_role("table", name="Gebühren")).to_contain_text("Halterwechsel im Bezirk, Kennzeichen bleibt")
    check_and_pay(page, "10,40 €")

    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    decision = page.locator("[data-vehicle-decision=approved]")
    expect(decision.get_by_role("heading")).to_have_text("Sie dürfen ab sofort fahren")
    expect(decision).to_contain_text("KS-MM 314")
    assert_accessible(page)
    _, pdf = download(page, "Vorläufigen Zulassungsnachweis mit Bescheid herunterladen (PDF)")
    text = pdf_text(pdf)
    assert "Vorläufiger Zulassungsnachweis" in text and "Bescheid über die Umschreibung Ihres Fahrzeugs" in text
    assert "KS-MM 314" in text and "WBA7K31070V314006" in text and "Halterin oder Halter Erika Mustermann" in text

    # The registry now lists Erika as the BMW's keeper, with the same plate.
    bmw = demo_vehicle_registry_server.read()["vehicles"]["V-0006"]
    assert bmw["keeper"]["given_names"] == "Erika" and bmw["plate"] == "KS-MM 314"

    page.get_by_role("link", name="Stand Ihres Antrags ansehen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stand Ihres Antrags")
    expect(page.locator("[data-status]")).to_have_text("Genehmigt: Die Unterlagen kommen per Post")
    expect(page.locator("[data-vehicle-decision=approved]")).to_be_visible()
    assert_accessible(page)


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
    # The answer stays on the page, and the form goes no further: no code was asked, nothing was sent.
    expect(page.get_by_label("Fahrzeug-Identifizierungsnummer (FIN)")).to_have_value("WF0DXXGAKD9A12003")
    press(page)
    expect(page.get_by_role("alert")).to_contain_text(reason)
    assert page.url.endswith("/schritt/vehicle/")
    # Nor can the warning before the codes be reached by its address: the form leads back to the vehicle.
    page.goto(f"{live_server.url}/antrag/kfz-wiederzulassung/schritt/codes_warning/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Fahrzeug")
    assert page.url.endswith("/schritt/vehicle/")
    assert json.loads(demo_vehicle_registry.read_text())["applications"] == {}


def test_the_registration_office_approves_a_referred_application_and_posts_its_documents(
    citizen, browser, live_server, kassel, demo_vehicle_registry_server
):
    form_definitions_load()
    page = citizen
    # Erika's Škoda V-0004, whose address changed within the district: the registry refers it to staff.
    start(page, live_server, "kfz-umschreibung", "Fahrzeug umschreiben")
    heading(page, "Ihre Angaben als Halterin oder Halter")
    press(page)
    heading(page, "Was hat sich geändert?")
    page.get_by_label("Ich bin innerhalb der Stadt oder des Landkreises Kassel umgezogen").check()
    press(page)
    heading(page, "Das Fahrzeug")
    page.get_by_label("Kennzeichen").fill("KS-EM 77")
    page.get_by_label("Fahrzeug-Identifizierungsnummer (FIN)").fill("TMBJJ7NE5J0770004")
    press(page)
    heading(page, "Wie erreichen wir Sie?")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    press(page)
    heading(page, "Bevor Sie die Sicherheitscodes freilegen")
    page.get_by_label("Ich habe das verstanden und lege die Codes jetzt frei.").check()
    press(page)
    heading(page, "Sicherheitscode der Zulassungsbescheinigung Teil I")
    page.get_by_label("Sicherheitscode der Zulassungsbescheinigung Teil I").fill("Wz5Hk9D")
    press(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Prüfen Sie Ihre Angaben, bevor Sie den Antrag absenden")
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    press(page, "Antrag absenden")

    # No fee for a change of address. The registry referred it: the citizen reads that the office checks it.
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    decision = page.locator("[data-vehicle-decision=review]")
    expect(decision.get_by_role("heading")).to_have_text("Die Zulassungsstelle prüft Ihren Antrag")
    expect(decision).to_contain_text("Sie müssen jetzt nichts tun.")
    assert_accessible(page)
    submission = Submission.objects.get()
    reference = submission.reference

    # A clerk of the Kfz-Zulassung finds it in the inbox, marked for a decision, and approves it on the case page.
    StaffFactory(username="kfz-karl", departments=[Department.objects.get(slug="kfz")])
    staff = staff_log_in(browser, live_server, "kfz-karl")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Posteingang")
    expect(staff.get_by_role("row", name=re.compile(reference))).to_contain_text("Fahrzeugregister: Entscheidung nötig")
    assert_accessible(staff)
    staff.get_by_role("link", name=reference, exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text(reference)
    expect(staff.locator("[data-registry-review]")).to_contain_text(
        "Das Fahrzeugregister hat diesen Antrag an Sie abgegeben"
    )
    expect(staff.locator("[data-registry-reasons]")).to_be_visible()
    expect(staff.get_by_text("plate_in_district")).to_have_count(0)  # the fee's count is no answer of hers
    assert_accessible(staff)
    staff.get_by_role("button", name="Antrag genehmigen").click()
    expect(staff.get_by_role("status")).to_contain_text("Der Antrag wurde genehmigt.")
    expect(staff.locator("[data-registry-state=approved]")).to_contain_text("Zu versenden")
    assert_accessible(staff)
    [sent] = demo_vehicle_registry_server.read()["applications"].values()
    assert sent["vehicle"] == "V-0004" and sent["outcome"] == "approved"

    # The citizen may drive now, with the proof; the registration certificate part I is still to be posted.
    page.reload()
    decision = page.locator("[data-vehicle-decision=approved]")
    expect(decision.get_by_role("heading")).to_have_text("Sie dürfen ab sofort fahren")
    # An address change keeps the plate and its seals: only the registration certificate part I is posted.
    expect(decision).to_contain_text("Die Zulassungsbescheinigung Teil I kommt in den nächsten Tagen per Post")
    expect(decision).to_contain_text("Stempelplaketten bleiben, wie sie sind")
    assert_accessible(page)
    _, pdf = download(page, "Vorläufigen Zulassungsnachweis mit Bescheid herunterladen (PDF)")
    assert "Bescheid über die Umschreibung Ihres Fahrzeugs" in pdf_text(pdf) and "KS-EM 77" in pdf_text(pdf)

    # The clerk posts the documents and marks them in the dispatch queue.
    staff.get_by_role("link", name="Kfz-Unterlagen zu versenden").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Kfz-Unterlagen zu versenden")
    row = staff.get_by_role("row", name=re.compile(reference))
    expect(row).to_contain_text("KS-EM 77")
    expect(row).to_contain_text("Friedrich-Ebert-Straße 12")
    assert_accessible(staff)
    staff.get_by_label(f"Versendet: {reference}").check()
    staff.get_by_role("button", name="Ausgewählte als versandt markieren").click()
    expect(staff.get_by_role("status")).to_contain_text(f"Als versandt markiert: {reference}.")
    expect(staff.get_by_text("Nichts zu versenden.")).to_be_visible()
    assert_accessible(staff)
    staff.get_by_label("Anzeigen").select_option("Versendet")
    staff.get_by_role("button", name="Filtern").click()
    expect(staff.get_by_role("row", name=re.compile(reference))).to_contain_text("kfz-karl")
    assert_accessible(staff)
    staff.context.close()

    # The case is completed, and the citizen reads that the documents are in the post.
    page.goto(f"{live_server.url}/status/{submission.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stand Ihres Antrags")
    expect(page.locator("[data-status]")).to_have_text(re.compile(r"^Unterlagen versandt am \d+\.\d+\.\d{4}$"))
    expect(page.locator("[data-vehicle-decision=approved]")).to_contain_text(
        "Wir haben Ihnen die Zulassungsbescheinigung Teil I am"  # an address change: no new seals
    )
    assert_accessible(page)
