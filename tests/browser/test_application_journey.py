"""Abmeldung einer Nebenwohnung end to end, as a citizen and a case worker would do it.

The citizen's browser runs without JavaScript; axe-core checks every page of
the journey, including the page that shows errors.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from amtsweg.applications.services import form_definitions_load
from amtsweg.catalogue.models import Department
from tests.accounts.factories import StaffFactory

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser):
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


def test_abmeldung_from_service_page_to_completed_case(citizen, browser, live_server, kassel):
    form_definitions_load()
    page = citizen
    page.goto(live_server.url + "/leistungen/nebenwohnung-abmelden/")
    page.get_by_role("button", name="Jetzt starten").click()  # a link styled as a start button
    expect(page.get_by_role("heading", level=1)).to_have_text("Nebenwohnung abmelden")
    expect(page.locator("main")).not_to_contain_text(re.compile(r"\d+ Schritten?\b"))  # no count the answers change
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt starten").click()

    # Step 1, first with a mistake: the family name is missing.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
    page.get_by_label("Vornamen").fill("Erika")
    fill_date(page, datetime.date(1985, 3, 27))
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.get_by_label("Vornamen")).to_have_value("Erika")  # nothing entered is lost
    assert_accessible(page)
    page.get_by_label("Familienname").fill("Mustermann")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Die Nebenwohnung")
    expect(page.locator("main")).not_to_contain_text(re.compile(r"Schritt \d+ von \d+"))
    fill_address(page, "Wilhelmshöher Allee", "19", "34117", "Kassel")
    fill_date(page, datetime.date.today() - datetime.timedelta(days=3))
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Adresse Ihrer Hauptwohnung")
    fill_address(page, "Hauptstraße", "1", "10115", "Berlin")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wie erreichen wir Sie?")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    expect(page.get_by_text("Mustermann").first).to_be_visible()
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

    # The case worker of the Bürgerbüro completes the case.
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
    assert_accessible(staff)
    for target in ("In progress", "Completed"):
        staff.locator("#form-status").get_by_label(target, exact=True).check()
        with staff.expect_navigation():
            staff.locator("#form-status").get_by_role("button", name="Change the status").click()
    staff_context.close()

    page.goto(status_url)
    expect(page.locator(".aw-status")).to_have_text("Erledigt")
    assert_accessible(page)
