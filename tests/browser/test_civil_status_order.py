"""Ordering civil-status certificates in a real browser without JavaScript, with axe-core on every page.

Three journeys: a newborn's birth certificates (three free, one paid) through the
demo payment; an entry too old for the registry office, referred to the Stadtarchiv;
a sibling without a reason, stopped with the message that says why.
"""

import datetime
import re

import pytest
from playwright.sync_api import expect

from amtsweg.applications.services import form_definitions_load
from amtsweg.payments.models import Payment

from .conftest import assert_accessible
from .test_application_journey import fill_address, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def next_page(page) -> None:
    page.get_by_role("button", name="Weiter").click()


def start(page, live_server) -> None:
    page.goto(live_server.url + "/antrag/geburtsurkunde/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Geburtsurkunde")
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt starten").click()


def about_me(page) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
    page.get_by_label("Vornamen").fill("Erika")
    page.get_by_label("Familienname").fill("Mustermann")
    fill_date(page, datetime.date(1985, 3, 27))
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    assert_accessible(page)
    next_page(page)


def test_newborn_with_three_free_copies_and_one_paid_copy(citizen, live_server, kassel):
    form_definitions_load()
    page = citizen
    start(page, live_server)
    page.get_by_label(re.compile("^Die meines Kindes oder Enkelkindes")).check()
    assert_accessible(page)
    next_page(page)
    expect(page.get_by_role("heading", level=1)).to_contain_text("neugeborenes Kind")
    page.get_by_label("Ja").check()
    next_page(page)
    about_me(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Die Geburt")
    page.get_by_label("Vornamen").fill("Mia")
    page.get_by_label("Familienname").fill("Mustermann")
    fill_date(page, datetime.date.today() - datetime.timedelta(days=4))
    page.get_by_label("Geburtsort").fill("Kassel")
    page.get_by_label("Krankenhaus, in dem das Kind geboren wurde").fill("Klinikum Kassel")
    assert_accessible(page)
    next_page(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Die Eltern")
    mother = page.get_by_role("group", name="Name der Mutter oder eines Elternteils")
    mother.get_by_label("Vornamen").fill("Erika")
    mother.get_by_label("Familienname").fill("Mustermann")
    other = page.get_by_role("group", name=re.compile("^Name des anderen Elternteils"))
    other.get_by_label("Vornamen").fill("Max")
    other.get_by_label("Familienname").fill("Mustermann")
    page.get_by_label("Ja").check()
    assert_accessible(page)
    next_page(page)

    page.get_by_label("Nein").check()  # no name declaration
    next_page(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Für welche Leistungen")
    for benefit in ("Elterngeld", "Kindergeld", "Mutterschaftsgeld"):
        page.get_by_label(benefit).check()
    assert_accessible(page)
    next_page(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Bestellung")
    page.get_by_label("Geburtsurkunde", exact=True).check()
    page.get_by_label("Wie viele weitere Urkunden brauchen Sie gegen Gebühr?").fill("1")
    assert_accessible(page)
    next_page(page)

    page.get_by_label("Nein").check()  # delivery in Germany
    next_page(page)
    fill_address(page, "Wilhelmshöher Allee", "19", "34117", "Kassel")
    next_page(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    fees = page.get_by_role("table", name="Gebühren")
    expect(fees).to_contain_text("Urkunde für das Elterngeld")
    expect(fees).to_contain_text("Urkunde für das Kindergeld")
    expect(fees).to_contain_text("Urkunde für das Mutterschaftsgeld")
    expect(fees).to_contain_text("Erste weitere Urkunde gegen Gebühr")
    expect(fees).to_contain_text("12,00 €")
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gebühr bezahlen")
    assert_accessible(page)
    page.get_by_label("Kredit- oder Debitkarte").check()
    page.get_by_role("button", name="Jetzt bezahlen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo-Zahlungsanbieter")
    page.get_by_label("Die Zahlung klappt", exact=True).check()
    page.get_by_role("button", name="Bestätigen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    assert_accessible(page)
    payment = Payment.objects.get()
    assert payment.status == "paid" and payment.amount_cents == 1200
    assert payment.submission.answers["free_purposes"] == ["elterngeld", "kindergeld", "mutterschaftsgeld"]
    assert payment.submission.case.department.slug == "standesamt"


def test_entry_too_old_is_referred_to_the_stadtarchiv(citizen, live_server, kassel):
    form_definitions_load()
    page = citizen
    start(page, live_server)
    page.get_by_label(re.compile("^Die meiner Mutter, meines Vaters")).check()
    next_page(page)
    page.get_by_label("Nein").check()  # not adopted
    next_page(page)
    about_me(page)

    page.get_by_label("Vornamen").fill("Karl")
    page.get_by_label("Familienname").fill("Muster")
    fill_date(page, datetime.date(1905, 2, 1))
    page.get_by_label("Geburtsort").fill("Kassel")
    next_page(page)

    expect(page).to_have_title(re.compile("^Fehler:"))
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Stadtarchiv Kassel")
    expect(summary).to_contain_text("110 Jahre")
    expect(summary).to_contain_text("stadtarchiv@kassel.de")
    expect(summary).to_contain_text("0561 787-4050")
    expect(page.get_by_label("Jahr")).to_have_value("1905")  # what was typed is kept
    assert_accessible(page)


def test_sibling_without_a_reason_is_stopped(citizen, live_server, kassel):
    form_definitions_load()
    page = citizen
    start(page, live_server)
    page.get_by_label("Die meiner Schwester oder meines Bruders").check()
    next_page(page)
    page.get_by_label("Nein").check()
    next_page(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Wofür brauchen Sie die Urkunde Ihrer Schwester")
    next_page(page)
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_contain_text(
        "Geschwister bekommen eine Urkunde nur mit einem berechtigten Interesse"
    )
    assert_accessible(page)
    page.get_by_label(re.compile("^Wofür brauchen Sie die Urkunde Ihrer Schwester")).fill("Erbschein")
    next_page(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
