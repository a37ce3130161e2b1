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
from django.utils.cache import add_never_cache_headers
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


class PrivatePagesMiddleware:
    """Pages answered to a session that holds something are kept by no browser history or cache.

    A login (a citizen's or staff's), access to an application, a draft: any answer read from such a
    session gets ``Cache-Control: no-store, private`` (``add_never_cache_headers``), unless its view set
    its own caching. So after "Abmelden" on a shared computer, the back button and the browser's cache
    show nothing of it. Pages to visitors without a session (the catalogue, cached whole) are not touched.

    Place it right after ``SessionMiddleware`` in ``MIDDLEWARE``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if (
            session is not None
            and session.accessed
            and not session.is_empty()
            and not response.has_header("Cache-Control")
        ):
            add_never_cache_headers(response)
        return response


class PageLanguageMiddleware:
    """A page asked for in a further language (Turkish, Arabic, ...) that it does not have is shown in English.

    It runs after the URL is resolved (``process_view``: the language prefix of the path is matched in the
    asked-for language) and activates English; a view whose page has the language switches back to it
    (``core.i18n.page_languages_set``). ``request.LANGUAGE_CODE`` stays the asked-for language, so the page
    cache keeps the page with its notice under that language. Place it after ``LocaleMiddleware``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: object, args: object, kwargs: object) -> None:
        from django.utils import translation

        from .i18n import further_language_codes

        asked = translation.get_language()
        if asked in further_language_codes():
            request.asked_language = asked  # type: ignore[attr-defined]
            translation.activate("en")
