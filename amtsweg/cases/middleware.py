"""Turns the back office's one domain error into an answer, in one place.

A ``CaseError`` raised by a service (a refused transition, an assignee from
another department, ...) becomes:

- for a form sent from one of our own pages (POST with a same-site Referer):
  a redirect (303) back to that page with the message as an error in
  ``django.contrib.messages``, so staff see it where they acted;
- otherwise: the page ``cases/error.html`` with the message and status 400.

Place it after ``MessageMiddleware`` in ``MIDDLEWARE``.
"""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import CaseError


class CaseErrorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, CaseError):
            return None
        back = request.headers.get("referer", "")
        if (
            request.method == "POST"
            and back
            and url_has_allowed_host_and_scheme(
                back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            )
        ):
            messages.error(request, str(exception.message))
            response = HttpResponseRedirect(back)
            response.status_code = 303
            return response
        return render(request, "cases/error.html", {"message": exception.message}, status=400)
