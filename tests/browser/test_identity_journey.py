"""Logging in with an email link in a real browser without JavaScript, and seeing "Mein Amtsweg"."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_log_in_by_email_link_and_see_my_amtsweg(citizen, live_server, kassel):
    page = citizen
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Anmelden", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Anmelden")
    assert_accessible(page)
    page.get_by_role("button", name="Mit einem E-Mail-Link anmelden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wie lautet Ihre E-Mail-Adresse?")
    page.get_by_label("Wie lautet Ihre E-Mail-Adresse?").fill("erika@")
    page.get_by_role("button", name="Link senden").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    assert_accessible(page)
    page.get_by_label("Wie lautet Ihre E-Mail-Adresse?").fill("erika@example.org")
    page.get_by_role("button", name="Link senden").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sehen Sie in Ihre E-Mails")
    assert_accessible(page)

    [message] = mail.outbox
    link = re.search(r"https?://\S+/anmelden/email/link/\S+", message.body).group(0)
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt anmelden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Amtsweg")
    expect(page.get_by_text("Sie haben angemeldet noch keinen Antrag gestellt.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Abmelden").click()
    expect(page.get_by_role("link", name="Anmelden", exact=True)).to_be_visible()
