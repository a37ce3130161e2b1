"""Two Geburtsurkunden from order to envelope, in a real browser without JavaScript, axe-core on every page.

The citizen orders two birth certificates for themselves and pays with the
demo provider; the emails bring the reference number and the receipt. A
Standesamt clerk signs in, prints the order (cover letter and order sheet as
PDF) and marks it sent; the citizen's status page then says "Versendet".
"""

import datetime
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from amtsweg.applications.services import form_definitions_load
from amtsweg.catalogue.models import Department
from amtsweg.civil_status.models import CertificateOrder
from amtsweg.payments.models import Payment
from tests.accounts.factories import StaffFactory
from tests.documents.pdftext import pdf_text

from .conftest import assert_accessible
from .test_application_journey import fill_address, fill_date

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct-horse-battery"  # StaffFactory's


@pytest.fixture
def no_script(browser, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STAFF_2FA_REQUIRED = False
    contexts = []

    def page():
        context = browser.new_context(
            java_script_enabled=False, locale="de-DE", viewport={"width": 1280, "height": 900}, accept_downloads=True
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield page
    for context in contexts:
        context.close()


def next_page(page) -> None:
    page.get_by_role("button", name="Weiter").click()


def order_two_birth_certificates(page, live_server) -> None:
    page.goto(live_server.url + "/antrag/geburtsurkunde/")
    assert_accessible(page)
    page.get_by_role("button", name="Jetzt starten").click()
    page.get_by_label("Meine eigene").check()
    assert_accessible(page)
    next_page(page)
    page.get_by_label("Nein").check()  # not adopted
    next_page(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Angaben")
    page.get_by_label("Vornamen").fill("Erika")
    page.get_by_label("Familienname").fill("Mustermann")
    fill_date(page, datetime.date(1985, 3, 27))
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    next_page(page)

    page.get_by_label("Vornamen").fill("Erika")
    page.get_by_label("Familienname").fill("Mustermann")
    fill_date(page, datetime.date(1985, 3, 27))
    page.get_by_label("Geburtsort").fill("Kassel")
    assert_accessible(page)
    next_page(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Ihre Bestellung")
    page.get_by_label("Geburtsurkunde", exact=True).check()
    page.get_by_label("Wie viele Urkunden brauchen Sie?").fill("2")
    next_page(page)
    page.get_by_label("Nein").check()  # delivery in Germany
    next_page(page)
    fill_address(page, "Wilhelmshöher Allee", "19", "34117", "Kassel")
    assert_accessible(page)
    next_page(page)

    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    expect(page.get_by_role("table", name="Gebühren")).to_contain_text("18,00 €")
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gebühr bezahlen")
    page.get_by_label("Kredit- oder Debitkarte").check()
    page.get_by_role("button", name="Jetzt bezahlen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo-Zahlungsanbieter")
    page.get_by_label("Die Zahlung klappt", exact=True).check()
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    assert_accessible(page)


def test_two_birth_certificates_ordered_paid_printed_and_sent(no_script, live_server, kassel, run_tasks):
    form_definitions_load()
    StaffFactory(username="sabine", departments=[Department.objects.get(slug="standesamt")])
    citizen, staff = no_script(), no_script()

    order_two_birth_certificates(citizen, live_server)
    payment = Payment.objects.get()
    reference = payment.submission.reference
    assert payment.status == "paid" and payment.amount_cents == 1800

    run_tasks()
    to_citizen = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    assert all(reference in m.subject or reference in m.body for m in to_citizen)
    [receipt_mail] = [m for m in to_citizen if m.attachments and m.attachments[0][0].startswith("quittung-")]
    assert receipt_mail.attachments[0][0] == f"quittung-{payment.kassenzeichen}.pdf"
    assert payment.kassenzeichen in receipt_mail.body
    status_path = urlsplit(re.search(r"https?://\S+/status/\S+", receipt_mail.body).group(0)).path

    # The clerk: sign in, open the queue, print, mark as sent.
    staff.goto(live_server.url + "/intern/urkunden/")
    staff.get_by_label("Benutzername").fill("sabine")
    staff.get_by_label("Passwort").fill(PASSWORD)
    staff.get_by_role("button", name="Anmelden").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Urkundenbestellungen")
    assert_accessible(staff)
    staff.get_by_role("link", name=reference).click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text(reference)
    expect(staff.get_by_text("Wilhelmshöher Allee 19")).to_be_visible()
    assert_accessible(staff)

    with staff.expect_download() as download_info:
        staff.get_by_role("button", name="Drucken", exact=True).click()
    printed = download_info.value
    assert printed.suggested_filename == f"bestellung-{reference}.pdf"
    text = pdf_text(Path(printed.path()).read_bytes())
    assert "die 2 Urkunden" in text and "Bestellblatt" in text and "34117 Kassel" in text

    staff.reload()
    expect(staff.get_by_text("Gedruckt", exact=True)).to_be_visible()
    # A rejection without a reason is stopped with the error summary; nothing is refunded.
    staff.get_by_role("button", name="Ablehnen und erstatten").click()
    expect(staff).to_have_title(re.compile("^Fehler:"))
    expect(staff.get_by_role("alert")).to_contain_text("Geben Sie die Begründung der Ablehnung ein")
    assert_accessible(staff)
    assert Payment.objects.get().status == "paid"
    staff.get_by_role("button", name="Versendet").click()
    expect(staff.get_by_role("status")).to_contain_text("als versendet markiert")
    assert_accessible(staff)
    assert CertificateOrder.objects.get().status == "sent"
    staff.get_by_role("link", name="Urkundenbestellungen").first.click()
    staff.get_by_role("link", name="Ausführlicher Servicelevel-Bericht").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Servicelevel der Urkundenbestellungen")
    assert_accessible(staff)

    run_tasks()
    [done] = [m for m in mail.outbox if m.to == ["erika@example.org"] and "abgeschlossen" in m.subject]
    assert "Neuer Stand: Versendet" in done.body

    # The citizen's status page.
    citizen.goto(live_server.url + status_path)
    expect(citizen.locator(".aw-status[data-status]")).to_have_text("Versendet")
    assert_accessible(citizen)
