import re

import pytest
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_citizen_searches_opens_a_service_and_switches_to_english(page, live_server, kassel):
    page.goto(live_server.url + "/")
    expect(page).to_have_title(re.compile("Start"))
    assert page.locator("html").get_attribute("lang") == "de"
    assert_accessible(page)

    page.get_by_label("Nach einem Dienst suchen").fill("Heiratsurkunde")
    page.get_by_role("button", name="Suchen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Suche")
    assert_accessible(page)

    page.get_by_role("link", name="Eheurkunde", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Eheurkunde")
    expect(page.get_by_role("heading", name="Gebühren")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Marriage certificate")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.url.endswith("/en/leistungen/eheurkunde/")
    expect(page.get_by_role("heading", name="Fees")).to_be_visible()
    assert_accessible(page)


def test_skip_link_moves_focus_to_the_main_content(page, live_server, kassel):
    page.goto(live_server.url + "/leistungen/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Zum Inhalt springen")
    expect(skip).to_be_focused()
    skip.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


@pytest.mark.parametrize(
    "path",
    [
        "/standorte/",
        "/leistungen/",
        "/barrierefreiheit/",
        "/en/leistungen/kfz-neuzulassung/",
        "/gibt-es-nicht/",
        "/suche/?q=F%C3%BChrungszeugnis",
    ],
)
def test_other_pages_have_no_axe_violations(page, live_server, kassel, path):
    page.goto(live_server.url + path)
    assert_accessible(page)


def test_pages_work_on_a_phone_without_javascript(browser, live_server, kassel):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 375, "height": 740}, locale="de-DE")
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.get_by_label("Nach einem Dienst suchen").fill("Auto anmelden")
    page.get_by_role("button", name="Suchen").click()
    page.get_by_role("link", name="Neuzulassung").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Neuzulassung")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"horizontal scrolling on a phone: {width}px"
    context.close()


def test_a_citizen_finds_appointment_booking_from_the_start_page_a_service_and_the_search(page, live_server, kassel):
    from amtsweg.appointments.seed import appointments_load_seed

    appointments_load_seed()
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Termin buchen").first.click()
    expect(page).to_have_url(re.compile(r"/termin/$"))
    assert_accessible(page)

    page.goto(live_server.url + "/leistungen/melderegisterauskunft/")
    page.locator("main a", has_text="Termin buchen").first.click()
    expect(page).to_have_url(re.compile(r"/termin/buergerbuero-rathaus/melderegisterauskunft/"))

    page.goto(live_server.url + "/leistungen/kfz-neuzulassung/")
    expect(page.get_by_text("Noch nicht online", exact=True)).to_be_visible()
    expect(page.get_by_text("Vollständig online")).to_have_count(0)
    page.locator("main a", has_text="Termin buchen").first.click()
    expect(page).to_have_url(re.compile(r"/termin/frueheste/kfz-neuzulassung/"))
    assert_accessible(page)

    page.goto(live_server.url + "/suche/?q=Termin")
    page.get_by_role("link", name=re.compile("Termin online buchen")).click()
    expect(page).to_have_url(re.compile(r"/termin/$"))
