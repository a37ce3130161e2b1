"""Abmeldung einer Nebenwohnung end to end, as a citizen and a case worker would do it.

Jonas Weber lives in Göttingen and gives up his secondary residence in Kassel. He logs in with the eID (the
demo identity provider, real SAML), is found in the residents' register (the demo register, its own HTTP
service), first gives an address the register does not hold for him and is told so on the field, then his
registered one. The case worker sees the register's secondary residences on the case page and completes
the case, which writes the move-out to the register. The citizen's browser runs without JavaScript;
axe-core checks every page of the journey, including the pages that show errors.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from amtsweg.applications.services import form_definitions_load
from amtsweg.catalogue.models import Department
from amtsweg.residents.register import fields
from tests.accounts.factories import StaffFactory
from tests.residents.conftest import stored

from .conftest import assert_accessible, log_in_with_eid

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser, demo_register):
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def fill_date(page, day: datetime.date) -> None:
    page.get_by_label("Tag").fill(str(day.day))
    page.get_by_label("Monat").fill(str(day.month))
    page.get_by_label("Jahr").fill(str(day.year))


def fill_address(page, street: str, number: str, postcode: str, town: str) -> None:
    page.get_by_label("Straße").fill(street)
    page.get_by_label("Hausnummer").fill(number)
    page.get_by_label("Postleitzahl").fill(postcode)
    page.get_by_label(re.compile("^Ort")).fill(town)


def test_abmeldung_from_service_page_to_completed_case(citizen, browser, live_server, kassel, demo_register):
    form_definitions_load()
    moved_out_on = datetime.date.today() - datetime.timedelta(days=3)
    page = citizen
    page.goto(live_server.url + "/leistungen/nebenwohnung-abmelden/")
    page.get_by_role("button", name="Jetzt starten").click()  # a link styled as a start button
    expect(page.get_by_role("heading", level=1)).to_have_text("Nebenwohnung abmelden")
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\d+ Schritten?\b"))  # no count the answers change
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt starten").click()
    log_in_with_eid(page, "Jonas Weber")
    page.get_by_role("button", name="Jetzt starten").click()

    # Step 1: name, birth date and main address come from the ID, locked.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
    expect(page.get_by_label("Familienname")).to_have_value("Weber")
    expect(page.get_by_label("Postleitzahl")).to_have_value("37073")
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    # Step 2, first with an address the register does not hold for him: an error on the field.
    expect(page.get_by_role("heading", level=1)).to_have_text("Die Nebenwohnung")
    expect(page.locator("main")).not_to_contain_text(re.compile(r"Schritt \d+ von \d+"))
    fill_address(page, "Wilhelmshöher Allee", "21", "34117", "Kassel")
    fill_date(page, moved_out_on)
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_contain_text("Unter dieser Anschrift ist für Sie keine Nebenwohnung in Kassel")
    expect(page.get_by_label("Straße")).to_have_value("Wilhelmshöher Allee")  # nothing entered is lost
    assert_accessible(page)
    page.get_by_label("Hausnummer").fill("19")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wie erreichen wir Sie?")
    page.get_by_label("E-Mail-Adresse").fill("jonas.weber@example.org")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    expect(page.get_by_text("Weber").first).to_be_visible()
    # Each "Ändern" stands at the end of its answer's line, not on a line of its own.
    for row in page.locator(".aw-summary .kern-description-list-item").all():
        value = row.locator(".kern-description-list-item__value").bounding_box()
        change = row.locator(".aw-summary__action").bounding_box()
        assert abs(change["y"] - value["y"]) < 8 and change["x"] >= value["x"] + value["width"] - 1
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    reference = page.locator(".aw-reference").first.inner_text()
    assert re.fullmatch(r"KS-\d{4}-\d{6}-\d", reference)
    assert_accessible(page)
    page.get_by_role("link", name=re.compile("Stand Ihres Antrags")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Stand Ihres Antrags")
    expect(page.locator(".aw-status")).to_have_text("Eingegangen")
    assert_accessible(page)
    status_url = page.url

    # The case worker of the Bürgerbüro sees what the register holds and completes the case.
    StaffFactory(username="sachbearbeitung", departments=[Department.objects.get(slug="buergerbuero")])
    staff_context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    staff_context.set_default_timeout(10_000)
    staff = staff_context.new_page()
    staff.goto(live_server.url + "/en/intern/")
    staff.get_by_label("Username").fill("sachbearbeitung")
    staff.get_by_label("Password").fill("correct-horse-battery")
    staff.get_by_role("button", name="Sign in").click()
    staff.get_by_role("link", name=reference).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(staff.locator("[data-register-secondary]")).to_contain_text(
        "Wilhelmshöher Allee 19, 34117 Kassel – the one this application deregisters"
    )
    assert_accessible(staff)
    for target in ("In progress", "Completed"):
        staff.locator("#form-status").get_by_label(target, exact=True).check()
        with staff.expect_navigation():
            staff.locator("#form-status").get_by_role("button", name="Change the status").click()
    staff_context.close()

    # The register holds the move-out now.
    person = stored(demo_register)["P-0005"]
    assert person.get(fields.SECONDARY_ADDRESSES, []) == []
    assert person["former_addresses"][-1]["moved_out_on"] == moved_out_on.isoformat()

    page.goto(status_url)
    expect(page.locator(".aw-status")).to_have_text(re.compile(r"^Nebenwohnung abgemeldet zum \d+\. \w+ \d{4}$"))
    assert_accessible(page)
