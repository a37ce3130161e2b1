"""/metrics: only for the monitoring network, with request latency, the task queue and the booking holds."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone

from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.models import Appointment
from amtsweg.feedback.tasks import feedback_housekeeping_task
from tests.catalogue.factories import LocationFactory, ServiceFactory

ROOT = Path(__file__).resolve().parents[2]
MONITORING = "10.0.5.7"

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitored(settings):
    settings.METRICS_ALLOWED_NETWORKS = ["10.0.5.0/24", "2001:db8:5::/48"]
    return Client(REMOTE_ADDR=MONITORING)


def _sample(text: str, name: str, **labels: str) -> float | None:
    """The value of one sample in the exposition text, or None when it is not there."""
    for line in text.splitlines():
        match = re.match(r"^(\w+)(?:\{(.*)\})? (\S+)$", line)
        if not match or match.group(1) != name:
            continue
        found = dict(re.findall(r'(\w+)="([^"]*)"', match.group(2) or ""))
        if all(found.get(key) == value for key, value in labels.items()):
            return float(match.group(3))
    return None


def _scrape(client: Client) -> str:
    response = client.get("/metrics")
    assert response.status_code == 200
    return response.content.decode()


def test_metrics_are_off_by_default(client, settings):
    assert settings.METRICS_ALLOWED_NETWORKS == []
    assert Client(REMOTE_ADDR=MONITORING).get("/metrics").status_code == 404
    assert client.get("/metrics").status_code == 404


def test_metrics_answer_404_outside_the_allowed_networks(monitored):
    assert Client(REMOTE_ADDR="192.0.2.10").get("/metrics").status_code == 404
    assert Client(REMOTE_ADDR="2001:db8:6::1").get("/metrics").status_code == 404
    # A forwarded address counts only from a trusted proxy: a client cannot claim to be the monitoring.
    assert Client(REMOTE_ADDR="192.0.2.10").get("/metrics", HTTP_X_FORWARDED_FOR=MONITORING).status_code == 404


def test_metrics_answer_the_monitoring_network(monitored, settings):
    response = monitored.get("/metrics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    assert "no-cache" in response["Cache-Control"]
    assert Client(REMOTE_ADDR="2001:db8:5::9").get("/metrics").status_code == 200
    settings.TRUSTED_PROXIES = ["192.0.2.1"]  # nginx in front: the monitoring's address from X-Forwarded-For
    assert Client(REMOTE_ADDR="192.0.2.1").get("/metrics", HTTP_X_FORWARDED_FOR=MONITORING).status_code == 200


def test_request_latency_is_counted_by_view_name_method_and_status_class(monitored):
    labels = {"view": "healthz", "method": "GET", "status": "2xx"}
    before = _sample(_scrape(monitored), "amtsweg_http_request_duration_seconds_count", **labels) or 0
    assert monitored.get("/healthz").status_code == 200
    assert monitored.get("/healthz").status_code == 200
    text = _scrape(monitored)
    assert _sample(text, "amtsweg_http_request_duration_seconds_count", **labels) == before + 2
    assert _sample(text, "amtsweg_http_request_duration_seconds_bucket", le="+Inf", **labels) == before + 2


def test_the_path_of_a_request_never_becomes_a_label(monitored):
    assert monitored.get("/no-such-page-KS-2026-000123/").status_code == 404
    text = _scrape(monitored)
    assert "KS-2026-000123" not in text
    assert _sample(text, "amtsweg_http_request_duration_seconds_count", view="unresolved", status="4xx")


def test_the_task_queue_is_measured_at_each_scrape(monitored):
    assert _sample(_scrape(monitored), "amtsweg_task_queue_waiting") == 0
    assert _sample(_scrape(monitored), "amtsweg_task_queue_oldest_waiting_seconds") == 0
    feedback_housekeeping_task.enqueue()
    feedback_housekeeping_task.using(run_after=timezone.now() + datetime.timedelta(hours=1)).enqueue()
    text = _scrape(monitored)
    assert _sample(text, "amtsweg_task_queue_waiting") == 1
    assert _sample(text, "amtsweg_task_queue_oldest_waiting_seconds") >= 0


def _appointment(*, status: str, hold_expires_at: datetime.datetime | None, code: str) -> Appointment:
    starts = timezone.now() + datetime.timedelta(days=3)
    return Appointment.objects.create(
        booking_code=code,
        location=LocationFactory(),
        service=ServiceFactory(),
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=15),
        counter=1,
        status=status,
        name="Erika Mustermann",
        email="erika@example.org",
        hold_expires_at=hold_expires_at,
    )


def test_booking_holds_are_counted_while_they_hold(monitored):
    now = timezone.now()
    assert _sample(_scrape(monitored), "amtsweg_booking_holds") == 0
    held = _appointment(status=AppointmentStatus.HELD, hold_expires_at=now + datetime.timedelta(minutes=10), code="M1")
    Appointment.objects.filter(pk=held.pk).update(created_at=now - datetime.timedelta(minutes=4))
    _appointment(status=AppointmentStatus.HELD, hold_expires_at=now - datetime.timedelta(minutes=1), code="M2")
    _appointment(status=AppointmentStatus.CONFIRMED, hold_expires_at=None, code="M3")
    text = _scrape(monitored)
    assert _sample(text, "amtsweg_booking_holds") == 1
    assert 235 <= _sample(text, "amtsweg_booking_hold_oldest_age_seconds") < 3600
    assert "Erika" not in text and "example.org" not in text


def test_requests_are_not_timed_while_metrics_are_off(client):
    from prometheus_client import REGISTRY

    labels = {"view": "healthz", "method": "GET", "status": "2xx"}
    before = REGISTRY.get_sample_value("amtsweg_http_request_duration_seconds_count", labels)
    assert client.get("/healthz").status_code == 200
    assert REGISTRY.get_sample_value("amtsweg_http_request_duration_seconds_count", labels) == before


def test_several_worker_processes_add_up_in_multiprocess_mode(tmp_path):
    # Two processes, as two gunicorn workers, each answer a request; a scrape in a third sees both.
    folder = tmp_path / "metrics"
    folder.mkdir()
    (tmp_path / "var").mkdir()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "amtsweg.settings.test",
        "PROMETHEUS_MULTIPROC_DIR": str(folder),
        "METRICS_ALLOWED_NETWORKS": "127.0.0.0/8",
        "AMTSWEG_VAR_DIR": str(tmp_path / "var"),  # an empty database of its own: /healthz may say 503, still timed
        "LOG_LEVEL": "CRITICAL",
    }
    request = "import django; django.setup(); from django.test import Client; r = Client().get('/healthz');"
    for _ in range(2):
        out = subprocess.run([sys.executable, "-c", request], cwd=ROOT, env=env, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr
    assert list(folder.glob("histogram_*.db"))
    scrape = request.replace("/healthz", "/metrics") + "print(r.status_code); print(r.content.decode())"
    out = subprocess.run([sys.executable, "-c", scrape], cwd=ROOT, env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    status, _, text = out.stdout.partition("\n")
    assert status == "200"
    labels = {"view": "healthz", "method": "GET"}
    assert _sample(text, "amtsweg_http_request_duration_seconds_count", **labels) == 2
