"""The immigration office triages three contact requests in a real browser without JavaScript: a phone
consultation (planned, on the day's call list, the result noted), an appointment (the booking link, booked by the
citizen at the times kept for such requests) and documents sent; each page without an axe violation, and the
citizen's status page shows the answer in the language of the request."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from amtsweg.applications.status_links import status_token
from amtsweg.appointments.models import Appointment
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.cases.constants import CaseStatus
from amtsweg.catalogue.models import Location, OpeningHours
from tests.immigration.triage_factories import contact_request, immigration_staff

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def _next_weekday() -> datetime.date:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return day


@pytest.fixture
def immigration_office():
    appointments_load_seed()
    location = Location.objects.get(slug="zuwanderung")
    location.opening_hours.all().delete()  # long days, so that a time is free whenever the test runs
    for weekday in range(5):
        OpeningHours.objects.create(
            location=location, weekday=weekday, opens=datetime.time(8), closes=datetime.time(18)
        )
    location.booking_policy.lead_minutes = 0
    location.booking_policy.save()
    return location


def test_staff_triage_a_call_an_appointment_and_documents(
    browser, live_server, kassel, immigration_office, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STAFF_2FA_REQUIRED = False
    today = timezone.localdate()
    call = contact_request(language="ar", permit_expiry=(today + datetime.timedelta(days=9)).isoformat())
    visit = contact_request(
        language="en", applicant_name="John Smith", permit_expiry=(today + datetime.timedelta(days=40)).isoformat()
    )
    papers = contact_request(
        language="en", topic="obligation", contact_preference="email", permit_expiry=None, applicant_name="Jane Doe"
    )
    immigration_staff(username="selin")
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/intern/anmelden/")
    page.get_by_label("Benutzername").fill("selin")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    # The triage list: the permit that expires soonest first, the request without a date last.
    page.get_by_role("link", name="Kontaktanfragen").first.click()
    expect(page.get_by_role("heading", name="Kontaktanfragen an die Ausländerbehörde")).to_be_visible()
    rows = page.locator("[data-triage-list] tbody tr")
    expect(rows).to_have_count(3)
    assert [rows.nth(i).get_attribute("data-reference") for i in range(3)] == [
        call.reference,
        visit.reference,
        papers.reference,
    ]
    expect(rows.first).to_contain_text("noch 9 Tage")
    assert_accessible(page)

    # 1. A phone consultation, planned from the case page.
    day = _next_weekday()
    page.get_by_role("link", name=call.reference).click()
    expect(page.get_by_role("heading", name="Vorsortierung der Kontaktanfrage")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Tag des Anrufs").fill(day.isoformat())
    page.get_by_label("Anruf ab").fill("10:00")
    page.get_by_label("Anruf bis").fill("09:00")
    page.get_by_role("button", name="Anruf planen und der Person mitteilen").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    page.get_by_role("link", name="Das Ende des Anrufzeitraums muss nach seinem Beginn liegen.").click()
    expect(page.get_by_label("Anruf bis")).to_be_focused()
    assert_accessible(page)
    page.get_by_label("Anruf bis").fill("10:30")
    page.get_by_role("button", name="Anruf planen und der Person mitteilen").click()
    expect(page.get_by_text("Der Anruf ist geplant.")).to_be_visible()
    expect(page.locator("[data-triage-outcome]")).to_contain_text("Telefonische Beratung")

    page.goto(f"{live_server.url}/intern/zuwanderung/anrufe/?tag={day.isoformat()}")
    row = page.locator(f'[data-call-list] tr[data-reference="{call.reference}"]')
    expect(row).to_contain_text("10:00–10:30")
    expect(row).to_contain_text("0561 123456")
    expect(row).to_contain_text("Amira Haddad")
    expect(row).to_contain_text("Arabisch")
    assert_accessible(page)
    row.get_by_role("link", name=call.reference).click()
    page.get_by_label("Erreicht: Die Beratung hat stattgefunden").check()
    page.get_by_label("Notiz zum Anruf (freiwillig)").fill("Verlängerung besprochen.")
    page.get_by_role("button", name="Ergebnis eintragen").click()
    expect(page.get_by_text("Das Ergebnis des Anrufs ist eingetragen.")).to_be_visible()
    assert_accessible(page)
    call.refresh_from_db()
    assert call.status == CaseStatus.COMPLETED

    # 2. An appointment: the citizen gets the link, which books the times kept for contact requests.
    page.goto(f"{live_server.url}/intern/faelle/{visit.uuid}/")
    page.get_by_role("button", name="Link zur Terminbuchung senden").click()
    expect(page.get_by_text("Die Bürgerin oder der Bürger hat den Link zur Terminbuchung bekommen.")).to_be_visible()
    assert_accessible(page)

    citizen = browser.new_context(java_script_enabled=False, locale="en-GB", viewport={"width": 1024, "height": 900})
    citizen.set_default_timeout(10_000)
    status = citizen.new_page()
    status.goto(f"{live_server.url}/en/status/zugang/{status_token(visit.submission)}/")
    expect(status.get_by_text(re.compile("Please book an appointment with us at")).first).to_be_visible()
    assert_accessible(status)
    status.get_by_role("link", name=re.compile("Book an appointment at")).click()
    expect(status.get_by_role("heading", level=1)).to_have_text("Choose a time")
    assert_accessible(status)
    status.get_by_role("button", name="Continue").click()  # the first free time is preselected
    status.get_by_label("Your name").fill("John Smith")
    status.get_by_label("Email address").fill("john@example.org")
    status.get_by_role("button", name="Reserve this time").click()
    expect(status.get_by_role("heading", level=1)).to_have_text("Please confirm your appointment")
    appointment = Appointment.objects.get()
    assert appointment.case == visit and appointment.service.slug == "zuwanderung-kontakt"

    # 3. Documents sent, with an attachment on the status page.
    leaflet = tmp_path / "merkblatt.pdf"
    leaflet.write_bytes(b"%PDF-1.4\n% a test file\n")
    page.goto(f"{live_server.url}/intern/faelle/{papers.uuid}/")
    page.get_by_label("Unterlagen für die Person").set_input_files(str(leaflet))
    page.get_by_label("Ihre Nachricht an die Person (freiwillig)").fill("The form for your guest is attached.")
    page.get_by_role("button", name="Unterlagen senden und Vorgang abschließen").click()
    expect(page.get_by_text("Die Unterlagen wurden gesendet und der Vorgang ist erledigt.")).to_be_visible()
    assert_accessible(page)
    papers.refresh_from_db()
    assert papers.status == CaseStatus.COMPLETED

    status.goto(f"{live_server.url}/en/status/zugang/{status_token(papers.submission)}/")
    expect(status.get_by_text(re.compile("We are sending you the documents for your request"))).to_be_visible()
    expect(status.get_by_role("link", name="merkblatt.pdf").first).to_be_visible()
    assert_accessible(status)
    citizen.close()
    context.close()
