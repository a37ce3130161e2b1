"""Asking for a missing document in the browser: the Standesamt's clerk asks for the proof of the last address
of a death pre-notice, the citizen sees it marked on the status page and uploads it there (without
JavaScript), and the clerk's "complete" cancels the appointment the citizen had booked. axe-core checks the
case page with the new form and the status page."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from amtsweg.applications.status_links import status_url
from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.models import Appointment
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.catalogue.models import Department, Location
from tests.accounts.factories import StaffFactory
from tests.cases.test_checklist import MARRIED, death_notice

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_clerk_asks_for_a_document_the_citizen_uploads_it_and_the_visit_is_cancelled(
    browser, live_server, forms, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    appointments_load_seed()
    case = death_notice(Client(), uploads=MARRIED[:3], relationship="present")
    start = timezone.now() + datetime.timedelta(days=3)
    booked = Appointment.objects.create(
        booking_code="TERMIN42",
        location=Location.objects.get(slug="standesamt"),
        service=case.service,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        counter=0,
        status=AppointmentStatus.CONFIRMED,
        name="Berta Bestatter",
        email="bestattung@example.org",
        case=case,
    )
    StaffFactory(username="standesamt-clara", departments=[Department.objects.get(slug="standesamt")])
    staff_context = browser.new_context(locale="de-DE", viewport={"width": 1280, "height": 900})
    staff_context.set_default_timeout(10_000)
    staff = staff_context.new_page()
    staff.goto(live_server.url + "/intern/")
    staff.get_by_label("Benutzername").fill("standesamt-clara")
    staff.get_by_label("Passwort").fill("correct-horse-battery")
    staff.get_by_role("button", name="Anmelden").click()
    staff.get_by_role("link", name=case.submission.reference).click()

    # Asking without choosing a document is refused with the error summary; then one is chosen.
    request = staff.locator("#form-request")
    request.get_by_role("button", name="Unterlagen anfordern").click()
    expect(staff.get_by_role("alert")).to_contain_text("Wählen Sie die Unterlagen aus")
    assert_accessible(staff)
    request = staff.locator("#form-request")
    request.get_by_label("Nachweis des letzten Wohnsitzes").check()
    request.get_by_label("Hinweis an die antragstellende Person").fill("Ein Foto des Ausweises genügt.")
    request.get_by_role("button", name="Unterlagen anfordern").click()
    expect(staff.get_by_role("status")).to_contain_text("Die Unterlagen wurden angefordert")
    assert_accessible(staff)

    citizen_context = browser.new_context(java_script_enabled=False, locale="de-DE")
    citizen_context.set_default_timeout(10_000)
    citizen = citizen_context.new_page()
    citizen.goto(live_server.url + urlsplit(status_url(case.submission)).path)  # the link the citizen got
    expect(citizen.get_by_role("heading", name="Wir brauchen etwas von Ihnen")).to_be_visible()
    expect(citizen.locator("main")).to_contain_text("Ein Foto des Ausweises genügt.")
    expect(citizen.locator("[data-document='residence_proof'] [data-requested]")).to_have_text("Vom Amt angefordert")
    assert_accessible(citizen)
    scan = tmp_path / "ausweis.pdf"
    scan.write_bytes(b"%PDF-1.7\n" + b"\x00" * 200)
    citizen.get_by_label("Nachweis des letzten Wohnsitzes hochladen").set_input_files(scan)
    citizen.get_by_role("button", name=re.compile("Nachweis des letzten Wohnsitzes senden")).click()
    expect(citizen.locator("[data-document='residence_proof']")).to_have_attribute("data-received", "yes")
    expect(citizen.get_by_role("heading", name="Wir brauchen etwas von Ihnen")).to_have_count(0)
    assert case.document_requests.get().fulfilled_at is not None

    staff.reload()
    expect(staff.locator("[data-checklist]")).to_contain_text("4 von 4 Unterlagen liegen vor.")
    expect(staff.locator("#form-request")).to_have_count(0)  # nothing left to ask for
    staff.get_by_role("button", name="Vollständig: kein Termin nötig").click()
    expect(staff.get_by_role("status")).to_contain_text("Die Entscheidung wurde gespeichert")
    expect(staff.locator("[data-appointment-status='cancelled']")).to_have_count(1)
    booked.refresh_from_db()
    assert booked.status == AppointmentStatus.CANCELLED

    citizen.reload()
    expect(citizen.locator("main")).to_contain_text("(Buchungsnummer TERMIN42), ist abgesagt")
    assert_accessible(citizen)
    citizen_context.close()
    staff_context.close()
