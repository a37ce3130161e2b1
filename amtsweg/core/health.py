"""Probes for ``/healthz`` and the metrics: Redis, and the waiting tasks of the configured task backend.

Each probe is cheap (one query or one PING with a short timeout), because a load balancer asks often.
"""

from __future__ import annotations

import dataclasses
import datetime
import logging

import redis
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max
from django_tasks_rq import RQBackend
from rq.registry import ScheduledJobRegistry

logger = logging.getLogger(__name__)

REDIS_TIMEOUT_SECONDS = 1.0


def redis_probe(*, url: str) -> str:
    """``"ok"`` when Redis at ``url`` answers a PING, ``"unreachable"`` when not, ``"not configured"`` without a URL."""
    if not url:
        return "not configured"
    client = redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )
    try:
        client.ping()
    except (redis.RedisError, OSError):
        logger.warning("health check: Redis unreachable")
        return "unreachable"
    finally:
        client.close()
    return "ok"


@dataclasses.dataclass(frozen=True)
class TaskQueue:
    """The waiting tasks: how many, and how long the one that has waited longest has waited (``None``: none wait).
    ``known`` is false for a backend that has no probe yet."""

    known: bool
    waiting: int = 0
    oldest_waiting_seconds: float | None = None


def task_queue_probe(*, alias: str = "default") -> TaskQueue:
    """The waiting tasks of the task backend ``alias``.

    A task waits from when it was queued, or from its ``run_after`` when it was put off to later: a task put off
    into the future does not wait yet. The database backend (django-tasks-db) and RQ have a probe; for another
    backend the queue is unknown. Raises ``DatabaseError`` when the database does not answer, ``redis.RedisError``
    when RQ's Redis does not.
    """
    backend = task_backends[alias]
    if isinstance(backend, RQBackend):
        return _rq_queue_probe(backend=backend)
    if not isinstance(backend, DatabaseBackend):
        return TaskQueue(known=False)
    now = timezone.now()
    ready = DBTaskResult.objects.ready().filter(backend_name=alias)
    waiting_since = Case(
        When(run_after=get_date_max(), then=F("enqueued_at")),
        default=Greatest(F("enqueued_at"), F("run_after")),
    )
    figures = ready.aggregate(waiting=Count("pk"), since=Min(waiting_since))
    since = figures["since"]
    oldest = max((now - since).total_seconds(), 0.0) if since is not None else None
    return TaskQueue(known=True, waiting=figures["waiting"], oldest_waiting_seconds=oldest)


def _rq_queue_probe(*, backend: RQBackend) -> TaskQueue:
    """RQ's queues: the jobs in each queue (the oldest at its head), and the jobs put off to later whose time has
    come but that no worker's scheduler has moved to the queue yet (no worker runs ``--with-scheduler``)."""
    import django_rq

    now = timezone.now()
    waiting = 0
    since: list[datetime.datetime] = []
    for queue_name in sorted(backend.queues):
        queue = django_rq.get_queue(queue_name)
        waiting += queue.count
        head = queue.get_job_ids(0, 1)
        job = queue.fetch_job(head[0]) if head else None
        if job is not None and job.enqueued_at is not None:
            since.append(job.enqueued_at)
        scheduled = ScheduledJobRegistry(queue=queue)
        due = scheduled.get_jobs_to_schedule(timestamp=int(now.timestamp()))
        waiting += len(due)
        if due:
            since.append(scheduled.get_scheduled_time(due[0]))
    oldest = max((now - min(since)).total_seconds(), 0.0) if since else None
    return TaskQueue(known=True, waiting=waiting, oldest_waiting_seconds=oldest)
