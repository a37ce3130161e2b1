"""Tasks left RUNNING by a worker that died go back in the queue after the timeout, and only then."""

import datetime
import signal

import pytest
from django.core.management import call_command, get_commands
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amtsweg.core.taskrecovery import MAX_CLAIMS, WorkerLost, tasks_recover
from amtsweg.feedback.tasks import feedback_housekeeping_task

pytestmark = pytest.mark.django_db(transaction=True)


def _running(*, for_seconds: float, worker_ids: list[str] | None = None) -> DBTaskResult:
    """A queued task that a worker took ``for_seconds`` ago and has not finished."""
    result = feedback_housekeeping_task.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        status="RUNNING",
        started_at=timezone.now() - datetime.timedelta(seconds=for_seconds),
        worker_ids=worker_ids or ["worker-that-died"],
    )
    return DBTaskResult.objects.get(id=result.id)


def _status(row: DBTaskResult) -> str:
    return DBTaskResult.objects.get(id=row.id).status


@pytest.fixture
def timeout(settings) -> int:
    settings.TASKS_RECOVER_AFTER_SECONDS = 600
    return 600


def test_a_task_running_longer_than_the_timeout_goes_back_in_the_queue_and_is_run(timeout, run_tasks):
    row = _running(for_seconds=timeout + 60)

    assert tasks_recover() == {"requeued": 1, "given_up": 0}
    assert _status(row) == "READY"

    run_tasks()
    done = DBTaskResult.objects.get(id=row.id)
    assert done.status == "SUCCESSFUL"
    assert done.return_value == {"raffle_contacts_deleted": 0}
    assert done.worker_ids == ["worker-that-died", "tests"]


def test_a_task_running_for_less_than_the_timeout_is_left_to_its_worker(timeout, run_tasks):
    row = _running(for_seconds=timeout - 60)

    assert tasks_recover() == {"requeued": 0, "given_up": 0}
    run_tasks()

    assert _status(row) == "RUNNING"
    assert DBTaskResult.objects.get(id=row.id).worker_ids == ["worker-that-died"]


def test_a_second_recovery_changes_nothing_more(timeout):
    row = _running(for_seconds=timeout + 60)

    tasks_recover()
    assert tasks_recover() == {"requeued": 0, "given_up": 0}
    assert _status(row) == "READY"


def test_a_task_whose_worker_died_every_time_is_given_up_as_failed(timeout, run_tasks):
    row = _running(for_seconds=timeout + 60, worker_ids=[f"w{n}" for n in range(MAX_CLAIMS)])

    assert tasks_recover() == {"requeued": 0, "given_up": 1}
    run_tasks()

    failed = DBTaskResult.objects.get(id=row.id)
    assert failed.status == "FAILED"
    assert failed.exception_class_path == f"{WorkerLost.__module__}.WorkerLost"


def test_with_a_task_backend_outside_the_database_it_leaves_the_database_rows_alone(timeout, settings):
    row = _running(for_seconds=timeout + 60)
    settings.TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}

    assert tasks_recover() == {"requeued": 0, "given_up": 0}
    assert _status(row) == "RUNNING"


def test_run_scheduled_puts_back_the_tasks_of_dead_workers(timeout):
    row = _running(for_seconds=timeout + 60)

    call_command("run_scheduled", stdout=(out := _Output()))

    assert "tasks of dead workers: 1 requeued, 0 given up" in out.text
    assert _status(row) == "READY"


def test_manage_py_db_worker_is_the_worker_that_recovers():
    """The override works only while amtsweg.core comes before django_tasks_db in INSTALLED_APPS."""
    assert get_commands()["db_worker"] == "amtsweg.core"


@pytest.fixture
def signals_kept():
    """The worker installs its own SIGINT/SIGTERM handlers in this process; put the test runner's back."""
    kept = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    yield
    for sig, handler in kept.items():
        signal.signal(sig, handler)


def test_a_starting_worker_runs_the_task_that_a_dead_worker_left(timeout, signals_kept):
    row = _running(for_seconds=timeout + 60)

    call_command("db_worker", "--batch", "--no-reload", "--no-startup-delay", "--queue-name", "*", verbosity=0)

    assert _status(row) == "SUCCESSFUL"


class _Output:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass
