"""Turns the one domain error into an answer, in one place.

A ``DomainError`` raised by a service or a view becomes:

- if the error asks for it (``redirect_back``, the back office's errors) and
  the request is a form sent from one of our own pages (POST with a same-site
  Referer): a redirect (303) back to that page with the message as an error in
  ``django.contrib.messages``, so staff see it where they acted;
- otherwise: the error's page (``template``) with its message and status.

Place it after ``MessageMiddleware`` in ``MIDDLEWARE``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import decorator_from_middleware
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError
from .http import see_other


class DomainErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, DomainError):
            return None
        exception.record(request=request)
        back = request.headers.get("referer", "")
        if (
            exception.redirect_back
            and request.method == "POST"
            and back
            and url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
        ):
            messages.error(request, str(exception.message))
            return see_other(back)
        return render(request, exception.template, exception.page_context(), status=exception.status)


# For a view whose own decorators must also apply to the error page (e.g. a
# response header): the view's domain errors are answered by the same code,
# inside those decorators instead of after them.
domain_errors_answered = decorator_from_middleware(DomainErrorMiddleware)
