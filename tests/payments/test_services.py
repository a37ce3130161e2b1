"""The payment state machine: every transition, its source, and the checks on provider answers."""

import datetime
import json

import pytest
from django.utils import timezone

from amtsweg.cases.models import AuditEntry, Case
from amtsweg.payments.base import IncomingRequest, ProviderAnswer
from amtsweg.payments.constants import PaymentStatus, Source, TransactionStatus
from amtsweg.payments.contrib.demo.models import DemoProviderTransaction
from amtsweg.payments.contrib.demo.plugin import SIGNATURE_HEADER, sign
from amtsweg.payments.models import PaymentEvent
from amtsweg.payments.services import (
    payment_answer_apply,
    payment_expire_due,
    payment_notification_handle,
    payment_reconcile,
    payment_refund,
)
from tests.accounts.factories import StaffFactory
from tests.payments.factories import PaymentFactory, PaymentTransactionFactory, paid_payment

pytestmark = pytest.mark.django_db
SECRET = "amtsweg-demo-provider"


def pending(**kwargs):
    tx = PaymentTransactionFactory(payment__status=PaymentStatus.PENDING, provider_id="demo_abc", **kwargs)
    return tx.payment, tx


def answer(tx, status, **overrides):
    values = {
        "merchant_reference": str(tx.uuid),
        "provider_id": tx.provider_id,
        "status": status,
        "amount_cents": tx.amount_cents,
        "currency": "EUR",
    }
    return ProviderAnswer(**{**values, **overrides})


def notification(tx, status, *, secret=SECRET, timestamp=None, **overrides):
    data = {
        "id": tx.provider_id,
        "merchant_reference": str(tx.uuid),
        "status": status,
        "amount_cents": tx.amount_cents,
        "currency": "EUR",
        **overrides,
    }
    body = json.dumps(data).encode()
    headers = {SIGNATURE_HEADER: sign(body, secret=secret, timestamp=timestamp)}
    return IncomingRequest(method="POST", params={}, body=body, headers=headers)


def test_paid_answer_moves_pending_to_paid_opens_the_case_and_logs_its_source():
    payment, tx = pending()
    outcome = payment_answer_apply(
        provider="demo", answer=answer(tx, TransactionStatus.PAID), source=Source.NOTIFICATION
    )
    payment.refresh_from_db()
    assert outcome.changed and payment.status == PaymentStatus.PAID and payment.paid_at is not None
    event = payment.events.last()
    assert (event.from_status, event.to_status, event.source) == ("pending", "paid", "notification")
    assert Case.objects.filter(submission=payment.submission).exists()


@pytest.mark.parametrize(
    ("status", "expected"),
    [(TransactionStatus.FAILED, PaymentStatus.FAILED), (TransactionStatus.CANCELLED, PaymentStatus.CANCELLED)],
)
def test_failed_and_cancelled_answers_keep_the_submission_and_open_no_case(status, expected):
    payment, tx = pending()
    payment_answer_apply(provider="demo", answer=answer(tx, status), source=Source.BROWSER_RETURN)
    payment.refresh_from_db()
    assert payment.status == expected
    assert payment.submission.pk is not None and not Case.objects.filter(submission=payment.submission).exists()
    assert payment.events.last().source == Source.BROWSER_RETURN


def test_the_same_notification_twice_changes_once():
    payment, tx = pending()
    for _ in range(2):
        status, _body = payment_notification_handle(provider="demo", request=notification(tx, "paid"))
        assert status == 200
    assert PaymentEvent.objects.filter(payment=payment, to_status=PaymentStatus.PAID).count() == 1


def test_a_late_pending_after_paid_changes_nothing():
    payment, tx = pending()
    payment_answer_apply(provider="demo", answer=answer(tx, TransactionStatus.PAID), source=Source.NOTIFICATION)
    late = payment_answer_apply(
        provider="demo", answer=answer(tx, TransactionStatus.PENDING), source=Source.NOTIFICATION
    )
    failed = payment_answer_apply(
        provider="demo", answer=answer(tx, TransactionStatus.FAILED), source=Source.NOTIFICATION
    )
    payment.refresh_from_db()
    assert not late.changed and not failed.changed and payment.status == PaymentStatus.PAID


def test_a_tampered_amount_is_rejected_logged_and_changes_nothing(caplog):
    payment, tx = pending()
    outcome = payment_answer_apply(
        provider="demo", answer=answer(tx, TransactionStatus.PAID, amount_cents=1), source=Source.NOTIFICATION
    )
    payment.refresh_from_db()
    assert not outcome.accepted and payment.status == PaymentStatus.PENDING
    assert "amount differs" in caplog.text


