"""Booking an appointment in a real browser without JavaScript: book, confirm by link, .ics, rebook, cancel."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from tests.appointments.test_booking import make_office
from tests.appointments.test_flow import _next_weekday_at

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser):
    context = browser.new_context(
        java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def _on_next_weekday(page) -> None:
    """Show the times of the next weekday (the ``tag`` filter): late on a weekday morning today has few times
    left, and with two left the rebooking page would offer only one."""
    day = _next_weekday_at(8).date().isoformat()
    page.goto(page.url + ("&" if "?" in page.url else "?") + f"tag={day}")


def _emailed_link(message, live_server) -> str:
    path = re.search(r"https?://[^/\s]+(/termin/\S+)", message.body).group(1)
    return live_server.url + path


def test_book_confirm_download_rebook_and_cancel(citizen, live_server, run_tasks):
    bookable = make_office(counters=1, lead=0)
    page = citizen
    page.goto(live_server.url + "/termin/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(bookable.service.name)).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Zeit wählen")
    _on_next_weekday(page)
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()  # the first free time is preselected

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
    page.get_by_role("button", name="Diese Zeit reservieren").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    assert_accessible(page)
    page.get_by_label("Ihr Name").fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    page.get_by_role("button", name="Diese Zeit reservieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte bestätigen Sie Ihren Termin")

    run_tasks()  # the task worker sends the confirm link
    page.goto(_emailed_link(mail.outbox[0], live_server))
    assert_accessible(page)
    page.get_by_role("button", name="Termin bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Termin")
    expect(page.get_by_text("Bestätigt")).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="In Ihren Kalender übernehmen (.ics)").click()
    assert b"BEGIN:VCALENDAR" in Path(info.value.path()).read_bytes()

    first_time = page.get_by_text(re.compile(r"\d{2}:\d{2}$")).first.inner_text()
    page.get_by_role("link", name="Termin auf eine andere Zeit verschieben").click()
    _on_next_weekday(page)
    page.get_by_role("radio").nth(1).check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_role("button", name="Termin verschieben").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Termin")
    assert page.get_by_text(re.compile(r"\d{2}:\d{2}$")).first.inner_text() != first_time

    page.get_by_role("button", name="Termin absagen").click()
    expect(page.get_by_text("Dieser Termin ist abgesagt.")).to_be_visible()
    assert_accessible(page)


def test_the_loser_of_the_last_place_is_told_at_once_and_offered_the_next_free_times(citizen, live_server):
    import datetime
    from urllib.parse import parse_qs, urlsplit

    from amtsweg.appointments.services import appointment_hold

    bookable = make_office(counters=1, lead=0)
    page = citizen
    page.goto(f"{live_server.url}/termin/{bookable.location.slug}/{bookable.service.slug}/")
    page.get_by_role("button", name="Weiter").click()  # the first free time is preselected
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
    chosen = datetime.datetime.fromisoformat(parse_qs(urlsplit(page.url).query)["zeit"][0])
    # Someone else holds the same time while this citizen types.
    appointment_hold(bookable=bookable, start=chosen, persons=1, name="Max Schneller", email="max@example.org")
    page.get_by_label("Ihr Name").fill("Erika Mustermann")
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    page.get_by_role("button", name="Diese Zeit reservieren").click()

    expect(page.get_by_text("Diese Zeit ist gerade vergeben")).to_be_visible()
    expect(page.get_by_role("heading", level=2, name="Nächste freie Zeiten")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("main").get_by_role("listitem").get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
