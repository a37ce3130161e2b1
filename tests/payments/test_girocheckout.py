"""The GiroCheckout plugin against a fake GiroCheckout over real HTTP (see fake_girocheckout.py)."""

from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest

from amtsweg.payments import services
from amtsweg.payments.base import IncomingRequest, NotificationRejected, ProviderUnavailable, ProviderUrls
from amtsweg.payments.constants import PaymentStatus, TransactionStatus
from amtsweg.payments.contrib.girocheckout.plugin import GiroCheckoutError, GiroCheckoutProvider, hmac_md5
from amtsweg.payments.registry import registry
from tests.payments.factories import PaymentFactory, PaymentTransactionFactory

pytestmark = pytest.mark.django_db

RETURN_URL = "https://amtsweg.example/de/zahlung/p/zurueck/t/"
CANCEL_URL = "https://amtsweg.example/de/zahlung/p/abgebrochen/t/"
DOCUMENTED_INIT_ORDER = [
    "merchantId",
    "projectId",
    "merchantTxId",
    "amount",
    "currency",
    "purpose",
    "type",
    "test",
    "successUrl",
    "backUrl",
    "failUrl",
    "notifyUrl",
]


@pytest.fixture
def provider(fake_girocheckout):
    return registry.get("girocheckout")


@pytest.fixture
def urls(fake_girocheckout):
    # Notifications go to the fake's stand-in for our endpoint, which records them.
    return ProviderUrls(return_url=RETURN_URL, cancel_url=CANCEL_URL, notify_url=fake_girocheckout.sink_url)


@pytest.fixture
def transaction():
    return PaymentTransactionFactory(provider="girocheckout", amount_cents=2400, payment__amount_cents=2400)


@pytest.fixture
def started(provider, transaction, urls):
    """A transaction started at the fake: its provider_id is the fake's reference."""
    result = provider.start(transaction=transaction, method="", purpose="KS-2026-000001-0 Urkunde", urls=urls)
    transaction.provider_id = result.provider_id
    transaction.redirect_url = result.redirect_url
    transaction.save()
    return transaction


def query_of(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query, keep_blank_values=True))


def incoming(params: dict[str, str]) -> IncomingRequest:
    return IncomingRequest(method="GET", params=params)


# --- registration and configuration ---------------------------------------------


def test_the_plugin_is_registered_and_reads_its_settings(provider, fake_girocheckout):
    assert isinstance(provider, GiroCheckoutProvider)
    assert provider.config["base_url"] == fake_girocheckout.api_url
    assert provider.methods() == []


def test_check_configuration_lists_missing_credentials():
    problems = GiroCheckoutProvider({"base_url": "https://x.example"}).check_configuration(production=False)
    assert len(problems) == 3
    assert all(any(key in p for p in problems) for key in ("merchant_id", "project_id", "secret"))


def test_check_configuration_refuses_test_mode_and_plain_http_in_production():
    config = {"base_url": "http://x.example", "merchant_id": "1", "project_id": "2", "secret": "s", "test_mode": True}
    assert GiroCheckoutProvider(config).check_configuration(production=False) == []
    problems = GiroCheckoutProvider(config).check_configuration(production=True)
    assert any("https" in p for p in problems) and any("test_mode" in p for p in problems)


# --- start -------------------------------------------------------------------


def test_start_returns_the_pay_page_and_the_reference(provider, transaction, urls, fake_girocheckout):
    result = provider.start(transaction=transaction, method="", purpose="KS-2026-000001-0", urls=urls)

    assert result.redirect_url == f"{fake_girocheckout.url}/pay/{result.provider_id}"
    booked = fake_girocheckout.transactions[result.provider_id]
    assert booked.merchant_tx_id == str(transaction.uuid)
    assert (booked.amount, booked.currency, booked.type, booked.test) == (2400, "EUR", "SALE", "1")
    assert (booked.success_url, booked.fail_url, booked.back_url) == (RETURN_URL, RETURN_URL, CANCEL_URL)
    assert booked.notify_url == fake_girocheckout.sink_url


def test_start_signs_the_documented_fields_in_documented_order(provider, transaction, urls, fake_girocheckout):
    provider.start(transaction=transaction, method="", purpose="Urkunde", urls=urls)

    call = fake_girocheckout.calls[-1]
    assert call["rc"] == 0
    sent = call["params"]
    assert list(sent) == [*DOCUMENTED_INIT_ORDER, "hash"]
    expected = hmac_md5(fake_girocheckout.secret, "".join(sent[name] for name in DOCUMENTED_INIT_ORDER))
    assert sent["hash"] == expected


