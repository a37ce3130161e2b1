"""The immigration office's contact form in the browser, in German and without JavaScript: a citizen whose
residence permit ends soon asks for its extension, sees who each topic is for, meets a clear error, skips
the uploads, and ends with a reference number and the receipt PDF that says the permit continues (§ 81
Abs. 4 AufenthG). axe-core checks every page, the one with an error included."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from amtsweg.applications.models import Submission
from amtsweg.applications.services import form_definitions_load
from tests.documents.pdftext import pdf_text

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def fill_date(group, day: datetime.date) -> None:
    group.get_by_label("Tag").fill(str(day.day))
    group.get_by_label("Monat").fill(str(day.month))
    group.get_by_label("Jahr").fill(str(day.year))


def test_an_extension_request_ends_with_a_reference_and_the_receipt(citizen, live_server, kassel, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    form_definitions_load()
    page = citizen
    page.goto(live_server.url + "/leistungen/zuwanderung-kontakt/")
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt starten").click()  # the service page's link to the form
    expect(page.get_by_role("heading", level=1)).to_have_text("Anfrage an die Ausländerbehörde")
    page.get_by_role("button", name="Jetzt starten").click()

    # The topics, each with who it is for.
    expect(page.get_by_role("heading", level=1)).to_have_text("Worum geht es?")
    expect(page.locator("main")).to_contain_text("Ihre Aufenthaltserlaubnis endet bald")
    assert_accessible(page)
    page.get_by_label("Aufenthaltserlaubnis verlängern").check()
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
    name = page.get_by_role("group", name="Ihr Name")
    name.get_by_label("Vornamen").fill("Amina")
    name.get_by_label("Familienname").fill("Haddad")
    fill_date(page.get_by_role("group", name="Ihr Geburtsdatum"), datetime.date(1990, 6, 15))
    page.get_by_label("Ihre Staatsangehörigkeit").fill("syrisch")
    home = page.get_by_role("group", name="Ihre Adresse")
    home.get_by_label("Straße").fill("Wilhelmshöher Allee")
    home.get_by_label("Hausnummer").fill("19")
    home.get_by_label("Postleitzahl").fill("34117")
    home.get_by_label(re.compile("^Ort")).fill("Kassel")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wofür haben Sie Ihre Aufenthaltserlaubnis?")
    page.get_by_label("Arbeit").check()
    page.get_by_role("button", name="Weiter").click()

    # A date that does not exist first: the error summary and the message at the field.
    expect(page.get_by_role("heading", level=1)).to_have_text("Bis wann gilt Ihr Aufenthaltstitel?")
    expiry = datetime.date.today() + datetime.timedelta(days=21)
    group = page.get_by_role("group", name="Bis wann gilt Ihr Aufenthaltstitel?")
    group.get_by_label("Tag").fill("31")
    group.get_by_label("Monat").fill("2")
    group.get_by_label("Jahr").fill(str(expiry.year + 1))
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_contain_text("Das Datum muss ein gültiges Datum sein")
    assert_accessible(page)
    fill_date(page.get_by_role("group", name="Bis wann gilt Ihr Aufenthaltstitel?"), expiry)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Beschreiben Sie Ihr Anliegen")
    page.get_by_label("Beschreiben Sie Ihr Anliegen").fill("Meine Aufenthaltserlaubnis endet bald. Ich arbeite weiter.")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wie sollen wir Sie erreichen?")
    page.get_by_label("Per Telefon").check()
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Anruf")
    page.get_by_label("Telefonnummer").fill("0151 23456789")
    page.get_by_label("Vormittags (8 bis 12 Uhr)").check()
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("E-Mail-Adresse")
    page.get_by_label(re.compile("^E-Mail-Adresse")).fill("amina.haddad@example.org")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Brauchen Sie eine Dolmetscherin oder einen Dolmetscher?")
    page.get_by_label("Ja").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welche Sprache?")
    page.get_by_label("Welche Sprache?").fill("Arabisch")
    page.get_by_role("button", name="Weiter").click()

    # The documents of an extension for work; nothing uploaded now.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Unterlagen")
    expect(page.locator("main")).to_contain_text("Seit 1. Mai 2025")
    expect(page.locator("main")).to_contain_text("Die letzten 3 Gehaltsabrechnungen")
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    expect(page.locator("main")).to_contain_text("Voraussichtliche Gebühren")
    expect(page.locator("main")).to_contain_text("80,00")
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    submission = Submission.objects.get()
    expect(page.locator(".aw-reference").first).to_have_text(submission.reference)
    receipt = page.locator("[data-receipt]")
    expect(receipt).to_have_attribute("data-receipt", "timely")
    expect(receipt).to_contain_text("Ihr Aufenthaltstitel gilt als fortbestehend, bis wir entschieden haben.")
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Eingangsbestätigung herunterladen (PDF)").click()
    text = " ".join(pdf_text(download.value.path().read_bytes()).split())
    assert submission.reference in text
    assert "Ihr Aufenthaltstitel gilt als fortbestehend, bis wir entschieden haben." in text
