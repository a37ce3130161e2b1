import datetime
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amtsweg.core.health import redis_probe, task_queue_probe
from amtsweg.feedback.tasks import feedback_housekeeping_task

ROOT = Path(__file__).resolve().parents[2]
CLOSED_PORT_REDIS = "redis://127.0.0.1:1/0"  # nothing listens on port 1


def _queued(*, waited_seconds: float, run_after: datetime.datetime | None = None) -> DBTaskResult:
    """A real task queued through the database backend, as if queued ``waited_seconds`` ago."""
    task = feedback_housekeeping_task.using(run_after=run_after) if run_after else feedback_housekeeping_task
    result = task.enqueue()
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(seconds=waited_seconds)
    )
    return DBTaskResult.objects.get(id=result.id)


@pytest.mark.django_db
def test_healthz_is_200_when_the_database_answers(client, settings):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == "ok"
    assert body["redis"] == ("ok" if settings.REDIS_URL else "not configured")
    assert body["tasks"] == {"status": "ok", "waiting": 0, "oldest_waiting_seconds": None}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_counts_waiting_tasks_and_stays_200_below_the_limit(client, settings):
    settings.TASKS_STUCK_AFTER_SECONDS = 900
    _queued(waited_seconds=600)
    _queued(waited_seconds=5)
    response = client.get("/healthz")
    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert tasks["status"] == "ok" and tasks["waiting"] == 2
    assert 590 <= tasks["oldest_waiting_seconds"] <= 3600


@pytest.mark.django_db
def test_healthz_is_503_when_the_oldest_waiting_task_is_older_than_the_limit(client, settings):
    settings.TASKS_STUCK_AFTER_SECONDS = 900
    _queued(waited_seconds=1000)
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["database"] == "ok"
    assert body["tasks"]["status"] == "stuck" and body["tasks"]["waiting"] == 1


@pytest.mark.django_db
def test_a_task_put_off_into_the_future_is_not_waiting(client, settings):
    settings.TASKS_STUCK_AFTER_SECONDS = 900
    _queued(waited_seconds=5000, run_after=timezone.now() + datetime.timedelta(hours=1))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["tasks"] == {"status": "ok", "waiting": 0, "oldest_waiting_seconds": None}


@pytest.mark.django_db
def test_a_put_off_task_waits_from_its_run_after_not_from_when_it_was_queued(settings):
    # Queued long ago for a retry a minute ago: it has waited a minute, the queue is not stuck.
    _queued(waited_seconds=5000, run_after=timezone.now() - datetime.timedelta(seconds=60))
    queue = task_queue_probe()
    assert queue.known and queue.waiting == 1
    assert 55 <= queue.oldest_waiting_seconds < 900


@pytest.mark.django_db(transaction=True)  # the worker checks its connection between tasks
def test_running_and_finished_tasks_are_not_waiting(run_tasks):
    _queued(waited_seconds=5000)
    run_tasks()
    queue = task_queue_probe()
    assert queue.waiting == 0 and queue.oldest_waiting_seconds is None


@pytest.mark.django_db
def test_healthz_is_503_when_redis_is_unreachable(client, settings):
    settings.REDIS_URL = CLOSED_PORT_REDIS
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error" and body["redis"] == "unreachable" and body["database"] == "ok"


def test_the_redis_probe_tells_unreachable_from_not_configured():
    assert redis_probe(url=CLOSED_PORT_REDIS) == "unreachable"
    assert redis_probe(url="") == "not configured"


@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set; .ci/run sets it for PostgreSQL")
def test_the_redis_probe_sees_a_running_redis():
    assert redis_probe(url=os.environ["REDIS_URL"]) == "ok"


def test_healthz_is_503_when_the_database_is_down(tmp_path):
    # A real unreachable PostgreSQL (nothing listens on port 1), in a fresh process.
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client().get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "amtsweg.settings.test",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/none",
        "CONN_MAX_AGE": "0",
        "LOG_LEVEL": "CRITICAL",
    }
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result["status"] == 503
    assert result["body"]["status"] == "error" and result["body"]["database"] == "unreachable"
    assert result["body"]["tasks"] == {"status": "unknown"}


# --- the task queue on RQ (Redis) ---


def _rq_queued(rq_tasks, *, waited_seconds: float) -> str:  # type: ignore[no-untyped-def]
    """A real task queued through the RQ backend, as if queued ``waited_seconds`` ago."""
    result = feedback_housekeeping_task.enqueue()
    job = rq_tasks.queue.fetch_job(result.id)
    job.enqueued_at = datetime.datetime.now(datetime.UTC) - datetime.timedelta(seconds=waited_seconds)
    job.save()
    return str(result.id)


@pytest.mark.django_db
def test_healthz_on_rq_counts_the_queue_and_its_oldest_job(client, settings, rq_tasks):
    settings.TASKS_STUCK_AFTER_SECONDS = 600
    _rq_queued(rq_tasks, waited_seconds=300)
    _rq_queued(rq_tasks, waited_seconds=10)

    response = client.get("/healthz")

    assert response.status_code == 200
    tasks = response.json()["tasks"]
    assert (tasks["status"], tasks["waiting"]) == ("ok", 2)
    assert 299 <= tasks["oldest_waiting_seconds"] <= 330


@pytest.mark.django_db
def test_healthz_on_rq_is_503_when_the_oldest_job_waited_too_long(client, settings, rq_tasks):
    settings.TASKS_STUCK_AFTER_SECONDS = 600
    _rq_queued(rq_tasks, waited_seconds=900)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["tasks"]["status"] == "stuck"


@pytest.mark.django_db
def test_on_rq_a_job_put_off_waits_only_once_its_time_has_come(rq_tasks):
    feedback_housekeeping_task.using(run_after=timezone.now() + datetime.timedelta(minutes=5)).enqueue()
    assert task_queue_probe() == task_queue_probe().__class__(known=True, waiting=0, oldest_waiting_seconds=None)

    # Due 2 minutes ago, and no worker's scheduler has moved it to the queue: it waits, from its time.
    feedback_housekeeping_task.using(run_after=timezone.now() - datetime.timedelta(minutes=2)).enqueue()
    queue = task_queue_probe()
    assert queue.waiting == 1
    assert 119 <= (queue.oldest_waiting_seconds or 0) <= 150


@pytest.mark.django_db
def test_healthz_is_503_when_the_task_queues_redis_is_unreachable(client, settings, rq_tasks):
    settings.RQ_QUEUES = {"default": {"URL": CLOSED_PORT_REDIS}}

    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert (body["status"], body["database"], body["tasks"]) == ("error", "ok", {"status": "unreachable"})
