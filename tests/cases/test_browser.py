"""The back office in Debian's Chromium: signed in as staff would, worked without JavaScript, checked with axe-core."""

import pytest
from django_otp.oath import totp
from playwright.sync_api import expect

from amtsweg.cases.constants import CaseStatus
from tests.accounts.factories import StaffFactory
from tests.browser.conftest import assert_accessible

from .factories import CaseFactory, ProcessingRuleFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct-horse-battery"


@pytest.fixture
def no_script_page(browser):
    context = browser.new_context(java_script_enabled=False, locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


def _sign_in(page, base: str, username: str) -> None:
    page.goto(base + "/en/intern/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_staff_work_a_case_from_the_inbox_without_javascript(page, no_script_page, live_server, service, staff):
    ProcessingRuleFactory(
        service=service, extra_states=[{"key": "shipped", "label": {"de": "Versendet", "en": "Sent"}}]
    )
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS, applicant_name="Erika Mustermann")
    for _ in range(3):
        CaseFactory.for_service(service)

    # The sign-in page, with its error summary after a wrong password.
    page.goto(live_server.url + "/en/intern/anmelden/")
    page.get_by_label("Username").fill("anna")
    page.get_by_label("Password").fill("wrong")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)

    page = no_script_page
    _sign_in(page, live_server.url, "anna")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    page.get_by_label("Reference number or name").fill(case.reference.replace("-", ""))
    page.get_by_role("button", name="Apply filters").click()
    expect(page.get_by_role("heading", name="1 case", exact=True)).to_be_visible()

    page.get_by_label(f"Select {case.reference}").check()
    page.get_by_role("button", name="Assign to me").click()
    expect(page.get_by_text("1 case assigned to Anna Amt.")).to_be_visible()

    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(case.reference)
    page.get_by_label("Rejected").check()
    page.get_by_role("button", name="Change the status").click()
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    summary.get_by_role("link", name="Enter the reason for the rejection. The citizen will see it.").click()

    page.get_by_label("Sent").check()
    page.get_by_role("button", name="Change the status").click()
    expect(page.get_by_text("The status was changed.")).to_be_visible()
    expect(page.get_by_role("list", name="At a glance")).to_contain_text("Sent")

    page.get_by_label("Internal note", exact=True).fill("Called the citizen.")
    page.get_by_role("button", name="Add the note").click()
    expect(page.get_by_text("Called the citizen.")).to_be_visible()


@pytest.mark.parametrize("path", ["inbox", "case", "case_with_errors", "audit", "lockout"])
def test_back_office_pages_have_no_axe_violations(page, live_server, service, staff, path):
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS, notification_problem=True)
    CaseFactory.for_service(service)
    if path == "lockout":
        page.goto(live_server.url + "/en/intern/anmelden/")
        for attempt in range(5):
            page.get_by_label("Username").fill("anna")
            page.get_by_label("Password").fill(f"wrong-{attempt}")
            page.get_by_role("button", name="Sign in").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Sign-in locked")
        assert_accessible(page)
        return
    _sign_in(page, live_server.url, "anna")
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")
    if path == "case":
        page.goto(f"{live_server.url}/en/intern/faelle/{case.uuid}/")
    elif path == "case_with_errors":
        page.goto(f"{live_server.url}/en/intern/faelle/{case.uuid}/")
        page.get_by_role("button", name="Send the message").click()
        expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    elif path == "audit":
        page.goto(f"{live_server.url}/en/intern/faelle/{case.uuid}/protokoll/")
    assert_accessible(page)


def test_two_factor_set_up_and_sign_in(page, live_server, settings, db):
    settings.STAFF_2FA_REQUIRED = True
    StaffFactory(username="carla", departments=[CaseFactory().department])
    _sign_in(page, live_server.url, "carla")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor authentication")
    assert_accessible(page)
    key = "".join(page.locator("#totp-secret").inner_text().split())
    import base64

    code = f"{totp(base64.b32decode(key)):06d}"
    page.get_by_label("Code from your authenticator app").fill(code)
    page.get_by_role("button", name="Confirm and continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Inbox")

    page.get_by_role("button", name="Sign out").click()
    _sign_in(page, live_server.url, "carla")
    expect(page.get_by_role("heading", level=1)).to_have_text("Enter your security code")
    page.get_by_label("Code from your authenticator app").fill("000000")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert_accessible(page)
