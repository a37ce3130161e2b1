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


def test_prepare_pay_book_and_download_the_declaration(citizen, live_server, kassel):
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
