import logging

from django.db import DatabaseError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.translation import get_language
from django.views.decorators.cache import never_cache

from .i18n import further_language_codes, page_languages, page_languages_set
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
    """Liveness and database check for load balancers: 200 when the database answers, else 503."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("health check: database unreachable")
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    # The error pages are translated into every language (core.catalogues).
    page_languages_set(request, page_languages(further_language_codes()))
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    # Rendered without a database or context processors that may be the cause.
    from django.template.loader import get_template

    return HttpResponse(get_template("500.html").render({"request": request}), status=500)
