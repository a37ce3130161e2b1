"""Sending is at-least-once: a task may run again, and an email that went out is never sent twice by us;
a copy that a crash forces out carries the same Message-ID."""

import queue
import threading

import pytest
from django.core import mail
from django.db import connections
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amtsweg.core.taskrecovery import recovery_timeout, tasks_recover
from amtsweg.notifications.constants import NotificationKind, NotificationStatus
from amtsweg.notifications.models import Notification
from amtsweg.notifications.services import notification_deliver, notify_submission_received
from amtsweg.notifications.tasks import notification_send
from tests.cases.factories import CaseFactory

from .mail_backends import HeldSMTPBackend

pytestmark = pytest.mark.django_db(transaction=True)


def _case(department_email: str = ""):  # type: ignore[no-untyped-def]
    return CaseFactory(
        submission__email="erika@example.org",
        submission__form_version__service__department__email=department_email,
    )


def _confirmation() -> Notification:
    return Notification.objects.get(kind=NotificationKind.SUBMISSION_CONFIRMATION)


def _message_id(message) -> str:  # type: ignore[no-untyped-def]
    return str(message.message()["Message-ID"])


def test_every_email_carries_a_message_id_made_from_its_notification(run_tasks):
    case = _case(department_email="buergerbuero@kassel.example")
    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")

    run_tasks()

    by_recipient = {message.to[0]: _message_id(message) for message in mail.outbox}
    expected = {n.to: f"<{n.uuid}@localhost>" for n in Notification.objects.all()}  # DEFAULT_FROM_EMAIL's domain
    assert by_recipient == expected and len(expected) == 2


def test_an_email_the_server_accepted_before_a_crash_goes_again_with_the_same_message_id(
    settings, mail_server_back, run_tasks, clock_moves_on
):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.mail_backends.AcceptedThenDisconnectedBackend"}}
    case = _case()
    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    run_tasks()
    assert _confirmation().status == NotificationStatus.PENDING  # we could not know that it arrived

    mail_server_back()
    clock_moves_on()
    run_tasks()

    first, second = mail.outbox
    assert _message_id(first) == _message_id(second) == f"<{_confirmation().uuid}@localhost>"
    assert _confirmation().status == NotificationStatus.SENT


def test_a_recovered_task_and_a_retry_of_the_same_email_send_it_once(run_tasks):
    case = _case()
    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    notification = _confirmation()
    # The worker that took the task died before it sent anything; a retry of the same email is queued too.
    DBTaskResult.objects.update(
        status="RUNNING", started_at=timezone.now() - recovery_timeout() * 2, worker_ids=["died"]
    )
    notification_send.enqueue(notification_uuid=str(notification.uuid))

    assert tasks_recover()["requeued"] == 1
    run_tasks()

    [message] = mail.outbox
    assert "7KQ2-M9XD" in message.body
    assert sorted(DBTaskResult.objects.values_list("status", "return_value")) == [
        ("SUCCESSFUL", "sent"),
        ("SUCCESSFUL", "sent"),
    ]
    assert (_confirmation().status, _confirmation().attempts) == (NotificationStatus.SENT, 1)


def test_two_workers_sending_the_same_email_at_once_send_it_once(settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.mail_backends.HeldSMTPBackend"}}
    held = HeldSMTPBackend.reset()
    case = _case()
    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    notification_uuid = str(_confirmation().uuid)
    results: list[str] = []

    def worker() -> None:
        try:
            results.append(notification_deliver(notification_uuid=notification_uuid))
        finally:
            connections.close_all()

    first = threading.Thread(target=worker)
    first.start()
    held.arrivals.get(timeout=60)  # the first is in the middle of sending, holding the email's row
    second = threading.Thread(target=worker)
    second.start()
    try:  # give the second the time to reach the mail server, which it must not
        held.arrivals.get(timeout=3)
        second_reached_the_server = True
    except queue.Empty:
        second_reached_the_server = False
    held.release()
    first.join(timeout=60)
    second.join(timeout=60)

    assert not second_reached_the_server
    assert len(mail.outbox) == 1
    assert results == ["sent", "sent"]
