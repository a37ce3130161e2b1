"""Queue background tasks so that a worker never sees a task before the rows it is about.

With the database task backend (django-tasks-db, the default on one server) the task's row is
written inside the current transaction: it commits or rolls back together with the rows it is
about (a transactional outbox), and it needs no second write transaction after the commit, which
on SQLite would wait for the write lock again. With a backend outside the database (RQ on Redis,
at scale) the task is queued once the transaction has committed: a worker on another server could
otherwise take it before the rows exist. Should Redis not answer then, the request that committed
still succeeds (its data is saved) and the failure is logged. What the task was to do is not lost: an
email shows staff its failure on the case, a vehicle application is sent by its app's periodic sweep,
a payment is asked about by the reconciliation, and a Melderegisterauskunft left unanswered stays an
open case in its department's inbox.
"""

import logging
from collections.abc import Callable
from functools import partial

from django.db import transaction
from django.tasks import Task
from django_tasks_db import DatabaseBackend

logger = logging.getLogger(__name__)


def queued_with_transaction(task: Task) -> bool:
    """Whether ``task``'s queue lives in our database, so that enqueueing it is part of the transaction.

    A backend that cannot even be loaded is not: the caller queues after the commit and records the failure.
    """
    try:
        backend = task.get_backend()
    except Exception:
        return False
    return isinstance(backend, DatabaseBackend)


def enqueue_after_commit(task: Task, enqueue: Callable[[], object]) -> None:
    """Run ``enqueue`` (which queues ``task``) so that the task is visible only after the commit."""
    if queued_with_transaction(task):
        enqueue()
    else:
        transaction.on_commit(partial(_enqueue_logged, task=task, enqueue=enqueue))


def _enqueue_logged(*, task: Task, enqueue: Callable[[], object]) -> None:
    try:
        enqueue()
    except Exception:
        # The task's name only: its arguments are ids, but nothing of them belongs in a log.
        logger.exception("could not queue the task %s after the commit", task.module_path)