def test_a_wrong_currency_is_rejected():
    _payment, tx = pending()
    outcome = payment_answer_apply(
        provider="demo", answer=answer(tx, TransactionStatus.PAID, currency="USD"), source=Source.NOTIFICATION
    )
    assert not outcome.accepted


def test_a_forged_notification_is_refused_with_400_and_changes_nothing(caplog):
    payment, tx = pending()
    status, _body = payment_notification_handle(provider="demo", request=notification(tx, "paid", secret="guess"))
    payment.refresh_from_db()
    assert status == 400 and payment.status == PaymentStatus.PENDING
    assert "wrong signature" in caplog.text


def test_a_replayed_old_notification_is_refused():
    payment, tx = pending()
    old = int((timezone.now() - datetime.timedelta(hours=1)).timestamp())
    status, _body = payment_notification_handle(provider="demo", request=notification(tx, "paid", timestamp=old))
    payment.refresh_from_db()
    assert status == 400 and payment.status == PaymentStatus.PENDING


def test_a_notification_for_an_unknown_or_foreign_reference_is_refused():
    payment, tx = pending()
    other_tx = PaymentTransactionFactory(provider="girocheckout", provider_id="giro_1")
    unknown = notification(tx, "paid", merchant_reference="00000000-0000-0000-0000-000000000000")
    foreign_id = notification(tx, "paid", id="demo_someone_else")
    not_ours = notification(other_tx, "paid")
    for request in (unknown, foreign_id, not_ours):
        status, _body = payment_notification_handle(provider="demo", request=request)
        assert status == 400
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_notification_for_an_unknown_provider_is_404():
    _payment, tx = pending()
    status, _body = payment_notification_handle(provider="nosuch", request=notification(tx, "paid"))
    assert status == 404


def test_an_older_attempt_failing_does_not_touch_the_current_one():
    payment, old = pending()
    old.created_at = timezone.now() - datetime.timedelta(minutes=10)
    old.save(update_fields=["created_at"])
    PaymentTransactionFactory(payment=payment, provider_id="demo_new")
    payment_answer_apply(provider="demo", answer=answer(old, TransactionStatus.FAILED), source=Source.NOTIFICATION)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PENDING


def test_a_failed_payment_paid_later_through_its_transaction_becomes_paid():
    payment, tx = pending()
    payment_answer_apply(provider="demo", answer=answer(tx, TransactionStatus.FAILED), source=Source.NOTIFICATION)
    payment_answer_apply(provider="demo", answer=answer(tx, TransactionStatus.PAID), source=Source.RECONCILIATION)
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID


def test_unpaid_payments_expire_after_their_time_and_paid_ones_do_not():
    due = timezone.now() - datetime.timedelta(minutes=1)
    open_one = PaymentFactory(expires_at=due)
    failed_one = PaymentFactory(status=PaymentStatus.FAILED, expires_at=due)
    fresh = PaymentFactory()
    paid = paid_payment(expires_at=due)
    assert payment_expire_due() == 2
    for payment, expected in [(open_one, "expired"), (failed_one, "expired"), (fresh, "open"), (paid, "paid")]:
        payment.refresh_from_db()
        assert payment.status == expected
    assert open_one.events.last().source == Source.SYSTEM


def test_reconciliation_settles_a_pending_payment_from_the_providers_books():
    payment, tx = pending()
    PaymentTransactionFactory._meta.model.objects.filter(pk=tx.pk).update(
        created_at=timezone.now() - datetime.timedelta(minutes=30)
    )
    DemoProviderTransaction.objects.create(
        id="demo_abc",
        merchant_reference=str(tx.uuid),
        amount_cents=tx.amount_cents,
        currency="EUR",
        purpose="test",
        status="paid",
        return_url="http://x/",
        cancel_url="http://x/",
        notify_url="http://x/",
    )
    result = payment_reconcile()
    payment.refresh_from_db()
    assert (result.asked, result.changed) == (1, 1)
    assert payment.status == PaymentStatus.PAID
    assert payment.events.last().source == Source.RECONCILIATION


def test_reconciliation_leaves_recent_pending_payments_alone():
    pending()
    assert payment_reconcile().asked == 0


def test_a_partial_then_full_refund_moves_through_partly_refunded_to_refunded():
    payment = paid_payment()
    staff = StaffFactory()
    payment_refund(
        payment=payment, amount_cents=600, reason="Eine Urkunde konnte nicht ausgestellt werden", actor=staff
    )
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_cents) == (PaymentStatus.PARTLY_REFUNDED, 600)
    payment_refund(payment=payment, amount_cents=1800, reason="Antrag zurückgenommen", actor=staff)
    payment.refresh_from_db()
    assert (payment.status, payment.refunded_cents) == (PaymentStatus.REFUNDED, 2400)
    assert [e.source for e in payment.events.filter(to_status__contains="refunded")] == ["staff", "staff"]


