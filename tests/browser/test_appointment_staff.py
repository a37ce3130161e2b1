"""Staff check a citizen in and call them; the waiting-room call display shows the code by itself (no JavaScript)."""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import StaffFactory
from tests.appointments.test_staff import todays  # noqa: F401  (fixture)

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def test_staff_check_in_and_call_and_the_call_display_updates(browser, live_server, settings, todays):  # noqa: F811
    from django.utils import timezone

    if timezone.localdate(todays.starts_at) != timezone.localdate():
        pytest.skip("too close to midnight for a same-day appointment")
    settings.STAFF_2FA_REQUIRED = False
    StaffFactory(username="anna", departments=[todays.location.department])
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    staff, screen = context.new_page(), context.new_page()

    screen.goto(f"{live_server.url}/aufruf/{todays.location.slug}/")
    expect(screen.get_by_text("Bitte warten Sie, bis Ihr Code angezeigt wird.")).to_be_visible()
    # WCAG 2.2.1's real-time exception: the waiting-room screen is a live display nobody works with.
    assert_accessible(screen, exempt={"meta-refresh": "live call display on the waiting-room screen"})

    staff.goto(f"{live_server.url}/intern/termine/{todays.location.slug}/")
    staff.get_by_label("Benutzername").fill("anna")
    staff.get_by_label("Passwort").fill(PASSWORD)
    staff.get_by_role("button", name="Anmelden").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("Termine")
    assert_accessible(staff)
    staff.get_by_role("button", name=f"{todays.booking_code} anmelden").click()
    expect(staff.get_by_text("Wartebereich jetzt: 2 von 12 Personen")).to_be_visible()
    staff.get_by_role("button", name=f"{todays.booking_code} aufrufen").click()
    expect(staff.get_by_role("status")).to_contain_text("Aufgerufen")

    # The screen reloads every 5 seconds by itself (meta refresh), without JavaScript.
    expect(screen.get_by_role("cell", name=todays.booking_code)).to_be_visible(timeout=12_000)
    context.close()
