"""Prometheus metrics: request latency, the task queue, and figures the apps register.

``/metrics`` answers only clients in ``METRICS_ALLOWED_NETWORKS`` (404 for everyone else, and for everyone when
the setting is empty). What it shows:

- ``amtsweg_http_request_duration_seconds``: a histogram of the time each request took, by view name (the URL
  pattern's name, never the path, which may hold a reference or a token), method and status class (2xx, 4xx...),
  measured by ``RequestMetricsMiddleware``;
- ``amtsweg_task_queue_waiting`` and ``amtsweg_task_queue_oldest_waiting_seconds``: computed at each scrape by
  the same probe as ``/healthz`` (core/health.py); absent while the task backend has no probe;
- the gauges an app registers with ``metrics_gauges_register`` (core imports no app, so an app brings its own
  figures, as appointments does with its booking holds), computed at each scrape too.

With several gunicorn workers, each worker keeps its own request figures. With ``PROMETHEUS_MULTIPROC_DIR``
set (an empty folder, emptied when gunicorn starts; amtsweg/gunicorn_conf.py does both), prometheus_client writes
them to files there and a scrape of any worker adds up all of them; without it, a scrape sees only the worker
that answers it, which is right for one worker process.
"""

from __future__ import annotations

import dataclasses
import functools
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator

import redis
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from prometheus_client import REGISTRY, CollectorRegistry, Histogram, generate_latest, multiprocess
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

from .clientip import client_ip
from .health import task_queue_probe

logger = logging.getLogger(__name__)

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})

REQUEST_DURATION = Histogram(
    "amtsweg_http_request_duration_seconds",
    "Time from the request's arrival at Django to its answer, by view name, method and status class.",
    ["view", "method", "status"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)


@dataclasses.dataclass(frozen=True)
class Gauge:
    """One figure for a scrape: ``name`` (``amtsweg_`` is put in front), what it means, and its value."""

    name: str
    documentation: str
    value: float


_gauges: dict[str, Callable[[], Iterable[Gauge]]] = {}


def metrics_gauges_register(*, name: str, function: Callable[[], Iterable[Gauge]]) -> None:
    """Have ``function`` called at each scrape for its gauges (registering the same ``name`` again replaces it).
    Called from an app's ``AppConfig.ready``; the function reads the database, so it stays a query or two."""
    _gauges[name] = function


def _gauge(name: str, documentation: str, value: float) -> GaugeMetricFamily:
    return GaugeMetricFamily(f"amtsweg_{name}", documentation, value=value)


class ScrapeCollector(Collector):
    """The gauges computed when Prometheus asks: the task queue and the apps' registered figures."""

    def describe(self) -> Iterable[Metric]:
        # Without describe() the registry would collect (read the database) when the collector is registered.
        return []

    def collect(self) -> Iterator[Metric]:
        try:
            queue = task_queue_probe()
        except (DatabaseError, redis.RedisError, OSError):
            logger.exception("metrics: the task queue could not be read")
        else:
            if queue.known:
                yield _gauge("task_queue_waiting", "Tasks waiting for a worker.", queue.waiting)
                yield _gauge(
                    "task_queue_oldest_waiting_seconds",
                    "How long the task that has waited longest has waited (0 when none waits).",
                    queue.oldest_waiting_seconds or 0.0,
                )
        for name, function in list(_gauges.items()):
            try:
                gauges = list(function())
            except DatabaseError:
                logger.exception("metrics: the figures of %s could not be read", name)
                continue
            for gauge in gauges:
                yield _gauge(gauge.name, gauge.documentation, gauge.value)


_scrape_collector = ScrapeCollector()
if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    # One process: the default registry holds the request histogram (and the process figures); the scrape's
    # gauges join it once.
    REGISTRY.register(_scrape_collector)


def metrics_exposition() -> bytes:
    """The text Prometheus reads: all figures, from every worker's files in multiprocess mode."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_scrape_collector)
        return generate_latest(registry)
    return generate_latest(REGISTRY)


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry.strip())


def metrics_allowed(request: HttpRequest) -> bool:
    """Whether the client is in ``METRICS_ALLOWED_NETWORKS`` (never when the setting is empty)."""
    networks = _networks(tuple(settings.METRICS_ALLOWED_NETWORKS))
    if not networks:
        return False
    try:
        address = ipaddress.ip_address(client_ip(request))
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return any(address in network for network in networks)


def _status_class(status: int) -> str:
    return f"{status // 100}xx"


class RequestMetricsMiddleware:
    """Times every request for ``amtsweg_http_request_duration_seconds``; first in ``MIDDLEWARE`` so that the
    time is the whole of Django's. Not used at all while ``METRICS_ALLOWED_NETWORKS`` is empty."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        if not settings.METRICS_ALLOWED_NETWORKS:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name if match is not None else "") or "unresolved"
        method = request.method if request.method in METHODS else "other"
        REQUEST_DURATION.labels(view=view, method=method, status=_status_class(response.status_code)).observe(
            time.perf_counter() - started
        )
        return response
