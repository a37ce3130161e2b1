import logging

import redis
from django.conf import settings
from django.db import DatabaseError, connection
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from .health import redis_probe, task_queue_probe
from .i18n import further_language_codes, page_languages, page_languages_set
from .metrics import CONTENT_TYPE as METRICS_CONTENT_TYPE
from .metrics import metrics_allowed, metrics_exposition
from .pagecache import cache_public_page
from .trustgate import public

logger = logging.getLogger(__name__)


LEGAL_PAGES = {"impressum", "datenschutz", "barrierefreiheit"}


@public
@cache_public_page
def legal_page(request: HttpRequest, page: str) -> HttpResponse:
    """Legal texts are long prose, so each language has its own template."""
    language = get_language() or "de"
    try:
        template = select_template([f"core/legal/{page}.{language}.html", f"core/legal/{page}.de.html"])
    except TemplateDoesNotExist:  # pragma: no cover - the URL pattern only admits known pages
        raise
    return HttpResponse(template.render({}, request))


@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """The check for load balancers and monitoring: 200 when all is well, else 503.

    ``database``: "ok" or "unreachable"; ``redis``: "ok", "unreachable" or "not configured" (no ``REDIS_URL``);
    ``tasks``: the waiting tasks, their number and how long the oldest has waited, "stuck" when that is longer
    than ``TASKS_STUCK_AFTER_SECONDS``, "unknown" for a task backend without a probe. 503 when the database or
    Redis does not answer or the queue is stuck. Figures only, nothing about a person.
    """
    body: dict = {"status": "ok", "database": "ok", "redis": redis_probe(url=settings.REDIS_URL)}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        queue = task_queue_probe()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        body.update(status="error", database="unreachable", tasks={"status": "unknown"})
        return JsonResponse(body, status=503)
    except (redis.RedisError, OSError):  # the task queue's Redis (RQ), which need not be the cache's
        logger.exception("health check: the task queue's Redis unreachable")
        body.update(status="error", tasks={"status": "unreachable"})
        return JsonResponse(body, status=503)
    if not queue.known:
        body["tasks"] = {"status": "unknown"}
    else:
        oldest = queue.oldest_waiting_seconds
        stuck = oldest is not None and oldest > settings.TASKS_STUCK_AFTER_SECONDS
        body["tasks"] = {
            "status": "stuck" if stuck else "ok",
            "waiting": queue.waiting,
            "oldest_waiting_seconds": round(oldest) if oldest is not None else None,
        }
        if stuck:
            logger.error("health check: the oldest waiting task has waited %d seconds", oldest)
            body["status"] = "error"
    if body["redis"] == "unreachable":
        body["status"] = "error"
    return JsonResponse(body, status=200 if body["status"] == "ok" else 503)


@never_cache
def metrics(request: HttpRequest) -> HttpResponse:
    """Prometheus' scrape (core/metrics.py): only from ``METRICS_ALLOWED_NETWORKS``, a 404 for anyone else."""
    if not metrics_allowed(request):
        raise Http404
    return HttpResponse(metrics_exposition(), content_type=METRICS_CONTENT_TYPE)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The error pages are translated into every language (core.catalogues).
    page_languages_set(request, page_languages(further_language_codes()))
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without a database or context processors that may be the cause.
    from django.template.loader import get_template

    return HttpResponse(get_template("500.html").render({"request": request}), status=500)
