"""The death pre-notice in the browser: an undertaker reports a death in Kassel on behalf of the household,
asks for the free certificates, uploads every document the answers call for and finishes without an
appointment, with the deadline shown. A death elsewhere stops at the page naming that town's registry office.
The browser runs without JavaScript; axe-core checks every page, the ones with an error included. The staff
member then sees the checklist complete and the reporter's duty on the case page, and completing the case
puts the free certificates into the certificate orders queue."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from amtsweg.applications.models import Submission
from amtsweg.applications.services import form_definitions_load
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.catalogue.models import Department
from amtsweg.civil_status.death_notice import notice_deadline
from amtsweg.civil_status.models import CertificateOrder
from tests.accounts.factories import StaffFactory

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DOCUMENTS = {
    "Todesbescheinigung hochladen": "todesbescheinigung.pdf",
    "Geburtsurkunde der verstorbenen Person hochladen": "geburtsurkunde.pdf",
    "Eheurkunde der letzten Ehe hochladen": "eheurkunde.pdf",
    "Nachweis des letzten Wohnsitzes hochladen": "ausweis.pdf",
}


@pytest.fixture
def citizen(browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def scans(tmp_path):
    files = {}
    for label, name in DOCUMENTS.items():
        path = tmp_path / name
        path.write_bytes(b"%PDF-1.7\n" + b"\x00" * 200)
        files[label] = path
    text = tmp_path / "notiz.pdf"
    text.write_bytes(b"kein PDF")
    return files, text


def fill_date(group, day: datetime.date) -> None:
    group.get_by_label("Tag").fill(str(day.day))
    group.get_by_label("Monat").fill(str(day.month))
    group.get_by_label("Jahr").fill(str(day.year))


def test_an_undertaker_uploads_every_document_and_needs_no_appointment(
    citizen, browser, live_server, kassel, scans, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    form_definitions_load()
    appointments_load_seed()
    files, not_a_pdf = scans
    page = citizen
    page.goto(live_server.url + "/antrag/sterbefall-voranzeige/")
    page.get_by_role("button", name="Jetzt starten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ist die Person in Kassel gestorben?")
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Der Sterbefall")
    died = datetime.date.today() - datetime.timedelta(days=1)
    fill_date(page.get_by_role("group", name="Sterbedatum"), died)
    page.get_by_label("Uhrzeit des Todes").fill("25:10")
    page.get_by_label("Im Krankenhaus").check()
    place = page.get_by_role("group", name="Adresse des Sterbeortes in Kassel")
    place.get_by_label("Straße").fill("Mönchebergstraße")
    place.get_by_label("Hausnummer").fill("41")
    place.get_by_label("Postleitzahl").fill("34125")
    place.get_by_label(re.compile("^Ort")).fill("Kassel")
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("alert")).to_contain_text("Geben Sie die Uhrzeit im 24-Stunden-Format ein")
    assert_accessible(page)
    page.get_by_label("Uhrzeit des Todes").fill("4.15")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Die verstorbene Person")
    name = page.get_by_role("group", name="Name der verstorbenen Person")
    name.get_by_label("Vornamen").fill("Karl")
    name.get_by_label("Familienname").fill("Mustermann")
    fill_date(page.get_by_role("group", name="Geburtsdatum"), datetime.date(1941, 5, 2))
    home = page.get_by_role("group", name="Letzte Wohnanschrift")
    home.get_by_label("Straße").fill("Wilhelmshöher Allee")
    home.get_by_label("Hausnummer").fill("100")
    home.get_by_label("Postleitzahl").fill("34119")
    home.get_by_label(re.compile("^Ort")).fill("Kassel")
    page.get_by_label("Verheiratet").check()
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wer zeigt den Sterbefall an?")
    page.get_by_label(re.compile("^Ich zeige für ein Bestattungsunternehmen an")).check()
    reporter = page.get_by_role("group", name="Ihr Name")
    reporter.get_by_label("Vornamen").fill("Berta")
    reporter.get_by_label("Familienname").fill("Bestatter")
    page.get_by_label("E-Mail-Adresse").fill("bestattung@example.org")
    page.get_by_label("Telefonnummer").fill("0561 123456")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bestattungsunternehmen")
    page.get_by_label("Name des Bestattungsunternehmens").fill("Bestattungen Kassel GmbH")
    page.get_by_label(re.compile("^Einer Person, die mit der verstorbenen Person zusammengelebt hat")).check()
    page.get_by_label("Name der Person oder Einrichtung, die Sie beauftragt hat").fill("Erna Mustermann")
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("kostenlose Sterbeurkunden")
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wofür brauchen Sie die Urkunden?")
    page.get_by_label(re.compile("^Rentenversicherung")).check()
    page.get_by_label("Kranken- oder Pflegekasse").check()
    delivery = page.get_by_role("group", name="An welche Adresse sollen wir die Urkunden schicken?")
    delivery.get_by_label("Straße").fill("Friedrich-Ebert-Straße")
    delivery.get_by_label("Hausnummer").fill("7")
    delivery.get_by_label("Postleitzahl").fill("34117")
    delivery.get_by_label(re.compile("^Ort")).fill("Kassel")
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    # The documents page: the checklist of a married person, one upload each; first with a file that is no PDF.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Unterlagen")
    expect(page.locator("main").get_by_role("heading", level=2)).to_have_count(4)
    assert_accessible(page)
    page.get_by_label("Todesbescheinigung hochladen").set_input_files(not_a_pdf)
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_contain_text("Die ausgewählte Datei muss im Format PDF, JPG oder PNG sein")
    assert_accessible(page)
    for label, path in files.items():
        page.get_by_label(label).set_input_files(path)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    documents = page.locator("[data-checklist]")
    for name in DOCUMENTS.values():
        expect(documents).to_contain_text(f"Hochgeladen: {name}")
    deadline = notice_deadline(died)
    expect(page.locator("[data-notice='deadline']")).to_contain_text(
        f"bis {deadline.day}.{deadline.month}.{deadline.year}"
    )
    expect(page.locator("[data-notice='duty']")).to_contain_text("im Auftrag an: Rang 1 von 3")
    expect(page.locator("main")).to_contain_text("4:15 Uhr")
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    next_step = page.locator("[data-next-step]")
    expect(next_step).to_have_attribute("data-next-step", "no_appointment")
    expect(next_step).to_contain_text("Kein Termin nötig")
    expect(next_step).to_contain_text("Ein Termin ist nicht nötig")
    expect(page.locator("main a[href*='/termin/']")).to_have_count(0)
    expect(page.locator("[data-checklist-state]")).to_have_text("4 von 4 Unterlagen liegen vor.")
    expect(page.locator("[data-notice='deadline']")).to_contain_text("Frist für die Anzeige")
    expect(page.locator("[data-notice='certificates']")).to_contain_text("2 kostenlose Sterbeurkunden")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Stand Ihres Antrags")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stand Ihres Antrags")
    expect(page.locator("[data-document][data-received='yes']")).to_have_count(4)
    expect(page.locator("input[type=file]")).to_have_count(0)
    assert_accessible(page)

    submission = Submission.objects.get()
    assert submission.outcome == {"key": "undertaker_complete", "kind": "no_appointment"}

    # The Standesamt's clerk sees the checklist complete and ticked, and marks the case complete.
    StaffFactory(username="standesamt-clara", departments=[Department.objects.get(slug="standesamt")])
    staff_context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    staff_context.set_default_timeout(10_000)
    staff = staff_context.new_page()
    staff.goto(live_server.url + "/intern/")
    staff.get_by_label("Benutzername").fill("standesamt-clara")
    staff.get_by_label("Passwort").fill("correct-horse-battery")
    staff.get_by_role("button", name="Anmelden").click()
    expect(staff.locator("[data-inbox-line]")).to_have_text("4 von 4 Unterlagen")
    staff.get_by_role("link", name=submission.reference).click()
    checklist = staff.locator("[data-checklist]")
    expect(checklist).to_contain_text("4 von 4 Unterlagen liegen vor.")
    expect(checklist.locator("input[type=checkbox]:checked")).to_have_count(4)
    expect(checklist.get_by_role("link", name="ausweis.pdf")).to_be_visible()
    panel = staff.locator("[data-death-notice]")
    expect(panel).to_contain_text("Rechtzeitig: Frist bis")
    expect(panel).to_contain_text("Rang 1 von 3")
    expect(panel).to_contain_text("Gewünscht: Rentenversicherung, Kranken- oder Pflegekasse")
    assert_accessible(staff)
    staff.get_by_role("button", name="Vollständig: kein Termin nötig").click()
    expect(staff.get_by_role("status")).to_contain_text("Die Entscheidung wurde gespeichert")
    assert_accessible(staff)

    # The death is registered: completing the case puts the free certificates into the certificate queue.
    for status in ("In Bearbeitung", "Erledigt"):
        staff.locator("#form-status").get_by_label(status, exact=True).check()
        staff.get_by_role("button", name="Status ändern").click()
        expect(staff.get_by_role("status")).to_be_visible()
    expect(staff.locator("[data-certificate-order]")).to_contain_text("Bestellt als")
    order = CertificateOrder.objects.get()
    assert order.case.service.slug == "sterbeurkunde" and order.case.applicant_name == "Berta Bestatter"
    staff.goto(live_server.url + "/intern/urkunden/")
    expect(staff.locator("main")).to_contain_text(order.case.reference)
    assert_accessible(staff)
    staff_context.close()


def test_a_death_outside_kassel_is_sent_to_the_registry_office_of_that_town(citizen, live_server, kassel):
    form_definitions_load()
    page = citizen
    page.goto(live_server.url + "/antrag/sterbefall-voranzeige/")
    page.get_by_role("button", name="Jetzt starten").click()
    page.get_by_label("Nein").check()
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "In welcher Stadt oder Gemeinde ist die Person gestorben?"
    )
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    assert_accessible(page)
    page.get_by_label("In welcher Stadt oder Gemeinde ist die Person gestorben?").fill("Göttingen")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Zeigen Sie den Sterbefall beim Standesamt in Göttingen an"
    )
    expect(page.get_by_role("link", name="https://verwaltung.bund.de")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Behördennummer 115")
    expect(page.get_by_role("button", name="Weiter")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("doch in Kassel gestorben")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ist die Person in Kassel gestorben?")
