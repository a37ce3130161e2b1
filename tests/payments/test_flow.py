"""The citizen's way through paying, with the demo provider, as the browser sees it (Django's test client)."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from amtsweg.cases.models import Case
from amtsweg.payments.constants import PaymentStatus
from amtsweg.payments.contrib.demo.models import DemoProviderTransaction
from amtsweg.payments.models import Payment, PaymentTransaction

BASE = "/antrag/meldebescheinigung/"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"  # the demo seal's key


@pytest.fixture(autouse=True)
def register(demo_register):
    """The Meldebescheinigung reads the residents' register: the demo register runs for every test here."""
    return demo_register


def erika_log_in(client):
    """Erika Mustermann logs in with her eID at level "high", as the Meldebescheinigung needs."""
    from amtsweg.identity.contrib.demo.views import person_identity
    from amtsweg.identity.demo_idp.idp import person
    from tests.identity.helpers import log_in

    return log_in(client, person_identity(person("kassel-adult")))


def fill_meldebescheinigung(client, *, fmt="paper", copies=2):
    """A Meldebescheinigung for oneself, simple, up to the check page (logged in with the eID if not yet)."""
    from amtsweg.residents.journey import _token

    if "identity" not in client.session:
        erika_log_in(client)
    assert client.post(BASE).status_code == 302
    steps = [
        ("person", {"person": _token("P-0001")}),
        ("certificate", {"kind": "simple", "format": fmt}),
        *([("copies", {"copies": str(copies)}), ("contact", {"email": "erika@example.org"})] if fmt == "paper" else []),
    ]
    for key, data in steps:
        response = client.post(f"{BASE}schritt/{key}/", {**data, "action": "continue"})
        assert response.status_code == 302, (key, response.content.decode()[:2000])


def submit(client, **extra):
    response = client.post(f"{BASE}pruefen/", {"declaration": "yes", **extra})
    assert response.status_code == 302
    return response


@pytest.mark.django_db
def test_check_page_itemises_the_fee_computed_from_the_answers(client, forms):
    fill_meldebescheinigung(client, copies=3)
    html = client.get(f"{BASE}pruefen/").content.decode()
    assert "Meldebescheinigung auf Papier" in html
    assert "27,00 €" in html and "9,00 €" in html


@pytest.mark.django_db
def test_a_fee_bearing_submission_goes_to_payment_and_reaches_no_queue_before_it_is_paid(client, forms):
    fill_meldebescheinigung(client, copies=2)
    response = submit(client, amount="1", amount_cents="1", total="0")  # whatever the browser says
    payment = Payment.objects.get()
    assert response["Location"] == f"/zahlung/{payment.uuid}/"
    assert payment.amount_cents == 1800 and payment.status == PaymentStatus.OPEN
    assert [item["code"] for item in payment.items] == ["certificate"]
    assert not Case.objects.exists()
    assert payment.kassenzeichen.isdigit() and len(payment.kassenzeichen) == 12


@pytest.mark.django_db
def test_the_electronic_certificate_is_free_and_skips_payment(client, forms):
    from amtsweg.documents.models import SealedDocument

    fill_meldebescheinigung(client, fmt="electronic")
    response = client.post(f"{BASE}pruefen/")
    document = SealedDocument.objects.get()
    assert response["Location"] == f"{BASE}ausgestellt/{document.uuid}/"
    assert not Payment.objects.exists() and not Case.objects.exists()


@pytest.mark.django_db
def test_pay_page_asks_for_a_method_and_says_so_when_none_is_chosen(client, forms):
    fill_meldebescheinigung(client)
    pay_url = submit(client)["Location"]
    page = client.get(pay_url).content.decode()
    # The fee, the question, and the demo provider's three methods as radio buttons with their labels.
    assert "18,00 €" in page and "Wie möchten Sie bezahlen?" in page
    for code, label in (("card", "Kredit- oder Debitkarte"), ("paypal", "PayPal"), ("sepa", "Lastschrift (SEPA)")):
        assert f'name="method" type="radio" value="{code}"' in page and label in page
    response = client.post(pay_url, {})
    assert response.status_code == 400
    assert "Fehler:" in response.content.decode()
    assert PaymentTransaction.objects.count() == 0


@pytest.mark.django_db
def test_double_clicking_pay_gives_one_payment(client, forms):
    fill_meldebescheinigung(client)
    pay_url = submit(client)["Location"]
    first = client.post(pay_url, {"method": "card"})
    second = client.post(pay_url, {"method": "card"})
    assert first["Location"] == second["Location"]
    assert first["Location"].startswith("/demo-zahlung/demo_")
    assert PaymentTransaction.objects.count() == 1 and DemoProviderTransaction.objects.count() == 1


def _pay_at_demo(client, outcome):
    fill_meldebescheinigung(client)
    pay_url = submit(client)["Location"]
    demo_url = client.post(pay_url, {"method": "card"})["Location"]
    back = client.post(demo_url, {"outcome": outcome})
    assert back.status_code == 302
    return back["Location"]