def test_start_cuts_the_purpose_to_27_characters(provider, transaction, urls, fake_girocheckout):
    result = provider.start(transaction=transaction, method="", purpose="X" * 60, urls=urls)
    assert fake_girocheckout.transactions[result.provider_id].purpose == "X" * 27


def test_a_wrong_secret_is_refused_by_girocheckout(transaction, urls, fake_girocheckout, settings):
    config = {**settings.PAYMENTS["providers"]["girocheckout"], "secret": "not-the-secret"}
    with pytest.raises(ProviderUnavailable, match="5002"):
        GiroCheckoutProvider(config).start(transaction=transaction, method="", purpose="x", urls=urls)
    assert fake_girocheckout.calls[-1]["rc"] == 5002
    assert fake_girocheckout.transactions == {}


def test_an_unknown_project_is_an_error_with_its_code(transaction, urls, fake_girocheckout, settings):
    config = {**settings.PAYMENTS["providers"]["girocheckout"], "project_id": "99999"}
    with pytest.raises(GiroCheckoutError) as raised:
        GiroCheckoutProvider(config).start(transaction=transaction, method="", purpose="x", urls=urls)
    assert raised.value.rc == 5000
    assert isinstance(raised.value, ProviderUnavailable)


def test_provider_down_at_start_is_unavailable(provider, transaction, urls, fake_girocheckout):
    fake_girocheckout.down = True
    with pytest.raises(ProviderUnavailable, match="503"):
        provider.start(transaction=transaction, method="", purpose="x", urls=urls)


def test_provider_unreachable_at_start_is_unavailable(provider, transaction, urls, fake_girocheckout):
    fake_girocheckout.stop()
    with pytest.raises(ProviderUnavailable):
        provider.start(transaction=transaction, method="", purpose="x", urls=urls)


def test_provider_too_slow_is_unavailable(transaction, urls, fake_girocheckout, settings):
    fake_girocheckout.delay_seconds = 0.5
    config = {**settings.PAYMENTS["providers"]["girocheckout"], "timeout_seconds": 0.1}
    with pytest.raises(ProviderUnavailable, match="Timeout"):
        GiroCheckoutProvider(config).start(transaction=transaction, method="", purpose="x", urls=urls)


def test_a_reply_with_a_bad_hash_header_is_not_trusted(provider, transaction, urls, fake_girocheckout):
    fake_girocheckout.bad_response_hash = True
    with pytest.raises(ProviderUnavailable, match="hash"):
        provider.start(transaction=transaction, method="", purpose="x", urls=urls)


# --- the pay page ------------------------------------------------------------------


def test_the_pay_page_offers_the_outcomes_and_redirects_with_a_signed_result(started, fake_girocheckout):
    page = httpx.get(started.redirect_url)
    assert page.status_code == 200
    assert all(label in page.text for label in ("Bezahlen", "Abbrechen", "Fehlschlag"))

    answer = httpx.post(started.redirect_url, data={"outcome": "success", "notify": "1"})

    assert answer.status_code == 302
    location = answer.headers["Location"]
    assert location.startswith(RETURN_URL)
    assert query_of(location)["gcResultPayment"] == "4000"
    assert fake_girocheckout.notifications_sent[-1]["status"] == 200


# --- notifications -----------------------------------------------------------


@pytest.mark.parametrize(
    ("outcome", "status"),
    [
        ("success", TransactionStatus.PAID),
        ("fail", TransactionStatus.FAILED),
        ("cancel", TransactionStatus.CANCELLED),
    ],
)
def test_a_notification_is_read(outcome, status, provider, started, fake_girocheckout):
    fake_girocheckout.pay(started.provider_id, outcome, notify=True)

    assert fake_girocheckout.notifications_sent[-1]["status"] == 200
    answer = provider.handle_notification(request=incoming(fake_girocheckout.sink_received[-1]))

    assert answer.status == status
    assert answer.merchant_reference == str(started.uuid)
    assert answer.provider_id == started.provider_id
    assert (answer.amount_cents, answer.currency) == (2400, "EUR")


def test_a_notification_withheld_can_be_sent_again(provider, started, fake_girocheckout):
    fake_girocheckout.sink_status = 503  # our app is down
    fake_girocheckout.pay(started.provider_id, "success", notify=True)
    assert fake_girocheckout.notifications_sent[-1]["status"] == 503

    fake_girocheckout.sink_status = 200
    assert fake_girocheckout.notify(started.provider_id) == 200
    answer = provider.handle_notification(request=incoming(fake_girocheckout.sink_received[-1]))
    assert answer.status == TransactionStatus.PAID


def test_a_notification_with_a_changed_amount_is_rejected(provider, started, fake_girocheckout):
    params = fake_girocheckout.signed_params(started.provider_id, result=4000)
    params["gcAmount"] = "1"
    with pytest.raises(NotificationRejected):
        provider.handle_notification(request=incoming(params))


def test_a_notification_with_a_wrong_hash_is_rejected(provider, started, fake_girocheckout):
    params = fake_girocheckout.signed_params(started.provider_id, result=4000)
    params["gcHash"] = hmac_md5("another-secret", "".join(v for k, v in params.items() if k != "gcHash"))
    with pytest.raises(NotificationRejected, match="does not verify"):
        provider.handle_notification(request=incoming(params))


def test_a_notification_with_a_non_ascii_hash_is_rejected_not_an_error(provider, started, fake_girocheckout):
    params = fake_girocheckout.signed_params(started.provider_id, result=4000)
    params["gcHash"] = "ä" * 32
    with pytest.raises(NotificationRejected):
        provider.handle_notification(request=incoming(params))


def test_a_notification_without_hash_is_rejected(provider, started, fake_girocheckout):
    params = fake_girocheckout.signed_params(started.provider_id, result=4000)
    del params["gcHash"]
    with pytest.raises(NotificationRejected, match="missing"):
        provider.handle_notification(request=incoming(params))


def test_a_notification_without_a_documented_field_is_rejected(provider, started, fake_girocheckout):
    params = fake_girocheckout.signed_params(started.provider_id, result=4000)
    del params["gcAmount"]
    with pytest.raises(NotificationRejected, match="gcAmount"):
        provider.handle_notification(request=incoming(params))


def test_notification_ack_is_200_or_400(provider):
    assert provider.notification_ack(accepted=True)[0] == 200
    assert provider.notification_ack(accepted=False)[0] == 400


# --- the browser's return -------------------------------------------------------------


def test_a_return_saying_paid_is_confirmed_by_a_status_query(provider, started, fake_girocheckout):
    location = fake_girocheckout.pay(started.provider_id, "success", notify=False)
    calls_before = len(fake_girocheckout.calls)

    answer = provider.handle_return(transaction=started, request=incoming(query_of(location)))

    assert answer.status == TransactionStatus.PAID
    assert [c["endpoint"] for c in fake_girocheckout.calls[calls_before:]] == ["transaction/status"]
    assert answer.amount_cents == 2400


def test_a_signed_return_saying_paid_is_not_believed_when_the_books_say_otherwise(provider, started, fake_girocheckout):
    params = fake_girocheckout.signed_params(started.provider_id, result=4000)  # the buyer never paid

    answer = provider.handle_return(transaction=started, request=incoming(params))

    assert answer.status == TransactionStatus.PENDING


def test_a_forged_return_is_rejected(provider, started, fake_girocheckout):
    location = fake_girocheckout.pay(started.provider_id, "fail", notify=False)
    params = query_of(location)
    params["gcResultPayment"] = "4000"
    with pytest.raises(NotificationRejected):
        provider.handle_return(transaction=started, request=incoming(params))


def test_a_return_without_hash_is_rejected(provider, started, fake_girocheckout):
    params = {"gcReference": started.provider_id, "gcMerchantTxId": str(started.uuid), "gcResultPayment": "4000"}
    with pytest.raises(NotificationRejected):
        provider.handle_return(transaction=started, request=incoming(params))


def test_a_return_about_another_transaction_is_rejected(provider, started, fake_girocheckout, urls):
    other = PaymentTransactionFactory(provider="girocheckout", amount_cents=2400, payment__amount_cents=2400)
    reference = provider.start(transaction=other, method="", purpose="x", urls=urls).provider_id
    location = fake_girocheckout.pay(reference, "fail", notify=False)
    with pytest.raises(NotificationRejected, match="another"):
        provider.handle_return(transaction=started, request=incoming(query_of(location)))


