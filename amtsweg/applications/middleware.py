from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .errors import ApplicationError


class ApplicationErrorMiddleware:
    """Turns the applications' domain error into a page with its message, in one place."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, ApplicationError):
            # A module may show its own page for its errors (e.g. "just taken" with the next free times).
            template = getattr(exception, "template", "applications/problem.html")
            context = {"message": exception.message, **getattr(exception, "context", {})}
            return render(request, template, context, status=exception.status)
        return None
