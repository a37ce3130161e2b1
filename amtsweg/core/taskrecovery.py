"""Put the tasks of a worker that died back in the queue: at-least-once delivery of background tasks.

django-tasks-db marks a task RUNNING when a worker takes it and SUCCESSFUL or FAILED when it ends.
A worker that is killed in between (SIGKILL, out of memory, a power cut, a container stopped hard)
ends neither, and the library never looks at that row again: the task, e.g. a citizen's confirmation
email, is lost without a trace. ``tasks_recover`` makes such a row READY again once it has been
RUNNING for longer than ``settings.TASKS_RECOVER_AFTER_SECONDS``, which is longer than any of our
tasks runs, so a live worker that is merely slow keeps its task. A task may therefore run more than
once, and each one is idempotent (an email checks its ``Notification`` row under a lock).

It is called by ``manage.py db_worker`` (``core/management/commands/db_worker.py``) as the worker
starts and every minute while it runs, and by ``manage.py run_scheduled``. Several callers at once
are safe: each row changes in one conditional UPDATE (still RUNNING, still started before the
cut-off), so it goes back once, and a row another worker has taken again meanwhile (a new
``started_at``) is left alone. Only the library's model and manager are used.

On RQ (django-tasks-rq, several servers) a worker keeps a heartbeat on the job it runs; when the
heartbeat stops for about 90 seconds, RQ's registry clean-up moves the job to the failed-job
registry with an ``AbandonedJobError`` and never runs it again. ``tasks_recover`` runs that clean-up
(``manage.py run_scheduled`` calls it every 5 minutes) and puts such jobs back in the queue, with the
same limit of ``MAX_CLAIMS``. A job that failed by raising keeps its failure, as on the database.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from django_tasks_rq import RQBackend
from rq.exceptions import AbandonedJobError, InvalidJobOperation, NoSuchJobError
from rq.job import Job
from rq.registry import FailedJobRegistry, StartedJobRegistry

logger = logging.getLogger(__name__)

# A task whose worker died this many times is not put back again but marked failed: it is most
# likely what kills its worker (a "poison" task), and running it for ever would take a worker down
# every TASKS_RECOVER_AFTER_SECONDS. What it was about stays visible (an email's overdue warning).
MAX_CLAIMS = 5

# How often a running worker looks for such tasks: every minute, or more often with a short timeout.
CHECK_EVERY_SECONDS = 60


class WorkerLost(Exception):
    """Recorded as the error of a task given up after its worker died ``MAX_CLAIMS`` times."""


def recovery_timeout() -> datetime.timedelta:
    """How long a task may be RUNNING before it is taken to belong to a worker that died."""
    return datetime.timedelta(seconds=settings.TASKS_RECOVER_AFTER_SECONDS)


def recovery_interval() -> float:
    """Seconds between two checks in a running worker: a quarter of the timeout, at most a minute."""
    return max(1.0, min(CHECK_EVERY_SECONDS, recovery_timeout().total_seconds() / 4))


def tasks_recover(*, backend_alias: str | None = None, now: datetime.datetime | None = None) -> dict[str, int]:
    """Put back in the queue the tasks whose worker died; returns the counts ``requeued`` and ``given_up``.

    ``backend_alias`` limits it to one task backend (a worker serves one); by default every backend in
    ``settings.TASKS`` is looked at. The database backend and RQ have their branch here; another
    backend is left to its own mechanism.
    """
    now = now or timezone.now()
    counts = {"requeued": 0, "given_up": 0}
    for alias in [backend_alias] if backend_alias else list(settings.TASKS):
        try:
            backend = task_backends[alias]
        except Exception as error:  # a backend that cannot be loaded has no tasks to recover here
            logger.warning("task backend %s cannot be loaded, no tasks recovered: %s", alias, type(error).__name__)
            continue
        if isinstance(backend, DatabaseBackend):
            requeued, given_up = _database_recover(alias=alias, now=now)
        elif isinstance(backend, RQBackend):
            requeued, given_up = _rq_recover(backend=backend, now=now)
        else:
            continue
        counts["requeued"] += requeued
        counts["given_up"] += given_up
    return counts


def _database_recover(*, alias: str, now: datetime.datetime) -> tuple[int, int]:
    cutoff = now - recovery_timeout()
    stale = DBTaskResult.objects.running().filter(backend_name=alias, started_at__lt=cutoff)
    requeued = given_up = 0
    # A read first: when nothing is stale (nearly always) no write lock is taken, which on SQLite
    # would hold up every other writer for a moment.
    for row in stale.only("id", "task_path", "worker_ids", "started_at"):
        still_stale = DBTaskResult.objects.running().filter(id=row.id, started_at__lt=cutoff)
        claims = len(row.worker_ids or [])
        if claims >= MAX_CLAIMS:
            changed = still_stale.update(
                status=TaskResultStatus.FAILED,
                finished_at=now,
                exception_class_path=f"{WorkerLost.__module__}.{WorkerLost.__qualname__}",
                traceback=f"WorkerLost: the worker running this task died {claims} times; not run again.\n",
            )
            if changed:
                given_up += changed
                logger.error("task %s (%s) given up: its worker died %s times", row.id, row.task_path, claims)
        else:
            changed = still_stale.update(status=TaskResultStatus.READY)
            if changed:
                requeued += changed
                logger.warning(
                    "task %s (%s) put back in the queue: running since %s, its worker %s is taken to be dead",
                    row.id,
                    row.task_path,
                    row.started_at.isoformat() if row.started_at else "?",
                    (row.worker_ids or ["?"])[-1],
                )
    return requeued, given_up


# The job's meta key that counts how often its worker died (RQ keeps no list of workers per job).
RQ_LOST_KEY = "amtsweg_workers_lost"
RQ_GIVEN_UP_KEY = "amtsweg_given_up"


def _rq_recover(*, backend: RQBackend, now: datetime.datetime) -> tuple[int, int]:
    import django_rq

    requeued = given_up = 0
    for queue_name in sorted(backend.queues):
        queue = django_rq.get_queue(queue_name)
        # Moves the jobs whose worker's heartbeat ran out before ``now`` from "started" to "failed"
        # (AbandonedJobError), as RQ's own registry clean-up does in its workers from time to time.
        StartedJobRegistry(queue=queue).cleanup(timestamp=now.timestamp())
        registry = FailedJobRegistry(queue=queue)
        for job_id in registry.get_job_ids():
            try:
                job = queue.fetch_job(job_id)
            except NoSuchJobError:
                continue
            if job is None or not _rq_abandoned(job) or job.meta.get(RQ_GIVEN_UP_KEY):
                continue
            lost = int(job.meta.get(RQ_LOST_KEY, 0)) + 1
            if lost >= MAX_CLAIMS:
                job.meta[RQ_GIVEN_UP_KEY] = True
                job.save_meta()
                given_up += 1
                logger.error("task %s (%s) given up: its worker died %s times", job.id, job.func_name, lost)
                continue
            job.meta[RQ_LOST_KEY] = lost
            job.save_meta()
            try:
                registry.requeue(job)
            except (InvalidJobOperation, NoSuchJobError):  # another caller put it back first
                continue
            requeued += 1
            logger.warning(
                "task %s (%s) put back in the queue: its worker %s died while running it",
                job.id,
                job.func_name,
                job.worker_name or "?",
            )
    return requeued, given_up


def _rq_abandoned(job: Job) -> bool:
    """Whether the job failed because its worker died, not because it raised."""
    result = job.latest_result()
    return result is not None and AbandonedJobError.__name__ in (result.exc_string or "")