def test_a_failed_return_is_read(provider, started, fake_girocheckout):
    location = fake_girocheckout.pay(started.provider_id, "fail", notify=False)
    answer = provider.handle_return(transaction=started, request=incoming(query_of(location)))
    assert answer.status == TransactionStatus.FAILED


def test_the_back_link_without_a_result_asks_the_status(provider, started, fake_girocheckout):
    location = fake_girocheckout.pay(started.provider_id, "cancel", notify=False)
    assert location == CANCEL_URL

    answer = provider.handle_return(transaction=started, request=incoming({}))

    assert answer.status == TransactionStatus.CANCELLED
    assert fake_girocheckout.calls[-1]["endpoint"] == "transaction/status"


# --- status -------------------------------------------------------------------


def test_query_status_before_and_after_paying(provider, started, fake_girocheckout):
    before = provider.query_status(transaction=started)
    assert before.status == TransactionStatus.PENDING
    assert before.merchant_reference == str(started.uuid)

    fake_girocheckout.pay(started.provider_id, "success", notify=False)
    after = provider.query_status(transaction=started)

    assert after.status == TransactionStatus.PAID
    assert (after.provider_id, after.amount_cents, after.currency) == (started.provider_id, 2400, "EUR")


def test_query_status_of_a_transaction_girocheckout_does_not_know_is_pending(provider, transaction):
    transaction.provider_id = "00000000-0000-0000-0000-000000000000"
    answer = provider.query_status(transaction=transaction)
    assert answer.status == TransactionStatus.PENDING
    assert answer.raw["rc"] == 5034


def test_query_status_when_down_is_unavailable(provider, started, fake_girocheckout):
    fake_girocheckout.down = True
    with pytest.raises(ProviderUnavailable):
        provider.query_status(transaction=started)


# --- refunds --------------------------------------------------------------------


def test_a_full_refund(provider, started, fake_girocheckout):
    fake_girocheckout.pay(started.provider_id, "success", notify=False)

    result = provider.refund(transaction=started, amount_cents=2400, reason="Antrag zurückgenommen")

    assert result.completed
    booked = fake_girocheckout.transactions[started.provider_id]
    assert booked.refunded == 2400
    assert booked.refunds[0]["reference"] == result.provider_refund_id


def test_partial_refunds_up_to_the_amount_paid(provider, started, fake_girocheckout):
    fake_girocheckout.pay(started.provider_id, "success", notify=False)

    first = provider.refund(transaction=started, amount_cents=1000, reason="Teilerstattung")
    second = provider.refund(transaction=started, amount_cents=1400, reason="Rest")

    assert first.completed and second.completed and first.provider_refund_id != second.provider_refund_id
    assert fake_girocheckout.transactions[started.provider_id].refunded == 2400
    with pytest.raises(GiroCheckoutError) as raised:
        provider.refund(transaction=started, amount_cents=1, reason="zu viel")
    assert raised.value.rc == 5030


def test_refunding_an_unpaid_transaction_is_refused(provider, started):
    with pytest.raises(GiroCheckoutError):
        provider.refund(transaction=started, amount_cents=2400, reason="x")


# --- through the payment services, end to end over HTTP -----------------------------------------------


@pytest.fixture
def girocheckout_chosen(fake_girocheckout, settings):
    settings.PAYMENTS = {**settings.PAYMENTS, "provider": "girocheckout"}
    return fake_girocheckout


def test_a_payment_started_and_notified_through_the_services_is_paid(girocheckout_chosen, urls):
    fake = girocheckout_chosen
    payment = PaymentFactory(amount_cents=2400)
    tx = services.payment_start(payment=payment, method="", urls_for=lambda tx: urls, purpose="KS-2026 Urkunde")
    assert tx.redirect_url.startswith(f"{fake.url}/pay/")

    fake.pay(tx.provider_id, "success", notify=True)
    status, _body = services.payment_notification_handle(
        provider="girocheckout", request=incoming(fake.sink_received[-1])
    )

    assert status == 200
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_a_payment_whose_notification_never_came_is_paid_on_the_return(girocheckout_chosen, urls):
    fake = girocheckout_chosen
    payment = PaymentFactory(amount_cents=2400)
    tx = services.payment_start(payment=payment, method="", urls_for=lambda tx: urls, purpose="KS-2026 Urkunde")
    location = fake.pay(tx.provider_id, "success", notify=False)

    services.payment_return_handle(tx=tx, request=incoming(query_of(location)))

    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID
    assert fake.notifications_sent == []
