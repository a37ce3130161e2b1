"""Probes for ``/healthz`` and the metrics: Redis, and the waiting tasks of the configured task backend.

Each probe is cheap (one query or one PING with a short timeout), because a load balancer asks often.
"""

from __future__ import annotations

import dataclasses
import logging

import redis
from django.db.models import Case, Count, F, Min, When
from django.db.models.functions import Greatest
from django.tasks import task_backends
from django.utils import timezone
from django_tasks_db import DatabaseBackend
from django_tasks_db.models import DBTaskResult, get_date_max

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
    into the future does not wait yet. Only the database backend (django-tasks-db) has a probe; for another
    backend the queue is unknown (the probe of the RQ backend comes with that backend). Raises ``DatabaseError``
    when the database does not answer.
    """
    backend = task_backends[alias]
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
