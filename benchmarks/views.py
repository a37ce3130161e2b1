"""The benchmarks' reference views, routed only when settings.BENCH_ENDPOINTS is on (``make bench``)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from amtsweg.applications.models import Draft

BENCH_FLOOR_SERVICE = "sterbefall-voranzeige"  # the service of the form step the floor is compared with


def minimal(request: HttpRequest) -> HttpResponse:
    """The smallest view through the full middleware stack: the benchmarks' baseline."""
    return HttpResponse("ok", content_type="text/plain")


def question_page_floor(request: HttpRequest) -> HttpResponse:
    """What any question page must do at least, and nothing more.

    It reads the session and the citizen's draft (one query) and renders the page frame with a
    CSRF-protected form, but no question. Its rate, as a ratio to the minimal view, is the ceiling
    that a real question page can approach on this stack; ``make bench`` prints both.
    """
    draft_uuid = request.session.get("drafts", {}).get(BENCH_FLOOR_SERVICE)
    draft = next(iter(Draft.objects.filter(uuid=draft_uuid)[:1]), None) if draft_uuid else None
    return render(request, "benchmarks/question_floor.html", {"draft": draft})
