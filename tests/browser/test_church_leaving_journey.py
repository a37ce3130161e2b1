"""Kirchenaustritt in a real browser without JavaScript: log in with the eID (name, birth date and address
filled in and locked), be stopped when declaring for someone else, pay the fee through the demo provider, land
on the booking page of the case and reserve a time, then find the prepared declaration on the status page.
axe-core checks every page, the one with an error included."""

import re
import subprocess
from pathlib import Path

import pytest
from playwright.sync_api import expect

from amtsweg.applications.models import Submission
from amtsweg.applications.services import form_definitions_load
from amtsweg.appointments.models import Appointment
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.catalogue.models import Department
from amtsweg.core import dates
from tests.accounts.factories import StaffFactory

from .conftest import assert_accessible, log_in_with_eid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"  # the demo SAML keys
    context = browser.new_context(
        java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_prepare_pay_book_and_download_the_declaration_then_get_the_certificate(
    citizen, browser, live_server, kassel, run_tasks
):
    form_definitions_load()
    appointments_load_seed()
    page = citizen
    page.goto(live_server.url + "/antrag/kirchenaustritt/")
    page.get_by_role("button", name="Jetzt starten").click()
    log_in_with_eid(page, "Erika Mustermann")
    page.get_by_role("button", name="Jetzt starten").click()

    # Nobody declares for someone else: a clear stop, with the error summary.
    expect(page.get_by_role("heading", level=1)).to_have_text("Für wen erklären Sie den Austritt?")
    page.get_by_label(re.compile("^Eine andere Person tritt aus")).check()
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_contain_text("auch nicht mit einer Vollmacht")
    assert_accessible(page)
    page.get_by_label("Ich trete selbst aus").check()
    page.get_by_role("button", name="Weiter").click()

    # The ID's data are filled in and locked; the email address is typed.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
    name = page.get_by_role("group", name="Ihr Name")
    expect(name.get_by_label("Familienname")).to_have_value("Mustermann")
    expect(name.get_by_label("Familienname")).not_to_be_editable()
    assert_accessible(page)
    email = page.get_by_label("E-Mail-Adresse")
    if email.is_editable():
        email.fill("erika@example.org")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Religionsgemeinschaft")
    page.get_by_label("Römisch-katholische Kirche").check()
    page.get_by_label(re.compile("^Ort der Taufe")).fill("Fulda")
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    expect(page.get_by_role("table", name="Gebühren")).to_contain_text("30,00 €")
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()

    # The fee, online, through the demo provider.
    expect(page.get_by_role("heading", level=1)).to_have_text("Gebühr bezahlen")
    assert_accessible(page)
    page.get_by_label("Kredit- oder Debitkarte").check()
    page.get_by_role("button", name="Jetzt bezahlen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo-Zahlungsanbieter")
    page.get_by_label("Die Zahlung klappt", exact=True).check()
    page.get_by_role("button", name="Bestätigen").click()

    # Straight on to the booking page of the Standesamt, tied to the case.
    submission = Submission.objects.get()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zeit wählen")
    expect(page.get_by_role("status")).to_contain_text(f"Ihr Antrag {submission.reference} ist eingegangen")
    assert "vorgang=" in page.url and "/termin/standesamt/kirchenaustritt/" in page.url
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()  # the first free time is preselected
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
    expect(page.get_by_label("Ihr Name")).to_have_value(re.compile("Mustermann"))
    if not page.get_by_label("E-Mail-Adresse").input_value():
        page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    assert_accessible(page)
    page.get_by_role("button", name="Diese Zeit reservieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte bestätigen Sie Ihren Termin")
    assert_accessible(page)
    assert Appointment.objects.get().case == submission.case

    # The status page: the appointment, and the prepared declaration to sign at the counter.
    page.goto(f"{live_server.url}/status/{submission.uuid}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Stand Ihres Antrags")
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("Ihre vorbereitete Erklärung")).click()
    pdf = Path(info.value.path()).read_bytes()
    text = " ".join(
        subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode().split()
    )
    assert "Erklärung über den Austritt aus einer Religionsgemeinschaft" in text
    assert "Mustermann" in text and "Römisch-katholische Kirche" in text and submission.reference in text
    assert "Unterschrift der austretenden Person" in text

    # At the counter: the clerk records the day of the declaration on the case page.
    StaffFactory(username="standesamt-clara", departments=[Department.objects.get(slug="standesamt")])
    staff_context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    staff_context.set_default_timeout(10_000)
    staff = staff_context.new_page()
    staff.goto(live_server.url + "/intern/")
    staff.get_by_label("Benutzername").fill("standesamt-clara")
    staff.get_by_label("Passwort").fill("correct-horse-battery")
    staff.get_by_role("button", name="Anmelden").click()
    staff.goto(f"{live_server.url}/intern/faelle/{submission.case.uuid}/")
    expect(staff.get_by_role("link", name="Vorbereitete Erklärung zum Unterschreiben drucken (PDF)")).to_be_visible()
    expect(staff.get_by_label("Erklärung abgegeben am")).to_have_value(dates.today().isoformat())
    assert_accessible(staff)
    staff.get_by_role("button", name="Erklärung erfassen und Bescheinigung ausstellen").click()
    expect(staff.get_by_role("status")).to_contain_text("Die Erklärung wurde erfasst")
    expect(staff.locator("[data-church-leaving-done]")).to_be_visible()
    assert_accessible(staff)
    staff_context.close()
    run_tasks()

    # The citizen finds the certificate on the status page and is told to keep it.
    page.reload()
    expect(page.locator("[data-status]")).to_have_text("Erledigt")
    expect(page.get_by_text(re.compile("Bewahren Sie sie gut auf"))).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name=re.compile("^kirchenaustritt-bescheinigung")).first.click()
    certificate = " ".join(
        subprocess.run(
            ["pdftotext", "-", "-"], input=Path(info.value.path()).read_bytes(), capture_output=True, check=True
        )
        .stdout.decode()
        .split()
    )
    assert "Bescheinigung über den Kirchenaustritt" in certificate
    assert f"Wirksam seit: {dates.today().day}.{dates.today().month}.{dates.today().year}" in certificate
