"""The Bürgerbüro decides an extended Melderegisterauskunft on the case page, in a real browser without
JavaScript: the items with the requester's interests, a refusal without a reason refused GOV.UK-style, then
the approval of one item."""

import re

import pytest
from playwright.sync_api import expect

from amtsweg.cases.constants import CaseStatus
from amtsweg.cases.models import Case
from amtsweg.catalogue.models import Department
from tests.accounts.factories import StaffFactory
from tests.residents.test_information import fill, pay

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"


def test_staff_approve_one_extended_item_after_a_refusal_without_reason_is_refused(
    browser, live_server, client, forms, demo_register, run_tasks, settings, tmp_path
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STAFF_2FA_REQUIRED = False
    fill(
        client,
        kind="extended",
        interest={
            "extended_items": ["birth", "moved_in"],
            "interest_birth": "Klage vor dem Amtsgericht (Az. 12 C 345/26).",
            "interest_moved_in": "Für die Nebenkostenabrechnung.",
        },
    )
    pay(client)
    run_tasks()
    case = Case.objects.get()
    StaffFactory(username="anna", departments=[Department.objects.get(slug="buergerbuero")])
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto(f"{live_server.url}/intern/")
    page.get_by_label("Benutzername").fill("anna")
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("link", name=case.reference).click()
    expect(page.get_by_role("heading", name="Melderegisterauskunft")).to_be_visible()
    items = page.get_by_role("group", name="Welche weiteren Angaben darf die anfragende Person bekommen?")
    expect(items.get_by_label("Geburtsdatum und Geburtsort")).to_be_visible()
    expect(items.get_by_text("Klage vor dem Amtsgericht (Az. 12 C 345/26).")).to_be_visible()
    expect(items.get_by_text("Für die Nebenkostenabrechnung.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Auskunft verweigern").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    page.get_by_role("link", name=re.compile("Geben Sie den Grund an, warum Sie die Auskunft verweigern")).click()
    expect(page.get_by_label("Grund für die Verweigerung der Auskunft")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Geburtsdatum und Geburtsort").check()
    page.get_by_role("button", name="Auskunft erteilen").click()
    expect(page.get_by_text("Die Auskunft wurde erteilt.")).to_be_visible()
    expect(page.get_by_role("heading", name="Melderegisterauskunft")).to_have_count(0)
    assert_accessible(page)
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    context.close()
