"""Ordering a Meldebescheinigung on paper and paying through the demo provider, in a real browser without
JavaScript, logged in with the eID (the demo identity provider) and found in the demo residents' register.

Journeys: paying at once, ending with the receipt PDF downloaded; and
cancelling at the provider, then paying later from the status page. axe-core
checks every payment page. Another pays at an outside provider (a fake
GiroCheckout on another origin) through the Content-Security-Policy's form-action.
"""

import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from amtsweg.applications.services import form_definitions_load
from amtsweg.payments.models import Payment
from amtsweg.settings.csp import content_security_policy, provider_origins
from tests.payments.conftest import fake_girocheckout  # noqa: F401  (fixture)

from .conftest import assert_accessible, log_in_with_eid, press_continue

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def citizen(browser, settings, tmp_path, demo_register):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"  # the demo SAML keys
    context = browser.new_context(
        java_script_enabled=False, locale="de-DE", viewport={"width": 1024, "height": 900}, accept_downloads=True
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()


def order_to_pay_page(page, live_server):
    """Erika logs in with the eID and orders two Meldebescheinigungen on paper, up to the page that asks how to pay."""
    page.goto(live_server.url + "/antrag/meldebescheinigung/")
    page.get_by_role("button", name="Jetzt starten").click()
    log_in_with_eid(page, "Erika Mustermann")
    page.get_by_role("button", name="Jetzt starten").click()
    page.get_by_label("Erika Mustermann (Sie selbst)").check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label(re.compile("^Einfach")).check()
    page.get_by_label(re.compile("^Auf Papier")).check()
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("Wie viele Exemplare brauchen Sie?").fill("2")
    page.get_by_role("button", name="Weiter").click()
    page.get_by_label("E-Mail-Adresse").fill("erika@example.org")
    page.get_by_role("button", name="Weiter").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Prüfen Sie Ihre Angaben")
    fees = page.get_by_role("table", name="Gebühren")
    expect(fees).to_contain_text("Meldebescheinigung auf Papier")
    expect(fees).to_contain_text("18,00 €")
    assert_accessible(page)
    page.get_by_label(re.compile("wahrheitsgemäß")).check()
    page.get_by_role("button", name="Antrag absenden").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gebühr bezahlen")
    expect(page.get_by_text(re.compile(r"Ihr Antrag KS-\d{4}-\d{6}-\d ist gespeichert"))).to_be_visible()
    assert_accessible(page)


def order_to_payment(page, live_server):
    """The order up to the demo provider's page, with a card."""
    order_to_pay_page(page, live_server)
    # Paying without choosing a method: the error summary, in German, on the same page.
    page.get_by_role("button", name="Jetzt bezahlen").click()
    expect(page).to_have_title(re.compile("^Fehler:"))
    assert_accessible(page)
    page.get_by_label("Kredit- oder Debitkarte").check()
    page.get_by_role("button", name="Jetzt bezahlen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo-Zahlungsanbieter")
    assert_accessible(page)


def test_pay_at_once_then_download_the_receipt(citizen, live_server, kassel):
    form_definitions_load()
    page = citizen
    order_to_payment(page, live_server)
    page.get_by_label("Die Zahlung klappt", exact=True).check()
    page.get_by_role("button", name="Bestätigen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    payment = Payment.objects.get()
    expect(page.get_by_text(payment.kassenzeichen)).to_be_visible()
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Quittung herunterladen (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"quittung-{payment.kassenzeichen}.pdf"
    assert Path(download.path()).read_bytes()[:5] == b"%PDF-"
    assert payment.submission.case is not None


def test_cancel_at_the_provider_then_pay_later_from_the_status_page(citizen, live_server, kassel):
    form_definitions_load()
    page = citizen
    order_to_payment(page, live_server)
    page.get_by_role("button", name="Zahlung abbrechen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Zahlung abgebrochen")
    expect(page.get_by_text("Es wurde kein Geld abgebucht.")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Später bezahlen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Stand Ihres Antrags")
    expect(page.get_by_text("Abgebrochen")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Jetzt bezahlen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Gebühr bezahlen")
    expect(page.get_by_text("Sie haben die Zahlung abgebrochen.")).to_be_visible()
    page.get_by_label("Lastschrift (SEPA)").check()
    page.get_by_role("button", name="Jetzt bezahlen").click()
    page.get_by_label("Die Zahlung klappt", exact=True).check()
    page.get_by_role("button", name="Bestätigen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    payment = Payment.objects.get()
    assert payment.status == "paid" and payment.transactions.count() == 2
    assert list(payment.events.values_list("to_status", flat=True)) == [
        "open",
        "pending",
        "cancelled",
        "pending",
        "paid",
    ]


def test_on_a_shared_computer_ending_the_session_leaves_nothing_for_the_next_person(citizen, live_server, kassel):
    form_definitions_load()
    page = citizen
    order_to_payment(page, live_server)
    page.get_by_label("Die Zahlung klappt", exact=True).check()
    page.get_by_role("button", name="Bestätigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    payment = Payment.objects.get()
    confirmation = page.url

    page.get_by_role("button", name="Abmelden").first.click()  # she logged in with the eID
    press_continue(page)  # the single logout at BundID (the demo identity provider) and back
    press_continue(page, "Zurück zum Portal")
    expect(page.get_by_text("Sie sind abgemeldet.")).to_be_visible()
    expect(page.get_by_role("button", name="Abmelden")).to_have_count(0)
    expect(page.get_by_role("link", name="Sitzung beenden")).to_have_count(0)
    assert_accessible(page)

    # The next person presses "back", or types the addresses from the history. Back leads into the logout's
    # hand-over pages, which were sent by POST: the browser shows them no more (ERR_CACHE_MISS), or shows them.
    try:
        page.go_back()
    except PlaywrightError as error:
        assert "ERR_CACHE_MISS" in str(error)
    expect(page.get_by_text(payment.kassenzeichen)).to_have_count(0)
    for url in (confirmation, f"{live_server.url}/status/{payment.submission.uuid}/"):
        page.goto(url)
        expect(page.get_by_text(payment.submission.reference)).to_have_count(0)
    receipt = page.request.get(f"{live_server.url}/zahlung/{payment.uuid}/quittung.pdf")
    assert receipt.status == 404


def test_paying_at_an_outside_provider_is_let_through_by_the_policy(
    citizen,
    live_server,
    kassel,
    settings,
    fake_girocheckout,  # noqa: F811
):
    # "Jetzt bezahlen" posts to us, and we redirect to the provider's page on another origin: the browser
    # holds that redirect to form-action, which names the configured provider (as settings/base.py does).
    settings.PAYMENTS = {**settings.PAYMENTS, "provider": "girocheckout"}
    settings.SECURE_CSP = content_security_policy(
        form_action=provider_origins(payments=settings.PAYMENTS, identity=settings.IDENTITY)
    )
    assert fake_girocheckout.url in settings.SECURE_CSP["form-action"]
    form_definitions_load()
    page = citizen
    order_to_pay_page(page, live_server)
    page.get_by_role("button", name="Jetzt bezahlen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Bezahlen")
    assert page.url.startswith(fake_girocheckout.url)
    page.get_by_role("button", name="Bezahlen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Antrag abgeschickt")
    assert Payment.objects.get().status == "paid"
