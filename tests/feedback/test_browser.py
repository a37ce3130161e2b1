"""After an Abmeldung the citizen answers the survey with an idea, joins the raffle and sees the thank-you page;
the office sees the response in the dashboard. No JavaScript on the citizen's side; axe-core on every page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from amtsweg.accounts.constants import FEEDBACK_ANALYSTS
from amtsweg.accounts.services import roles_ensure
from amtsweg.applications.services import form_definitions_load
from amtsweg.catalogue.models import Department
from amtsweg.feedback.models import RaffleEntry, Response
from tests.accounts.factories import StaffFactory
from tests.browser.conftest import assert_accessible, log_in_with_eid
from tests.browser.test_application_journey import fill_address, fill_date

from .factories import CampaignFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

IDEA = "Bitte mehr Termine am Samstag <und> eine kürzere Seite 2"


@pytest.fixture
def citizen(browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _submit_abmeldung(page, base: str) -> None:
    """Jonas Weber deregisters his secondary residence in Kassel (the eID login and the demo register)."""
    page.goto(base + "/antrag/nebenwohnung-abmelden/")
    page.get_by_role("button", name="Jetzt starten").click()
    log_in_with_eid(page, "Jonas Weber")
    page.get_by_role("button", name="Jetzt starten").click()
    page.get_by_role("button", name="Weiter").click()  # name, birth date and main address from the ID
    fill_address(page, "Wilhelmshöher Allee", "19", "34117", "Kassel")
    fill_date(page, datetime.date.today() - datetime.timedelta(days=3))
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("E-Mail-Adresse").fill("jonas.weber@example.org")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")


def test_survey_raffle_and_dashboard_after_an_abmeldung(citizen, browser, live_server, kassel, demo_register):
    form_definitions_load()
    CampaignFactory(prizes=20)
    page = citizen
    _submit_abmeldung(page, live_server.url)

    page.get_by_role("link", name="Sagen Sie uns Ihre Meinung zu diesem Dienst").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sagen Sie uns Ihre Meinung")
    expect(page.get_by_text("Nebenwohnung abmelden").first).to_be_visible()
    assert "?" not in page.url  # the one-time link's token went into the session, not into later addresses
    assert_accessible(page)

    # First without the required rating: an error summary, the idea kept.
    page.get_by_label(re.compile("^Was sollten wir verbessern")).fill(IDEA)
    page.get_by_role("button", name="Rückmeldung senden").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_contain_text("Beantworten Sie die Frage")
    expect(page.get_by_label(re.compile("^Was sollten wir verbessern"))).to_have_value(IDEA)
    assert_accessible(page)

    page.get_by_label("5 – sehr zufrieden").check()
    page.get_by_role("group", name=re.compile("leicht zu verstehen")).get_by_label("Ja").check()
    page.get_by_label("10 bis 30 Minuten").check()
    page.get_by_role("button", name="Rückmeldung senden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vielen Dank für Ihre Rückmeldung")
    assert_accessible(page)
    page.get_by_role("link", name="Am Gewinnspiel teilnehmen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Am Gewinnspiel teilnehmen")
    expect(page.get_by_text(re.compile("Wir verlosen 20 Preise"))).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Per E-Mail", exact=True).check()
    page.get_by_label(re.compile("^E-Mail-Adresse")).fill("erika@example.org")
    page.get_by_label(re.compile("^Ich stimme den Teilnahmebedingungen")).check()
    page.get_by_role("button", name="Teilnehmen", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sie nehmen am Gewinnspiel teil")
    assert "?" not in page.url
    code = page.locator(".aw-reference").inner_text()
    assert RaffleEntry.objects.get().code == code
    assert_accessible(page)
    page.get_by_role("link", name="Öffentliche Seite der Ziehung").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ziehung des Gewinnspiels")
    expect(page.get_by_text("Noch nicht gezogen", exact=False)).to_be_visible()
    assert_accessible(page)
    response = Response.objects.get()
    assert response.satisfaction == 5 and response.idea == IDEA and response.service.slug == "nebenwohnung-abmelden"

    # The Bürgerbüro sees the response in its dashboard.
    staff = StaffFactory(username="auswertung", departments=[Department.objects.get(slug="buergerbuero")])
    staff.groups.add(roles_ensure()[FEEDBACK_ANALYSTS])
    context = browser.new_context(locale="en-GB", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    office = context.new_page()
    office.goto(live_server.url + "/en/intern/rueckmeldungen/")
    office.get_by_label("Username").fill("auswertung")
    office.get_by_label("Password").fill("correct-horse-battery")
    office.get_by_role("button", name="Sign in").click()
    expect(office.get_by_role("heading", level=1)).to_have_text("Survey results")
    expect(office.locator("#figure-responses")).to_have_text("1")
    expect(office.get_by_text(IDEA)).to_be_visible()  # shown escaped, as text
    assert_accessible(office)
    # A day out of range: the message at the field and in the summary, still accessible.
    expect(office.get_by_label("Last day", exact=True)).to_have_attribute("type", "date")  # a date picker, not text
    office.get_by_label("Last day", exact=True).fill("9999-12-31")
    office.get_by_role("button", name="Show", exact=True).click()
    expect(office).to_have_title(re.compile("^Error:"))
    expect(office.get_by_label("Last day", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(office)
    context.close()
