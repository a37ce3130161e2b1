"""Whole-page caching for the public catalogue pages, invalidated by content changes.

Catalogue pages are the same for every visitor, so they are rendered once per
content version (core/memo.py) and language. Every change to the catalogue bumps
the content version (after the transaction commits), which makes all cached pages
stale at once: an admin's edit is visible on the next request, on every app server,
because the version lives in the shared cache (Redis with several servers, a
file cache in var/ on one server). Visitors with a session or a waiting message are never
served from or stored into this cache, so personal content can never leak through it.
"""

import functools
from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from .memo import MISSING, Memo, content_version

PAGE_TIMEOUT = 60 * 60
MAX_CACHED_QUERY = 100


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        # A message waiting for this visitor ("You are logged out.") is shown on the page, not cached with it.
        and CookieStorage.cookie_name not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_CACHED_QUERY
    )


# Hot pages are also kept in this process, so a hit costs one small read of the
# version from the shared cache instead of fetching and unpickling the page.
_local_pages = Memo("core.pages", max_entries=500)


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a rendered page from the cache while the catalogue is unchanged."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = f"amtsweg:page:{request.LANGUAGE_CODE}:{request.get_full_path()}"
        version = content_version()
        cached = _local_pages.find(key, stamp=version)
        if cached is MISSING:
            cached = cache.get(key)
            if cached is not None and cached[0] == version:
                _local_pages.keep(key, cached, stamp=version)
        if cached is not None and cached[0] == version:
            _version, status, content, content_type = cached
            response = HttpResponse(content, status=status, content_type=content_type)
            response["X-Amtsweg-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code in (200, 404) and not response.streaming and not response.cookies:
            if hasattr(response, "render") and callable(response.render):
                response.render()
            entry = (version, response.status_code, response.content, response["Content-Type"])
            cache.set(key, entry, PAGE_TIMEOUT)
            _local_pages.keep(key, entry, stamp=version)
        return response

    return wrapper
