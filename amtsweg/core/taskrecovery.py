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
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.tasks import TaskResultStatus, task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult

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
    ``settings.TASKS`` is looked at. Only the database backend needs this: a backend outside the
    database brings its own mechanism (RQ, for one, moves a dead worker's job to its failed-job
    registry), and a backend that later needs our help gets its branch here, next to the database's.
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
