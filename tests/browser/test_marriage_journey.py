"""The notice of marriage in the browser, without JavaScript: the applicant answers for themselves and leaves
Person 2's part to the partner, sees the checklist, the fee estimate and "Partner: ausstehend"; the partner
opens their own link, meets an error first, confirms, and the applicant's status page shows the documents of
both. axe-core checks every page, the ones with errors included."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from amtsweg.applications.models import Submission
from amtsweg.applications.services import form_definitions_load
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.civil_status.marriage import months_moved

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


@pytest.fixture
def partner(browser):
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 390, "height": 844})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def fill_date(group, day: datetime.date) -> None:
    group.get_by_label("Tag").fill(str(day.day))
    group.get_by_label("Monat").fill(str(day.month))
    group.get_by_label("Jahr").fill(str(day.year))


def answer(page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def test_a_couple_prepares_the_notice_and_the_partner_gives_their_part_through_their_own_link(
    citizen, partner, live_server, kassel, run_tasks
):
    form_definitions_load()
    appointments_load_seed()
    page = citizen
    page.goto(live_server.url + "/leistungen/eheschliessung-anmelden/")
    assert_accessible(page)
    page.goto(live_server.url + "/antrag/eheschliessung-anmelden/")
    page.get_by_role("button", name="Jetzt starten").click()

    # The wish date: first one too far ahead (the 6-month rule), then a good one.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Wunschtermin")
    expect(page.get_by_text("Trausaal im Rathaus (bis zu 40 Gäste)")).to_be_visible()
    fill_date(page.get_by_role("group", name="Wunschdatum der Hochzeit"), months_moved(datetime.date.today(), 9))
    page.get_by_label("Trausaal im Rathaus (bis zu 40 Gäste)").check()
    answer(page, "Braucht einer von Ihnen eine Dolmetscherin oder einen Dolmetscher?", "Nein")
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_contain_text("höchstens 6 Monate vor der Hochzeit")
    assert_accessible(page)
    fill_date(page.get_by_role("group", name="Wunschdatum der Hochzeit"), months_moved(datetime.date.today(), 4))
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Person 1: Ihre Angaben")
    name = page.get_by_role("group", name="Ihr Name")
    name.get_by_label("Vornamen").fill("Anna")
    name.get_by_label("Familienname", exact=True).fill("Schmidt")
    fill_date(page.get_by_role("group", name="Ihr Geburtsdatum"), datetime.date(1991, 3, 14))
    answer(page, "Haben Sie die deutsche Staatsangehörigkeit?", "Ja")
    page.get_by_label("An einem anderen Ort in Deutschland").check()
    answer(page, "Wohnen Sie in Kassel?", "Ja")
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Person 1: Deutsche Staatsangehörigkeit")
    answer(page, "Sind Sie eingebürgert worden?", "Nein")
    answer(page, "Haben Sie noch eine andere Staatsangehörigkeit?", "Nein")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welches Standesamt hat Ihre Geburt beurkundet?")
    page.get_by_label("Welches Standesamt hat Ihre Geburt beurkundet?").fill("Standesamt Göttingen")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Waren Sie schon einmal verheiratet")
    page.get_by_label("Ja, ich bin geschieden").check()
    page.get_by_role("button", name="Weiter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Wo wurde geschieden oder aufgehoben?")
    page.get_by_label("In Deutschland").check()
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("So erreichen wir Sie")
    page.get_by_label("Ihre E-Mail-Adresse").fill("anna@example.org")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Person 2: Ihre Partnerin oder Ihr Partner")
    other = page.get_by_role("group", name="Name Ihrer Partnerin oder Ihres Partners")
    other.get_by_label("Vornamen").fill("Bruno")
    other.get_by_label("Familienname", exact=True).fill("Costa")
    answer(page, "Soll Ihre Partnerin oder Ihr Partner die eigenen Angaben selbst machen?", "Ja")
    assert_accessible(page)
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("E-Mail-Adresse Ihrer Partnerin oder Ihres Partners").fill("bruno@example.org")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Haben Sie gemeinsame Kinder?")
    answer(page, "Haben Sie gemeinsame Kinder?", "Nein")
    page.get_by_role("button", name="Weiter").click()

    # No document of Person 1 may be uploaded here, so the check page follows: the checklist and the fee estimate.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    documents = page.locator("[data-checklist]")
    expect(documents).to_contain_text("Person 1 (Sie): Beglaubigter Ausdruck aus dem Geburtenregister")
    expect(documents).to_contain_text("Person 1 (Sie): Scheidungsurteil mit Rechtskraftvermerk")
    expect(page.get_by_role("heading", name="Voraussichtliche Gebühren")).to_be_visible()
    expect(page.locator("[data-fee-estimate]")).to_contain_text("Online zahlen Sie nichts")
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    expect(page.locator("[data-partner]")).to_contain_text("Partner: ausstehend")
    assert_accessible(page)

    # The partner's own link: no login, only their own questions and the applicant's name.
    run_tasks()
    [email] = [message for message in mail.outbox if message.to == ["bruno@example.org"]]
    link = re.search(r"https?://\S+/eheschliessung/partner/\S+/", email.body).group(0)
    partner.goto(live_server.url + link[link.index("/eheschliessung/") :])
    expect(partner.get_by_role("heading", level=1)).to_have_text("Person 2: Angaben")
    expect(partner.locator("main")).to_contain_text("Anna Schmidt")
    expect(partner.locator("main")).not_to_contain_text("Göttingen")
    assert_accessible(partner)
    fill_date(partner.get_by_role("group", name="Geburtsdatum von Person 2"), datetime.date(1989, 7, 2))
    answer(partner, "Hat Person 2 die deutsche Staatsangehörigkeit?", "Nein")
    answer(partner, "Wohnt Person 2 in Kassel?", "Ja")
    partner.get_by_role("button", name="Weiter").click()
    expect(partner).to_have_title(re.compile("^Fehler:"))
    expect(partner.get_by_role("alert")).to_be_visible()
    assert_accessible(partner)
    partner.get_by_label("Im Ausland").check()
    partner.get_by_role("button", name="Weiter").click()

    expect(partner.get_by_role("heading", level=1)).to_have_text("Person 2: Staatsangehörigkeiten")
    partner.get_by_label("Welche Staatsangehörigkeiten hat Person 2?").fill("portugiesisch")
    answer(partner, "Stellt der Heimatstaat von Person 2 ein Ehefähigkeitszeugnis aus?", "Ja")
    partner.get_by_role("button", name="Weiter").click()
    partner.get_by_label("In welchem Staat ist Person 2 geboren?").fill("Portugal")
    partner.get_by_role("button", name="Weiter").click()
    partner.get_by_label("Nein, ledig").check()
    partner.get_by_role("button", name="Weiter").click()

    expect(partner.get_by_role("heading", level=1)).to_have_text("Ihre Angaben zur Anmeldung der Eheschließung")
    expect(partner.locator("main")).to_contain_text("portugiesisch")
    assert_accessible(partner)
    partner.get_by_role("button", name="Meine Angaben bestätigen").click()
    expect(partner.get_by_role("heading", level=1)).to_have_text("Ihre Angaben sind bestätigt")
    expect(partner.locator("main")).to_contain_text("Person 2: Ehefähigkeitszeugnis")
    assert_accessible(partner)

    # The applicant's status page: the partner confirmed, the documents of both, the Standesamt reviews first.
    page.get_by_role("link", name=re.compile("Stand Ihres Antrags")).click()
    expect(page.locator("[data-partner]")).to_contain_text("Partner: bestätigt")
    expect(page.locator("[data-checklist]")).to_contain_text("Person 2: Geburtsurkunde aus dem Ausland")
    expect(page.locator("[data-fee-estimate]")).to_be_visible()
    expect(page.locator("main")).to_contain_text("70,50")
    assert_accessible(page)
    submission = Submission.objects.get()
    assert submission.outcome == {"key": "documents_first", "kind": "case"}
    assert submission.answers["foreign_laws"] == 1
