"""The emails' tasks on the RQ task backend (Redis, several servers): the same guarantees as on the database.

A task is seen by a worker only after its transaction commits, and never when it rolls back; a worker sends
the email; a failed attempt is tried again later (RQ's scheduled jobs, moved to the queue by a worker started
``--with-scheduler``); and a worker killed in the middle of sending leaves a job that ``tasks_recover`` (run by
`manage.py run_scheduled`) puts back, so the email goes out exactly once. The tests run on the Redis of
``REDIS_URL`` (PostgreSQL's pass of .ci/run) and are skipped without it.
"""

import contextlib
import datetime
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from rq.registry import FailedJobRegistry, ScheduledJobRegistry, StartedJobRegistry

from amtsweg.core.taskrecovery import MAX_CLAIMS, RQ_LOST_KEY, tasks_recover
from amtsweg.notifications.constants import NotificationKind, NotificationStatus
from amtsweg.notifications.models import Notification
from amtsweg.notifications.services import notify_submission_received
from tests.cases.factories import CaseFactory
from tests.databases import database_url
from tests.fakes.smtp import FakeSMTPServer

from .test_worker_killed import ROOT, WAIT_SECONDS

pytestmark = pytest.mark.django_db(transaction=True)


def _case():  # type: ignore[no-untyped-def]
    """A case whose department has no address, so only the citizen's confirmation is queued."""
    return CaseFactory(submission__email="erika@example.org", submission__form_version__service__department__email="")


def _confirmation() -> Notification:
    return Notification.objects.get(kind=NotificationKind.SUBMISSION_CONFIRMATION)


def test_the_task_reaches_redis_only_when_its_transaction_commits(rq_tasks):
    case = _case()
    with transaction.atomic():
        notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
        assert rq_tasks.queue.count == 0  # a worker on another server would not find the row yet
    assert rq_tasks.queue.count == 1

    rq_tasks.work()

    [sent] = mail.outbox
    assert sent.to == ["erika@example.org"]
    assert (_confirmation().status, _confirmation().attempts) == (NotificationStatus.SENT, 1)
    assert rq_tasks.queue.count == 0


def test_a_rolled_back_transaction_queues_nothing(rq_tasks):
    case = _case()
    with pytest.raises(RuntimeError), transaction.atomic():
        notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
        raise RuntimeError("the request fails after the email was queued")

    assert rq_tasks.queue.count == 0
    assert ScheduledJobRegistry(queue=rq_tasks.queue).count == 0
    assert not Notification.objects.exists()


def test_a_failed_attempt_is_tried_again_later_by_the_workers_scheduler(rq_tasks, mail_server_down, mail_server_back):
    case = _case()
    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    rq_tasks.work()

    notification = _confirmation()
    assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 1)
    scheduled = ScheduledJobRegistry(queue=rq_tasks.queue)
    [retry_id] = scheduled.get_job_ids()
    wait = scheduled.get_scheduled_time(retry_id) - timezone.now()
    assert datetime.timedelta(seconds=50) < wait <= datetime.timedelta(minutes=1)

    mail_server_back()
    rq_tasks.work()  # not due yet: nothing is sent
    assert mail.outbox == []
    # The minute passes: the job is due, and a worker's scheduler moves it to the queue.
    rq_tasks.queue.schedule_job(rq_tasks.queue.fetch_job(retry_id), datetime.datetime.now(datetime.UTC))
    rq_tasks.work()

    assert len(mail.outbox) == 1
    assert (_confirmation().status, _confirmation().attempts) == (NotificationStatus.SENT, 2)


def _kill_tree(process: subprocess.Popen) -> None:
    """SIGKILL a worker and its work-horse, which RQ forks into a process group of its own (as systemd's
    KillMode=control-group does when a server dies)."""
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children").read_text().split()
    for pid in [process.pid, *map(int, children)]:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=30)


class Workers:
    """Real RQ workers (`manage.py rqworker` as deploy/ starts them) in other processes, against the test
    database, sending by SMTP to a fake mail server that holds the first connection."""

    def __init__(self, *, rq_tasks, private_media: Path, log: Path) -> None:  # type: ignore[no-untyped-def]
        self.rq_tasks = rq_tasks
        self.private_media = private_media
        self.log = log
        self.smtp = FakeSMTPServer(hold_first=True).start()
        self.processes: list[subprocess.Popen] = []

    def start(self) -> subprocess.Popen:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "DATABASE_URL": database_url(),
            "AMTSWEG_TEST_SMTP_PORT": str(self.smtp.port),
            "PRIVATE_MEDIA_ROOT": str(self.private_media),
            "TASKS_BACKEND": "django_tasks_rq.RQBackend",
            "TASKS_REDIS_URL": self.rq_tasks.url,
        }
        command = [sys.executable, "manage.py", "rqworker", "--job-class", "django_tasks_rq.Job", "--with-scheduler"]
        with self.log.open("ab") as log:
            process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.processes.append(process)
        return process

    def logs(self) -> str:
        return self.log.read_text(errors="replace")[-3000:] if self.log.exists() else ""

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                _kill_tree(process)
        self.smtp.stop()