@pytest.mark.parametrize(
    ("amount", "reason", "message"),
    [(2401, "zu viel", "höchstens noch"), (0, "null", "größer als null"), (100, "  ", "Grund")],
)
def test_a_refund_beyond_the_paid_amount_or_without_reason_is_refused(amount, reason, message):
    from django.utils import translation

    from amtsweg.cases.errors import CaseError

    payment = paid_payment()
    with translation.override("de"), pytest.raises(CaseError, match=message):
        payment_refund(payment=payment, amount_cents=amount, reason=reason, actor=StaffFactory())
    payment.refresh_from_db()
    assert payment.status == PaymentStatus.PAID and payment.refunded_cents == 0


def test_a_refund_of_an_unpaid_fee_is_refused():
    from amtsweg.cases.errors import CaseError

    with pytest.raises(CaseError):
        payment_refund(payment=PaymentFactory(), amount_cents=100, reason="x", actor=StaffFactory())


def test_a_refund_on_a_case_is_audited():
    from amtsweg.cases.services import case_open

    payment = paid_payment()
    case_open(submission=payment.submission)
    payment_refund(payment=payment, amount_cents=100, reason="Kulanz", actor=StaffFactory())
    assert AuditEntry.objects.filter(action="refund", case_reference=payment.submission.reference).exists()


def test_lapsed_unpaid_submissions_are_deleted_like_drafts_and_paid_ones_are_kept(settings):
    from amtsweg.applications.models import Submission
    from amtsweg.cases.retention import lapsed_submissions_cleanup

    long_ago = timezone.now() - datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS + 1)
    lapsed = PaymentFactory(status=PaymentStatus.EXPIRED)
    recent = PaymentFactory(status=PaymentStatus.EXPIRED)
    paid = paid_payment()
    type(lapsed).objects.filter(pk__in=[lapsed.pk, paid.pk]).update(updated_at=long_ago)
    assert lapsed_submissions_cleanup() == 1
    assert not Submission.objects.filter(pk=lapsed.submission_id).exists()
    assert Submission.objects.filter(pk__in=[recent.submission_id, paid.submission_id]).count() == 2


def test_a_paid_notification_writes_its_emails_and_their_tasks_with_the_payment(django_capture_on_commit_callbacks):
    """With the database task backend the tasks' rows are part of the payment's transaction (core.outbox):
    nothing waits for the commit, and a rollback takes the emails and their tasks with it."""
    from django.db import transaction
    from django_tasks_db.models import DBTaskResult

    from amtsweg.notifications.constants import NotificationKind
    from amtsweg.notifications.models import Notification

    payment, tx = pending()
    with transaction.atomic():
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            status, _body = payment_notification_handle(provider="demo", request=notification(tx, "paid"))
        assert status == 200
        kinds = set(Notification.objects.filter(submission=payment.submission).values_list("kind", flat=True))
        assert kinds == {NotificationKind.PAYMENT_RECEIVED, NotificationKind.DEPARTMENT_NEW_SUBMISSION}
        assert all(n.case_id for n in Notification.objects.filter(submission=payment.submission))
        assert DBTaskResult.objects.filter(task_path__endswith="notification_send").count() == 2
        assert not [c for c in callbacks if "_enqueue" in repr(c)]  # no second write after the commit
        transaction.set_rollback(True)
    assert not Notification.objects.filter(submission=payment.submission).exists()
    assert not DBTaskResult.objects.exists()


def test_with_a_queue_outside_the_database_the_emails_are_queued_after_the_commit(
    settings, django_capture_on_commit_callbacks
):
    from django.tasks import default_task_backend

    from amtsweg.notifications.models import Notification

    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    default_task_backend.clear()
    payment, tx = pending()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        status, _body = payment_notification_handle(provider="demo", request=notification(tx, "paid"))
        assert status == 200
        assert Notification.objects.filter(submission=payment.submission).count() == 2
        assert not default_task_backend.results  # the rows are written, their tasks wait for the commit
    for callback in callbacks:
        callback()
    assert len(default_task_backend.results) == 2


def test_kassenzeichen_of_a_year_count_up_from_one_with_a_check_digit():
    from django.db import transaction
    from stdnum import damm

    from amtsweg.payments.services import kassenzeichen_allocate

    with transaction.atomic():
        first, second = kassenzeichen_allocate(year=2031), kassenzeichen_allocate(year=2031)
        other_year = kassenzeichen_allocate(year=2032)
    assert first[:-1].endswith("310000001") and second[:-1].endswith("310000002")
    assert other_year[:-1].endswith("320000001")
    assert all(damm.is_valid(number) for number in (first, second, other_year))
