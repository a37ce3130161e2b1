"""The death pre-notice's checklist in the browser: an undertaker uploads every document the answers call for
and finishes without an appointment. The browser runs without JavaScript; axe-core checks every page, the
one with an error included. The staff member then sees the checklist complete on the case page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from amtsweg.applications.models import Submission
from amtsweg.applications.services import form_definitions_load
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.catalogue.models import Department
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

    expect(page.get_by_role("heading", level=1)).to_have_text("Die verstorbene Person")
    name = page.get_by_role("group", name="Name der verstorbenen Person")
    name.get_by_label("Vornamen").fill("Karl")
    name.get_by_label("Familienname").fill("Mustermann")
    fill_date(page.get_by_role("group", name="Geburtsdatum"), datetime.date(1941, 5, 2))
    fill_date(page.get_by_role("group", name="Sterbedatum"), datetime.date.today() - datetime.timedelta(days=1))
    page.get_by_label("Im Krankenhaus").check()
    place = page.get_by_role("group", name="Adresse des Sterbeortes in Kassel")
    place.get_by_label("Straße").fill("Mönchebergstraße")
    place.get_by_label("Hausnummer").fill("41")
    place.get_by_label("Postleitzahl").fill("34125")
    place.get_by_label(re.compile("^Ort")).fill("Kassel")
    page.get_by_label("Verheiratet").check()
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wer zeigt den Sterbefall an?")
    page.get_by_label("Bestattungsunternehmen").check()
    reporter = page.get_by_role("group", name="Ihr Name")
    reporter.get_by_label("Vornamen").fill("Berta")
    reporter.get_by_label("Familienname").fill("Bestatter")
    page.get_by_label("E-Mail-Adresse").fill("bestattung@example.org")
    page.get_by_label("Telefonnummer").fill("0561 123456")
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
    assert_accessible(staff)
    staff.get_by_role("button", name="Vollständig: kein Termin nötig").click()
    expect(staff.get_by_role("status")).to_contain_text("Die Entscheidung wurde gespeichert")
    assert_accessible(staff)
    staff_context.close()
