"""Queue background tasks so that a worker never sees a task before the rows it is about.

With the database task backend (django-tasks-db, the default on one server) the task's row is
written inside the current transaction: it commits or rolls back together with the rows it is
about (a transactional outbox), and it needs no second write transaction after the commit, which
on SQLite would wait for the write lock again. With a backend outside the database (RQ on Redis,
at scale) the task is queued once the transaction has committed, as before.
"""

from collections.abc import Callable

from django.db import transaction
from django.tasks import Task
from django_tasks_db import DatabaseBackend


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
        transaction.on_commit(enqueue)
