"""Whole-page caching for the public catalogue pages, invalidated by content changes.

Catalogue pages are the same for every visitor, so they are rendered once per
content version and language. Every change to the catalogue bumps the content
version (after the transaction commits), which makes all cached pages stale at
once: an admin's edit is visible on the next request, on every app server,
because the version lives in the shared cache (Redis with several servers, a
file cache in var/ on one server). Visitors with a session are never served
from or stored into this cache, so personal content can never leak through it.
"""

import functools
import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse

VERSION_KEY = "amtsweg:content-version"
PAGE_TIMEOUT = 60 * 60
MAX_CACHED_QUERY = 100


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh value, never an old one: if the key was evicted, pages cached
        # under earlier versions must not come back to life.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY) or time.time_ns()
    return int(version)


def _bump() -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def content_changed() -> None:
    """Call after any write that changes what public pages show."""
    transaction.on_commit(_bump)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_CACHED_QUERY
    )


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a rendered page from the cache while the catalogue is unchanged.

    The page is stored with the content version it was rendered at; version
    and page are read in one round trip (one MGET on Redis).
    """

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = f"amtsweg:page:{request.LANGUAGE_CODE}:{request.get_full_path()}"
        found = cache.get_many([VERSION_KEY, key])
        version = found.get(VERSION_KEY)
        if version is None:
            version = content_version()
        cached = found.get(key)
        if cached is not None and cached[0] == version:
            _version, status, content, content_type = cached
            response = HttpResponse(content, status=status, content_type=content_type)
            response["X-Amtsweg-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 404) and not response.streaming and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            cache.set(key, (version, response.status_code, response.content, response["Content-Type"]), PAGE_TIMEOUT)
        return response

    return wrapper
