"""A real task worker killed in the middle of sending an email: the email still goes out, exactly once.

The test starts ``manage.py db_worker`` as `make run` does, in its own process, against the test
database, with a fake mail server (tests/fakes/smtp.py) that holds the first connection open. While
the worker is in the middle of sending, the test kills it with SIGKILL, then starts a new worker with
a short recovery timeout, as a restart would.
"""

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django_tasks_db.models import DBTaskResult

from amtsweg.notifications.constants import NotificationKind, NotificationStatus
from amtsweg.notifications.models import Notification
from amtsweg.notifications.services import notify_submission_received
from tests.cases.factories import CaseFactory
from tests.databases import database_url
from tests.fakes.smtp import FakeSMTPServer

ROOT = Path(__file__).resolve().parents[2]
# Generous: on a busy 2-core machine a new worker process takes seconds to start and to make the PDF.
WAIT_SECONDS = 120

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def fake_smtp() -> Iterator[FakeSMTPServer]:
    server = FakeSMTPServer(hold_first=True).start()
    yield server
    server.stop()


@pytest.fixture
def start_worker(transactional_db, fake_smtp, private_media, tmp_path) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start ``manage.py db_worker`` as `make run` does; every worker still running is killed at the end."""
    workers: list[subprocess.Popen] = []
    url = database_url()

    def start(**environment: str) -> subprocess.Popen:
        log = (tmp_path / f"worker-{len(workers) + 1}.log").open("wb")
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.notifications.worker_settings",
            "DATABASE_URL": url,
            "AMTSWEG_TEST_SMTP_PORT": str(fake_smtp.port),
            "PRIVATE_MEDIA_ROOT": str(private_media),
            **environment,
        }
        worker = subprocess.Popen(
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload", "--interval", "0.2"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        workers.append(worker)
        return worker

    yield start
    for worker in workers:
        if worker.poll() is None:
            worker.kill()
            worker.wait(timeout=30)


def _logs(tmp_path: Path) -> str:
    return "\n".join(f"--- {p.name}\n{p.read_text(errors='replace')[-3000:]}" for p in sorted(tmp_path.glob("*.log")))


def _wait_for(condition: Callable[[], bool], *, what: str, tmp_path: Path) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {WAIT_SECONDS} seconds.\n{_logs(tmp_path)}")
        time.sleep(0.1)


def _confirmation() -> Notification:
    return Notification.objects.get(kind=NotificationKind.SUBMISSION_CONFIRMATION)


def _task() -> DBTaskResult:
    return DBTaskResult.objects.get(task_path="amtsweg.notifications.tasks.notification_send")


def test_an_email_whose_worker_was_killed_mid_send_goes_out_exactly_once(fake_smtp, start_worker, tmp_path):
    # Only the citizen's confirmation: the department has no address.
    case = CaseFactory(submission__email="erika@example.org", submission__form_version__service__department__email="")
    notify_submission_received(submission=case.submission, access_code="7KQ2-M9XD")
    notification = _confirmation()

    first = start_worker()
    if not fake_smtp.held.wait(WAIT_SECONDS):
        pytest.fail(f"the first worker never connected to the mail server.\n{_logs(tmp_path)}")
    assert _task().status == "RUNNING"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    # What the dead worker left: a task RUNNING for ever, an email pending with no attempt.
    assert _task().status == "RUNNING"
    assert (_confirmation().status, _confirmation().attempts) == (NotificationStatus.PENDING, 0)
    fake_smtp.release()

    second = start_worker(TASKS_RECOVER_AFTER_SECONDS="1")
    _wait_for(
        lambda: _confirmation().status == NotificationStatus.SENT and _task().status == "SUCCESSFUL",
        what="the email of the killed worker was sent by the new one",
        tmp_path=tmp_path,
    )
    second.send_signal(signal.SIGTERM)
    second.wait(timeout=30)

    assert not DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]).exists()
    [received] = fake_smtp.messages
    assert received.rcpt_to == ("erika@example.org",)
    message = received.message
    assert message["Message-ID"] == f"<{notification.uuid}@localhost>"
    assert "7KQ2-M9XD" in message.get_body(preferencelist=("plain",)).get_content()
    assert fake_smtp.connections == 2  # the held one, which delivered nothing, and the new worker's
    sent = _confirmation()
    assert (sent.status, sent.attempts, sent.sealed) == (NotificationStatus.SENT, 1, "")
    assert len(_task().worker_ids) == 2
