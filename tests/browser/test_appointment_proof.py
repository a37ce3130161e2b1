"""The hold step in a real browser: the ALTCHA widget solves the proof of work with JavaScript, and a
booking for two persons and two services works without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from amtsweg.appointments.models import Appointment, BookableService
from tests.appointments.test_booking import make_office
from tests.catalogue.factories import ServiceFactory

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _context(browser, *, javascript: bool):
    context = browser.new_context(
        java_script_enabled=javascript, locale="de-DE", viewport={"width": 1024, "height": 900}
    )
    context.set_default_timeout(15_000)
    return context


def test_with_javascript_the_widget_solves_the_proof_and_the_time_is_held(browser, live_server, settings):
    # No way through but the proof of work: the no-JavaScript wait would take ten minutes.
    settings.APPOINTMENTS_PROOF_OF_WORK = {**settings.APPOINTMENTS_PROOF_OF_WORK, "fallback_wait_seconds": 600}
    bookable = make_office(counters=1, lead=0)
    context = _context(browser, javascript=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/termin/{bookable.location.slug}/{bookable.service.slug}/")
        page.get_by_role("button", name="Weiter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
        page.get_by_label("Ihr Name").fill("Erika Mustermann")
        page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
        expect(page.locator("altcha-widget input[name=altcha]")).to_have_count(1)
        assert_accessible(page)
        # The widget solves the proof when the form is sent (the form has novalidate, so the widget
        # must hold the submission itself), then sends the form with the solution.
        page.get_by_role("button", name="Diese Zeit reservieren").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Bitte bestätigen Sie Ihren Termin", timeout=30_000)
        assert Appointment.objects.get().email == "erika@example.org"
    finally:
        context.close()


def test_without_javascript_two_persons_book_two_services_in_one_appointment(browser, live_server):
    bookable = make_office(counters=1, lead=0)
    passport = ServiceFactory(name_de="Reisepass beantragen")
    BookableService.objects.create(location=bookable.location, service=passport, duration_minutes=30)
    context = _context(browser, javascript=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/termin/{bookable.location.slug}/{bookable.service.slug}/")
        page.get_by_text("Weitere Anliegen oder Personen im selben Termin").click()
        page.get_by_label("Für wie viele Personen?").select_option("2")
        page.get_by_label(re.compile("Reisepass beantragen")).check()
        assert_accessible(page)
        page.get_by_role("button", name="Freie Zeiten anzeigen").click()
        expect(page.get_by_text("Reisepass beantragen").first).to_be_visible()
        page.get_by_role("button", name="Weiter").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
        expect(page.get_by_text("2 Personen")).to_be_visible()
        page.get_by_label("Ihr Name").fill("Erika Mustermann")
        page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
        page.get_by_role("button", name="Diese Zeit reservieren").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Bitte bestätigen Sie Ihren Termin")
        appointment = Appointment.objects.get()
        assert appointment.persons == 2 and (appointment.ends_at - appointment.starts_at).seconds == 90 * 60
    finally:
        context.close()
