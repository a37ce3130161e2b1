"""The Django admin works in a real browser with JavaScript under the portal's Content-Security-Policy.

Django's admin keeps its scripts in static files; its widgets (the two-box selector, the calendar, the
slug filled in from the name, inline rows) run from them. The shared fixture in conftest.py fails the
test on any policy violation Chromium reports.
"""

import pytest
from playwright.sync_api import expect

from tests.accounts.factories import StaffFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def test_an_administrator_fills_in_a_campaign_with_the_admins_widgets(page, live_server, kassel, settings):
    settings.STAFF_2FA_REQUIRED = False
    StaffFactory(username="admin", is_superuser=True)
    page.goto(f"{live_server.url}/intern/admin/feedback/campaign/add/")
    page.get_by_label("Benutzername").fill("admin")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("hinzufügen")
    # The slug follows the name (prepopulate.js).
    page.locator("#id_name_de").press_sequentially("Umfrage Sommer")
    expect(page.locator("#id_slug")).to_have_value("umfrage-sommer")
    # The calendar's "Today" shortcut (DateTimeShortcuts.js).
    page.locator(".datetimeshortcuts").first.get_by_text("Heute").click()
    expect(page.locator("#id_starts_on")).not_to_have_value("")
    # The two-box selector for the services (SelectFilter2.js) replaces the plain list.
    expect(page.locator("#id_services_from")).to_be_visible()
    page.locator("#id_services_from option").first.dblclick()
    expect(page.locator("#id_services_to option")).to_have_count(1)
    # Inline question rows are added by inlines.js.
    rows = page.locator(".inline-related:not(.empty-form)")
    before = rows.count()
    page.locator(".add-row a").click()
    expect(rows).to_have_count(before + 1)
