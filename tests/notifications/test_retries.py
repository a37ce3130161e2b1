import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amtsweg.applications.models import Submission
from amtsweg.cases.constants import EventKind
from amtsweg.cases.models import Case, CaseEvent
from amtsweg.notifications.constants import MAX_ATTEMPTS, NotificationKind, NotificationStatus
from amtsweg.notifications.models import Notification
from amtsweg.notifications.services import notify_submission_received, retry_delay
from tests.cases.factories import CaseFactory

from .mail_backends import UNREACHABLE_DOMAIN

pytestmark = pytest.mark.django_db(transaction=True)


def _case(**submission):  # type: ignore[no-untyped-def]
    """A case whose department has no address, so only the citizen's confirmation is queued."""
    return CaseFactory(
        **{f"submission__{k}": v for k, v in submission.items()},
        submission__form_version__service__department__email="",
    )


def _confirmation() -> Notification:
    return Notification.objects.get(kind=NotificationKind.SUBMISSION_CONFIRMATION)


def _waiting_retry() -> DBTaskResult:
    return DBTaskResult.objects.get(status="READY")


def _failure_events(case):  # type: ignore[no-untyped-def]
    return CaseEvent.objects.filter(case=case, kind=EventKind.NOTIFICATION_FAILED)


def test_mail_server_down_keeps_the_submission_flags_the_case_and_schedules_a_retry(mail_server_down, run_tasks):
    case = _case()

    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    run_tasks()

    assert mail.outbox == []
    assert Submission.objects.filter(pk=case.submission.pk).exists()
    case.refresh_from_db()
    assert case.notification_problem is True
    notification = _confirmation()
    assert notification.status == NotificationStatus.PENDING
    assert notification.attempts == 1
    assert "SMTPServerDisconnected" in notification.last_error
    [event] = _failure_events(case)
    assert event.visible_to_citizen is False
    retry = _waiting_retry()
    wait = retry.run_after - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= datetime.timedelta(minutes=1)


def test_a_retry_does_not_run_before_its_time(mail_server_down, run_tasks):
    _case()
    notify_submission_received(submission=Submission.objects.get(), access_code="7KQ2-M9XD")
    run_tasks()

    run_tasks()

    assert _confirmation().attempts == 1


def test_retries_back_off_and_write_the_history_entry_only_once(mail_server_down, run_tasks, clock_moves_on):
    case = _case()
    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    run_tasks()

    clock_moves_on()
    run_tasks()

    assert _confirmation().attempts == 2
    wait = _waiting_retry().run_after - timezone.now()
    assert datetime.timedelta(minutes=4) < wait <= datetime.timedelta(minutes=5)
    assert _failure_events(case).count() == 1


def test_the_email_goes_out_once_the_server_is_back_and_the_flag_is_cleared(
    mail_server_down, mail_server_back, run_tasks, clock_moves_on
):
    case = _case()
    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    run_tasks()
    clock_moves_on()
    run_tasks()

    mail_server_back()
    clock_moves_on()
    run_tasks()

    [message] = mail.outbox
    assert "7KQ2-M9XD" in message.body  # the retry still knew the access code
    assert len(message.attachments) == 1
    notification = _confirmation()
    assert notification.status == NotificationStatus.SENT
    assert notification.attempts == 3
    case.refresh_from_db()
    assert case.notification_problem is False
    assert _failure_events(case).count() == 1  # the history keeps that there was a problem
    assert not DBTaskResult.objects.filter(status="READY").exists()
    assert not any("7KQ2-M9XD" in str(row.args_kwargs) for row in DBTaskResult.objects.all())


def test_it_gives_up_after_six_attempts_and_the_case_stays_flagged(mail_server_down, run_tasks, clock_moves_on):
    case = _case()
    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    run_tasks()

    for _ in range(MAX_ATTEMPTS + 2):
        clock_moves_on()
        run_tasks()

    notification = _confirmation()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == MAX_ATTEMPTS == 6
    assert not DBTaskResult.objects.filter(status="READY").exists()
    case.refresh_from_db()
    assert case.notification_problem is True
    assert _failure_events(case).count() == 1


def test_backoff_is_1_5_15_60_minutes_then_hourly():
    waits = [retry_delay(attempts=n) for n in range(1, 6)]

    assert [w.total_seconds() / 60 for w in waits] == [1, 5, 15, 60, 60]


def test_flag_stays_while_another_email_of_the_case_still_fails(settings, run_tasks):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.mail_backends.RecipientRefusingSMTPBackend"}}
    case = CaseFactory(
        submission__email=f"erika@{UNREACHABLE_DOMAIN}",
        submission__form_version__service__department__email="buergerbuero@kassel.example",
    )

    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    run_tasks()

    assert [m.to for m in mail.outbox] == [["buergerbuero@kassel.example"]]
    assert Notification.objects.get(kind=NotificationKind.DEPARTMENT_NEW_SUBMISSION).status == NotificationStatus.SENT
    assert "SMTPRecipientsRefused" in _confirmation().last_error
    case.refresh_from_db()
    assert case.notification_problem is True


def test_a_pdf_that_cannot_be_stored_is_retried_and_the_submission_stands(
    settings, tmp_path, run_tasks, clock_moves_on
):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the private folder should be")
    settings.PRIVATE_MEDIA_ROOT = blocker / "private"
    case = _case()

    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    run_tasks()

    assert mail.outbox == []
    assert Submission.objects.filter(pk=case.submission.pk).exists()
    assert _confirmation().status == NotificationStatus.PENDING
    assert Case.objects.get(pk=case.pk).notification_problem is True

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    clock_moves_on()
    run_tasks()

    [message] = mail.outbox
    assert message.attachments[0][1].startswith(b"%PDF-")
    assert Case.objects.get(pk=case.pk).notification_problem is False


def test_without_deferred_tasks_a_failure_is_recorded_once_and_not_retried(settings, mail_server_down):
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
    case = _case()

    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")

    notification = _confirmation()
    assert notification.status == NotificationStatus.FAILED
    assert notification.attempts == 1
    case.refresh_from_db()
    assert case.notification_problem is True
    assert _failure_events(case).count() == 1


def test_when_the_queue_is_unreachable_the_email_is_marked_failed_for_staff(settings):
    # A backend name that cannot be loaded stands for a task broker that is gone.
    settings.TASKS = {"default": {"BACKEND": "tests.notifications.no_such_module.Backend"}}
    case = _case()

    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")

    notification = _confirmation()
    assert notification.status == NotificationStatus.FAILED
    assert "InvalidTaskBackend" in notification.last_error
    case.refresh_from_db()
    assert case.notification_problem is True