@pytest.mark.django_db
def test_success_confirmed_by_the_provider_leads_to_the_confirmation_and_opens_the_case(client, forms):
    back = _pay_at_demo(client, "paid")
    response = client.get(back)
    payment = Payment.objects.get()
    assert response.status_code == 302 and "/antrag/eingereicht/" in response["Location"]
    assert payment.status == PaymentStatus.PAID
    assert payment.events.last().source == "return"
    case = Case.objects.get()
    assert case.submission_id == payment.submission_id
    confirmation = client.get(response["Location"]).content.decode()
    assert payment.kassenzeichen in confirmation and "quittung.pdf" in confirmation


@pytest.mark.django_db
def test_reloading_the_return_page_changes_nothing_more(client, forms):
    back = _pay_at_demo(client, "paid")
    client.get(back)
    client.get(back)
    assert Payment.objects.get().events.filter(to_status="paid").count() == 1


@pytest.mark.django_db
def test_the_return_after_the_notification_reads_the_transaction_once(client, forms, django_assert_max_num_queries):
    from amtsweg.payments.services import payment_notification_handle
    from tests.payments.test_services import notification

    back = _pay_at_demo(client, "paid")
    tx = PaymentTransaction.objects.get()
    assert payment_notification_handle(provider="demo", request=notification(tx, "paid"))[0] == 200
    # The session, the transaction with its payment and submission, and the provider's answer: nothing
    # read twice.
    with django_assert_max_num_queries(3):
        response = client.get(back)
    assert response.status_code == 302 and "/antrag/eingereicht/" in response["Location"]
    assert Payment.objects.get().events.filter(to_status="paid").count() == 1


@pytest.mark.django_db
def test_cancel_offers_to_try_again_or_pay_later_and_keeps_the_submission(client, forms):
    back = _pay_at_demo(client, "cancelled")
    assert "/abgebrochen/" in back
    html = client.get(back).content.decode()
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.CANCELLED
    assert "Zahlung abgebrochen" in html
    assert f"/zahlung/{payment.uuid}/" in html and f"/status/{payment.submission.uuid}/" in html
    status = client.get(f"/status/{payment.submission.uuid}/").content.decode()
    assert "Jetzt bezahlen" in status


@pytest.mark.django_db
def test_failure_says_no_money_was_taken(client, forms):
    html = client.get(_pay_at_demo(client, "failed")).content.decode()
    assert Payment.objects.get().status == PaymentStatus.FAILED
    assert "Es wurde kein Geld abgebucht" in html


@pytest.mark.django_db
def test_a_delayed_confirmation_shows_a_waiting_page_to_check_again_then_the_confirmation(client, forms):
    back = _pay_at_demo(client, "paid_delayed")
    waiting = client.get(back)
    assert waiting.status_code == 200 and "Erneut prüfen" in waiting.content.decode()
    assert Payment.objects.get().status == PaymentStatus.PENDING
    DemoProviderTransaction.objects.update(settle_at=timezone.now() - datetime.timedelta(seconds=1))
    assert "/antrag/eingereicht/" in client.get(back)["Location"]


@pytest.mark.django_db
def test_the_browser_return_alone_never_marks_paid(client, forms):
    fill_meldebescheinigung(client)
    pay_url = submit(client)["Location"]
    client.post(pay_url, {"method": "card"})
    tx = PaymentTransaction.objects.get()
    # The citizen skips the provider and calls the return address, claiming success.
    client.get(f"/zahlung/{tx.payment.uuid}/zurueck/{tx.uuid}/?status=paid&gcResultPayment=4000")
    assert Payment.objects.get().status == PaymentStatus.PENDING


@pytest.mark.django_db
def test_provider_down_at_start_gives_a_clear_message_and_pay_later(client, forms, fake_girocheckout, settings):
    settings.PAYMENTS = {**settings.PAYMENTS, "provider": "girocheckout"}
    fake_girocheckout.stop()
    fill_meldebescheinigung(client)
    pay_url = submit(client)["Location"]
    response = client.post(pay_url, {"method": ""})
    html = response.content.decode()
    assert response.status_code == 503
    assert "nicht erreichbar" in html and "Statusseite" in html
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.FAILED and payment.submission.answers