@pytest.fixture
def killed_mid_send(rq_tasks, private_media, tmp_path):  # type: ignore[no-untyped-def]
    """A confirmation email whose worker was SIGKILLed while it was sending: returns the workers and the job's id."""
    workers = Workers(rq_tasks=rq_tasks, private_media=private_media, log=tmp_path / "rqworker.log")
    try:
        notify_submission_received(submission=_case().submission, access_code="7KQ2-M9XD")
        first = workers.start()
        if not workers.smtp.held.wait(WAIT_SECONDS):
            pytest.fail(f"the worker never connected to the mail server.\n{workers.logs()}")
        [execution] = StartedJobRegistry(queue=rq_tasks.queue).get_job_ids()
        _kill_tree(first)
        workers.smtp.release()
        yield workers, execution.split(":")[0]
    finally:
        workers.stop()


def test_an_email_whose_rq_worker_was_killed_mid_send_goes_out_exactly_once(rq_tasks, killed_mid_send):
    workers, job_id = killed_mid_send
    notification = _confirmation()
    assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 0)

    # While the dead worker's heartbeat has not run out (about 90 s), the job counts as running.
    assert tasks_recover() == {"requeued": 0, "given_up": 0}
    assert rq_tasks.queue.count == 0
    # Once it has, `run_scheduled` puts the job back (here the clock is moved on rather than waited for).
    later = timezone.now() + datetime.timedelta(seconds=120)
    assert tasks_recover(now=later) == {"requeued": 1, "given_up": 0}
    assert rq_tasks.queue.count == 1
    assert FailedJobRegistry(queue=rq_tasks.queue).count == 0
    assert tasks_recover(now=later) == {"requeued": 0, "given_up": 0}  # a second caller finds nothing to do

    workers.start()
    deadline = time.monotonic() + WAIT_SECONDS
    while _confirmation().status != NotificationStatus.SENT:
        if time.monotonic() > deadline:
            pytest.fail(f"the second worker did not send the email.\n{workers.logs()}")
        time.sleep(0.1)

    [received] = workers.smtp.messages
    assert received.rcpt_to == ("erika@example.org",)
    assert received.message["Message-ID"] == f"<{notification.uuid}@localhost>"
    assert (_confirmation().status, _confirmation().attempts) == (NotificationStatus.SENT, 1)
    assert workers.smtp.connections == 2  # the held one, which delivered nothing, and the second worker's
    assert rq_tasks.queue.fetch_job(job_id).meta[RQ_LOST_KEY] == 1


def test_a_job_whose_workers_keep_dying_is_given_up(rq_tasks, killed_mid_send):
    workers, job_id = killed_mid_send
    job = rq_tasks.queue.fetch_job(job_id)
    job.meta[RQ_LOST_KEY] = MAX_CLAIMS - 1  # it had killed four workers before this one
    job.save_meta()
    later = timezone.now() + datetime.timedelta(seconds=120)

    assert tasks_recover(now=later) == {"requeued": 0, "given_up": 1}
    assert tasks_recover(now=later) == {"requeued": 0, "given_up": 0}  # said once, not at every run

    assert rq_tasks.queue.count == 0
    assert FailedJobRegistry(queue=rq_tasks.queue).get_job_ids() == [job_id]
    # What it was about stays visible: the email is still pending, and staff see it overdue.
    assert (_confirmation().status, _confirmation().attempts) == (NotificationStatus.PENDING, 0)
    assert workers.smtp.messages == []


def test_redis_down_at_the_commit_keeps_the_data_and_shows_staff_the_email_did_not_go(rq_tasks, settings, caplog):
    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens on port 1
    case = _case()

    with transaction.atomic():
        notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")

    notification = _confirmation()  # saved: the citizen's submission stands
    assert notification.status == NotificationStatus.FAILED
    assert "ConnectionError" in notification.last_error
    case.refresh_from_db()
    assert case.notification_problem is True
    assert "could not queue notification" in caplog.text


def test_redis_down_at_the_commit_of_another_task_is_logged_not_raised(rq_tasks, settings, caplog):
    from amtsweg.core.outbox import enqueue_after_commit
    from amtsweg.vehicles.tasks import vehicle_application_send_task

    settings.RQ_QUEUES = {"default": {"URL": "redis://127.0.0.1:1/0"}}
    case_uuid = "4d2a0c56-8a3b-4a3e-9a51-0d0e6f3b8c11"
    with transaction.atomic():
        enqueue_after_commit(
            vehicle_application_send_task, lambda: vehicle_application_send_task.enqueue(case_uuid=case_uuid)
        )

    assert "could not queue the task amtsweg.vehicles.tasks.vehicle_application_send_task" in caplog.text
    assert "4d2a0c56" not in caplog.text  # no arguments in the log
