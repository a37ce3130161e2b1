"""The Voranfrage zur Einbürgerung in the browser, without JavaScript: a citizen logs in by email link, is
told at first that under 16 the parents apply (a typing slip in the year), answers the questions of the
self-check, reads the result page with every criterion, the fee of the later application and that nothing is
paid now, and ends with the checklist of documents and an appointment at the Standesamt. axe-core checks
the pages on the way, the one with an error included."""

import datetime
import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from amtsweg.applications.models import Submission
from amtsweg.applications.services import form_definitions_load
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.payments.models import Payment

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

START = "/antrag/einbuergerung-voranfrage/"


@pytest.fixture
def citizen(browser, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def fill_date(group, day: datetime.date) -> None:
    group.get_by_label("Tag").fill(str(day.day))
    group.get_by_label("Monat").fill(str(day.month))
    group.get_by_label("Jahr").fill(str(day.year))


def answer(page, question: str, choice: str) -> None:
    page.get_by_role("group", name=question).get_by_label(choice, exact=True).check()


def go_on(page) -> None:
    page.get_by_role("button", name="Weiter").click()


def test_a_citizen_checks_the_conditions_and_gets_the_documents_and_an_appointment(
    citizen, live_server, kassel, run_tasks
):
    form_definitions_load()
    appointments_load_seed()
    page = citizen
    today = datetime.date.today()

    page.goto(live_server.url + START)
    page.get_by_role("button", name="Jetzt starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte melden Sie sich an")
    page.get_by_role("button", name="Mit einem E-Mail-Link anmelden").click()
    page.get_by_label("Wie lautet Ihre E-Mail-Adresse?").fill("amira@example.org")
    page.get_by_role("button", name="Link senden").click()
    run_tasks()  # the task worker sends the link
    link = re.search(r"https?://\S+/anmelden/email/link/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Jetzt anmelden").click()
    page.goto(live_server.url + START)
    page.get_by_role("button", name="Jetzt starten").click()

    # About you: a birth year typed wrong makes her 15, and the page says that the parents apply.
    expect(page.get_by_role("heading", level=1)).to_have_text("Über Sie")
    name = page.get_by_role("group", name="Ihr Name")
    name.get_by_label("Vornamen").fill("Amira")
    name.get_by_label("Familienname").fill("Haddad")
    fill_date(page.get_by_role("group", name="Ihr Geburtsdatum"), today.replace(year=today.year - 15, day=1))
    page.get_by_label("Ihre Staatsangehörigkeit").fill("syrisch")
    go_on(page)
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("alert")).to_contain_text("Unter 16 Jahren stellen Ihre Eltern den Antrag für Sie")
    expect(page.get_by_label("Ihre Staatsangehörigkeit")).to_have_value("syrisch")  # nothing typed is lost
    assert_accessible(page)
    page.get_by_role("group", name="Ihr Geburtsdatum").get_by_label("Jahr").fill("1988")
    go_on(page)

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Seit wann leben Sie"))
    fill_date(page.locator("main"), today.replace(year=today.year - 6, day=1))
    go_on(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Welches Aufenthaltsrecht haben Sie?")
    page.get_by_label("Aufenthaltserlaubnis oder Blaue Karte EU (befristet)").check()
    go_on(page)
    # The sections that do not lead to naturalisation are listed with the question.
    expect(page.locator("main")).to_contain_text("§§ 16a, 16b, 16d, 16e, 16f, 17, 18f, 19, 19b, 19e, 20, 22, 23a, 24")
    assert_accessible(page)
    page.get_by_label(re.compile("^Ein anderer Paragraf")).check()
    go_on(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Familie")
    page.get_by_label("Ledig").check()
    answer(page, "Sollen Kinder unter 18 Jahren mit Ihnen eingebürgert werden?", "Nein")
    go_on(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Lebensunterhalt")
    page.get_by_label("Ich bin angestellt").check()
    answer(page, "Bekommen Sie oder Ihre Familie Bürgergeld oder Sozialhilfe?", "Nein")
    go_on(page)

    page.get_by_label("B1 oder B2").check()
    go_on(page)
    page.get_by_label(re.compile("^Mit einem Sprachzertifikat")).check()
    go_on(page)
    page.get_by_label("Ja", exact=True).check()
    go_on(page)
    page.get_by_label("Wie viele der 33 Fragen haben Sie richtig beantwortet?").fill("24")
    go_on(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihr Bekenntnis")
    answer(page, "Bekennen Sie sich zur freiheitlichen demokratischen Grundordnung des Grundgesetzes?", "Ja")
    answer(page, "Bekennen Sie sich zur besonderen historischen Verantwortung Deutschlands?", "Ja")
    go_on(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Straftaten")
    answer(page, "Wurden Sie schon einmal wegen einer Straftat verurteilt, in Deutschland oder im Ausland?", "Nein")
    answer(
        page,
        "Ermittelt zurzeit die Polizei oder die Staatsanwaltschaft gegen Sie, oder läuft ein Strafverfahren?",
        "Nein",
    )
    go_on(page)

    # The result: every criterion with its state, reason and legal basis; the fee, not paid now.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ergebnis Ihrer Selbstprüfung")
    expect(page.get_by_role("status")).to_contain_text(
        "erfüllen Sie die Voraussetzungen für die Einbürgerung wahrscheinlich"
    )
    expect(page.locator("[data-criterion]")).to_have_count(7)
    expect(page.locator("[data-criterion][data-state='met']")).to_have_count(7)
    expect(page.locator("[data-criterion='residence_title']")).to_contain_text(
        "Rechtsgrundlage: § 10 Abs. 1 Satz 1 Nr. 2 StAG"
    )
    expect(page.get_by_role("table", name="Gebühren")).to_contain_text("255,00 €")
    expect(page.locator("main")).to_contain_text("Sie zahlen jetzt nichts online")
    assert_accessible(page)
    go_on(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Wie erreichen wir Sie?")
    page.get_by_label("E-Mail-Adresse").fill("amira@example.org")
    go_on(page)

    # The documents page: the checklist of an employed single applicant; the rent certificate is uploaded.
    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Unterlagen")
    expect(page.locator("main")).to_contain_text("Ihre letzten 3 Gehaltsabrechnungen")
    expect(page.locator("main")).not_to_contain_text("Heiratsurkunde")
    assert_accessible(page)
    page.get_by_label("Mietbescheinigung oder Mietvertrag hochladen").set_input_files(
        {"name": "miete.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.7\n" + b"\x00" * 200}
    )
    go_on(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    expect(page.locator("[data-checklist]")).to_contain_text("Hochgeladen: miete.pdf")
    expect(page.locator("main")).to_contain_text("Voraussetzungen wahrscheinlich erfüllt")
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()

    # No payment: the next step is an appointment at the Standesamt, with the documents to bring.
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    next_step = page.locator("[data-next-step]")
    expect(next_step).to_have_attribute("data-next-step", "appointment")
    expect(next_step).to_contain_text("Die Gebühr zahlen Sie erst mit dem Antrag")
    expect(page.locator("main a[href*='/termin/']").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("Ihr gültiger Reisepass")
    assert_accessible(page)

    submission = Submission.objects.get()
    assert submission.outcome == {"key": "application_appointment", "kind": "appointment"}
    assert submission.answers["selfcheck_result"] == "met"
    assert not Payment.objects.exists()