@pytest.mark.django_db
def test_receipt_is_downloadable_from_the_status_page_once_paid(client, forms):
    client.get(_pay_at_demo(client, "paid"))
    payment = Payment.objects.get()
    status = client.get(f"/status/{payment.submission.uuid}/").content.decode()
    assert f"/zahlung/{payment.uuid}/quittung.pdf" in status
    response = client.get(f"/zahlung/{payment.uuid}/quittung.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.django_db
def test_payment_pages_of_another_session_are_not_found(client, forms, django_user_model):
    from django.test import Client

    fill_meldebescheinigung(client)
    pay_url = submit(client)["Location"]
    stranger = Client()
    assert stranger.get(pay_url).status_code == 404
    assert stranger.get(pay_url + "quittung.pdf").status_code == 404


@pytest.mark.django_db
def test_an_expired_payment_cannot_be_paid_any_more(client, forms):
    fill_meldebescheinigung(client)
    pay_url = submit(client)["Location"]
    Payment.objects.update(status=PaymentStatus.EXPIRED)
    html = client.get(pay_url).content.decode()
    assert "abgelaufen" in html
    client.post(pay_url, {"method": "card"})
    assert PaymentTransaction.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_paid_emails_the_receipt_and_tells_the_department(client, forms, run_tasks):
    client.get(_pay_at_demo(client, "paid"))
    run_tasks()
    payment = Payment.objects.get()
    receipt_mail = next(m for m in mail.outbox if "Zahlung erhalten" in m.subject)
    assert receipt_mail.attachments[0][0] == f"quittung-{payment.kassenzeichen}.pdf"
    assert payment.kassenzeichen in receipt_mail.body
    assert any(payment.submission.reference in m.subject and "Neuer Antrag" in m.subject for m in mail.outbox)
    confirmation = next(m for m in mail.outbox if "Ihr Antrag ist eingegangen" in m.subject)
    assert confirmation.to == ["erika@example.org"]
    assert len(mail.outbox) == 3


@pytest.mark.django_db(transaction=True)
def test_the_demo_notification_is_a_real_signed_http_request_that_settles_the_payment(live_server, forms):
    from django.test import Client

    from amtsweg.payments.contrib.demo.tasks import demo_notification_send

    client = Client()
    fill_meldebescheinigung(client)
    pay_url = submit(client)["Location"]
    client.post(pay_url, {"method": "card"})
    record = DemoProviderTransaction.objects.get()
    record.status = "paid"
    record.notify_url = live_server.url + "/zahlung/benachrichtigung/demo/"
    record.save()
    assert demo_notification_send.call(record.id, "paid") == 200
    assert demo_notification_send.call(record.id, "paid") == 200  # a duplicate delivery
    payment = Payment.objects.get()
    assert payment.status == PaymentStatus.PAID
    assert list(payment.events.filter(to_status="paid").values_list("source", flat=True)) == ["notification"]


@pytest.mark.django_db
def test_a_forged_notification_over_http_is_refused(client, forms):
    fill_meldebescheinigung(client)
    pay_url = submit(client)["Location"]
    client.post(pay_url, {"method": "card"})
    tx = PaymentTransaction.objects.get()
    body = (
        f'{{"id":"{tx.provider_id}","merchant_reference":"{tx.uuid}","status":"paid","amount_cents":1800,'
        '"currency":"EUR"}'
    )
    response = client.post(
        "/zahlung/benachrichtigung/demo/", body, content_type="application/json", HTTP_X_DEMO_SIGNATURE="t=1,v1=00"
    )
    assert response.status_code == 400
    assert Payment.objects.get().status == PaymentStatus.PENDING


@pytest.mark.django_db
def test_the_summary_pdf_lists_the_fee_lines(client, forms):
    import subprocess

    fill_meldebescheinigung(client, copies=2)
    submit(client)
    submission = Payment.objects.get().submission
    response = client.get(f"/antrag/eingereicht/{submission.uuid}/zusammenfassung.pdf")
    pdf = b"".join(response.streaming_content) if response.streaming else response.content
    text = subprocess.run(["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True).stdout
    text = text.decode()
    assert "Meldebescheinigung auf Papier × 2" in text and "18,00 €" in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("provider", "body", "content_type"),
    [
        ("demo", b"not json", "application/json"),
        ("demo", b"", "application/json"),
        ("demo", b'{"id": 1}', "application/json"),
        ("demo", b"\xff\xfe\x00garbage", "application/octet-stream"),
        ("girocheckout", b"gcReference=x&gcHash=\xc3\xa4", "application/x-www-form-urlencoded"),
        ("girocheckout", b"", "application/x-www-form-urlencoded"),
        ("nosuch-provider", b"{}", "application/json"),
    ],
)
def test_garbage_notifications_are_refused_never_a_server_error(client, provider, body, content_type):
    response = client.post(
        f"/zahlung/benachrichtigung/{provider}/", body, content_type=content_type, HTTP_X_DEMO_SIGNATURE="t=x,v1=y"
    )
    assert response.status_code in (400, 404)


@pytest.mark.django_db
def test_a_too_large_notification_is_refused(client):
    response = client.post("/zahlung/benachrichtigung/demo/", b"x" * 70_000, content_type="application/json")
    assert response.status_code == 413


@pytest.mark.django_db
def test_the_payment_pages_speak_english_under_en(client, forms):
    fill_meldebescheinigung(client)
    payment_url = submit(client)["Location"]
    html = client.get("/en" + payment_url).content.decode()
    assert "Pay the fee" in html and "How do you want to pay?" in html and "Credit or debit card" in html
    assert "Gebühr bezahlen" not in html
