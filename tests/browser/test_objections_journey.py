"""Erika Mustermann objects to a transfer of her data with her online ID, and withdraws it in Mein Amtsweg,
in a real browser without JavaScript; the demo register is a separate HTTP service."""

import re

import pytest
from playwright.sync_api import expect

from amtsweg.residents.register import fields
from tests.residents.conftest import stored

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def keys_in_tmp(settings, tmp_path):
    """The demo keys (SP and IdP) are made in a tmp dir, not in var/."""
    settings.VAR_DIR = tmp_path / "var"


def _press_continue(page, heading):
    # Without JavaScript the SAML hand-over pages wait for the citizen to press "Weiter".
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.get_by_role("button", name="Weiter").click()


def _objections_of_erika(data):
    return {block["kind"] for block in stored(data)["P-0001"].get(fields.BLOCKS, [])}


def test_erika_objects_to_election_advertising_and_withdraws_it_in_mein_amtsweg(
    citizen,
    live_server,
    kassel,
    keys_in_tmp,
    demo_register,
    settings,
):
    settings.PORTAL = {**settings.PORTAL, "base_url": live_server.url}
    page = citizen
    page.goto(live_server.url + "/leistungen/uebermittlungssperre/")
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt starten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte melden Sie sich an")
    page.get_by_role("button", name="Mit BundID anmelden").click()
    _press_continue(page, "Einen Moment, bitte")
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo-Identitätsanbieter")
    page.get_by_label(re.compile("^Erika Mustermann")).check()
    page.get_by_role("button", name="Weiter").click()
    _press_continue(page, "Zurück zum Portal")

    # Back at the service, matched in the register: the objections, each in plain words.
    expect(page.get_by_role("heading", level=1)).to_have_text("Der Weitergabe Ihrer Daten widersprechen")
    expect(page.get_by_text("In den sechs Monaten vor einer Wahl")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Widerspruch eintragen").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(
        page.get_by_role("link", name="Wählen Sie mindestens eine Weitergabe aus, der Sie widersprechen")
    ).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Parteien und Wählergruppen vor Wahlen").check()
    expect(page.get_by_label("E-Mail-Adresse für die Bestätigung")).to_have_value("erika.mustermann@example.org")
    page.get_by_role("button", name="Widerspruch eintragen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Widerspruch ist eingetragen")
    assert _objections_of_erika(demo_register) == {"50-1"}
    assert_accessible(page)
    page.get_by_role("link", name="Ihre Widersprüche in Mein Amtsweg ansehen und zurücknehmen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Amtsweg")
    expect(page.get_by_text("Parteien und Wählergruppen vor Wahlen", exact=True)).to_be_visible()
    assert_accessible(page)
    # Each button is described by what it withdraws, for a screen reader going from button to button.
    withdraw = page.get_by_role("button", name="Zurücknehmen")
    expect(withdraw).to_have_accessible_description(re.compile("^Parteien und Wählergruppen vor Wahlen"))
    withdraw.click()

    expect(
        page.get_by_text("Ihr Widerspruch ist zurückgenommen: Parteien und Wählergruppen vor Wahlen.")
    ).to_be_visible()
    expect(page.get_by_text("Sie haben keiner Weitergabe Ihrer Daten widersprochen.")).to_be_visible()
    assert _objections_of_erika(demo_register) == set()
    assert_accessible(page)
