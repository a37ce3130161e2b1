"""A company asks the register of residents about a person: it logs in by email, asks, pays through the
demo provider and reads the answer on the status page, in a real browser without JavaScript."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from playwright.sync_api import expect

from amtsweg.applications.models import Submission
from amtsweg.applications.services import form_definitions_load

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def company(browser, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    context = browser.new_context(java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900})
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def fill_address(group, street: str, number: str, postcode: str, town: str) -> None:
    group.get_by_label("Straße").fill(street)
    group.get_by_label("Hausnummer").fill(number)
    group.get_by_label("Postleitzahl").fill(postcode)
    group.get_by_label(re.compile("^Ort")).fill(town)


def log_in_by_email(page, live_server, run_tasks) -> None:
    page.goto(live_server.url + "/antrag/melderegisterauskunft/")
    page.get_by_role("button", name="Jetzt starten").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte melden Sie sich an")
    assert_accessible(page)
    page.get_by_role("button", name="Mit einem E-Mail-Link anmelden").click()
    page.get_by_label("Wie lautet Ihre E-Mail-Adresse?").fill("post@inkasso.example")
    page.get_by_role("button", name="Link senden").click()
    run_tasks()  # the task worker sends the link
    link = re.search(r"https?://\S+/anmelden/email/link/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Jetzt anmelden").click()


def test_a_company_logs_in_by_email_asks_about_a_person_pays_and_reads_the_answer(
    company,
    live_server,
    kassel,
    demo_register,
    run_tasks,
):
    form_definitions_load()
    page = company
    log_in_by_email(page, live_server, run_tasks)
    page.goto(live_server.url + "/antrag/melderegisterauskunft/")
    page.get_by_role("button", name="Jetzt starten").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Welche Auskunft brauchen Sie?")
    page.get_by_label(re.compile("^Einfach")).check()
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Die gesuchte Person")
    page.get_by_label("Vornamen").fill("Erika")
    page.get_by_label("Familienname").fill("Mustermann")
    # Only the name: the person cannot be identified uniquely, and the page says what is missing.
    page.get_by_role("button", name="Weiter").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    expect(page.get_by_role("link", name=re.compile("Geben Sie die Anschrift der Person an"))).to_be_visible()
    assert_accessible(page)
    fill_address(
        page.get_by_role("group", name=re.compile("^Anschrift der Person")),
        "Friedrich-Ebert-Straße",
        "12",
        "34117",
        "Kassel",
    )
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Wofür Sie die Daten nutzen")
    expect(page.get_by_text(re.compile("nur nutzen, wenn die Person eingewilligt hat"))).to_be_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Nutzen Sie die Daten gewerblich?").get_by_label("Ja").check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Für welchen gewerblichen Zweck?").fill("Forderung eines Kunden einziehen")
    page.get_by_label(re.compile("nicht für Werbung oder Adresshandel")).check()
    page.get_by_role("button", name="Weiter").click()

    page.get_by_label("Ihr Name oder der Name Ihrer Firma").fill("Inkasso GmbH")
    page.get_by_label("E-Mail-Adresse").fill("post@inkasso.example")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    expect(page.get_by_role("table", name="Gebühren")).to_contain_text("11,00 €")
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gebühr bezahlen")
    page.get_by_label("Kredit- oder Debitkarte").check()
    page.get_by_role("button", name="Jetzt bezahlen").click()
    page.get_by_label("Die Zahlung klappt", exact=True).check()
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    assert_accessible(page)

    run_tasks()  # the register is asked once the fee is paid
    submission = Submission.objects.get()
    page.goto(live_server.url + reverse("applications:status", kwargs={"uuid": submission.uuid}))
    expect(page.get_by_role("heading", level=1)).to_have_text("Stand Ihres Antrags")
    expect(page.get_by_text(re.compile("Auskunft aus dem Melderegister"))).to_be_visible()
    expect(page.get_by_text(re.compile("Friedrich-Ebert-Straße 12, 34117 Kassel"))).to_be_visible()
    assert_accessible(page)
