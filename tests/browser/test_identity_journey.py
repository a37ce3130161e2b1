"""Logging in with an email link in a real browser without JavaScript, and seeing "Mein Amtsweg"."""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from .conftest import assert_accessible, press_continue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def test_log_in_by_email_link_and_see_my_amtsweg(citizen, live_server, kassel, run_tasks):
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

    run_tasks()  # the task worker sends the link
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


@pytest.fixture
def keys_in_tmp(settings, tmp_path):
    """The demo keys (SP and IdP) are made in a tmp dir, not in var/."""
    settings.VAR_DIR = tmp_path / "var"


def test_a_high_service_sends_the_citizen_to_the_eid_login_and_back_to_the_form(
    citizen, live_server, kassel, keys_in_tmp, settings, demo_register
):
    from django.contrib.sessions.backends.base import SessionBase
    from django.utils.module_loading import import_string

    from amtsweg.applications.services import form_definitions_load

    form_definitions_load()
    page = citizen
    page.goto(live_server.url + "/antrag/meldebescheinigung/")
    page.get_by_role("button", name="Jetzt starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte melden Sie sich an")
    assert_accessible(page)
    page.get_by_role("button", name="Mit BundID anmelden").click()
    press_continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo-Identitätsanbieter")
    assert_accessible(page)
    # Each test person's hint reads as a line beside the radio, with the birth date written out.
    hint = page.locator("#id_person-kassel-adult-hint")
    expect(hint).to_contain_text("geboren am")
    expect(hint).not_to_contain_text(re.compile(r"\d{4}-\d{2}-\d{2}"))
    assert hint.bounding_box()["height"] < 60
    page.get_by_label(re.compile("^Erika Mustermann")).check()
    page.get_by_role("button", name="Weiter").click()
    press_continue(page, "Zurück zum Portal")

    # Back at the service, logged in at level "high": the form goes on with what the register says.
    page.get_by_role("button", name="Jetzt starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Für wen ist die Meldebescheinigung?")
    expect(page.get_by_label("Erika Mustermann (Sie selbst)")).to_be_visible()
    assert_accessible(page)

    # The "high" session runs out (30 minutes in all): the next step asks to log in again.
    cookie = next(c for c in page.context.cookies() if c["name"] == settings.SESSION_COOKIE_NAME)
    store: SessionBase = import_string(settings.SESSION_ENGINE + ".SessionStore")(session_key=cookie["value"])
    data = store["identity"]
    data["login_at"] -= 31 * 60
    store["identity"] = data
    store.save()
    page.get_by_label("Erika Mustermann (Sie selbst)").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte melden Sie sich an")
    expect(page.get_by_text("weil Ihre Sitzung abgelaufen ist")).to_be_visible()
