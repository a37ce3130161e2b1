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
import threading
import time
from collections.abc import Callable, Hashable

from django.conf import settings
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import transaction
from django.http import HttpRequest, HttpResponse

VERSION_KEY = "amtsweg:content-version"
PAGE_TIMEOUT = 60 * 60
MAX_CACHED_QUERY = 100


# The version read once per request: a page asks for it several times (its service, the fees, the
# form, the processing rule), and each read is a file or Redis round trip. A request sees the version
# it first read, as if it had read all catalogue data at its start; the next request reads it again.
# Outside a request (tasks, commands) every call reads the shared cache.
_request = threading.local()


def _request_started(**_kwargs: object) -> None:
    _request.version = 0  # 0: in a request, not read yet


def _request_finished(**_kwargs: object) -> None:
    _request.version = None


request_started.connect(_request_started, dispatch_uid="amtsweg.pagecache.request_started")
request_finished.connect(_request_finished, dispatch_uid="amtsweg.pagecache.request_finished")


def _shared_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh value, never an old one: if the key was evicted, pages cached
        # under earlier versions must not come back to life.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY) or time.time_ns()
    return int(version)


def content_version() -> int:
    known = getattr(_request, "version", None)
    if known:
        return known
    version = _shared_version()
    if known == 0:
        _request.version = version
    return version


def content_memo[T](store: dict, key: Hashable, load: Callable[[], T], *, max_entries: int = 1000) -> T:
    """``load()``, kept in this process in ``store`` under ``key`` while the content version is the same.

    For catalogue data that every request reads (a service, its form version, its fees): one small
    read of the version from the shared cache instead of queries, and exact on every app server after
    an admin's change, which bumps the version. What is kept is shared within the process: read-only.
    """
    stamp = content_version()
    hit = store.get(key)
    if hit is not None and hit[0] == stamp:
        return hit[1]
    value = load()
    if len(store) >= max_entries:
        store.clear()
    store[key] = (stamp, value)
    return value


def _bump() -> None:
    version = time.time_ns()
    cache.set(VERSION_KEY, version, timeout=None)
    if getattr(_request, "version", None) is not None:
        _request.version = version  # the request that changed the catalogue sees its change


def content_changed() -> None:
    """Call after any write that changes what public pages show."""
    transaction.on_commit(_bump)


def _cacheable(request: HttpRequest) -> bool:
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and len(request.META.get("QUERY_STRING", "")) <= MAX_CACHED_QUERY
    )


# Hot pages are also kept in this process, so a hit costs one small read of the
# version from the shared cache instead of fetching and unpickling the page.
# The version check keeps every process exact; the dict is bounded.
_local_pages: dict[str, tuple] = {}
LOCAL_MAX_PAGES = 500


def cache_public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Serve a rendered page from the cache while the catalogue is unchanged."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:  # type: ignore[no-untyped-def]
        if not _cacheable(request):
            return view(request, *args, **kwargs)
        key = f"amtsweg:page:{request.LANGUAGE_CODE}:{request.get_full_path()}"
        version = content_version()
        cached = _local_pages.get(key)
        if cached is None or cached[0] != version:
            cached = cache.get(key)
            if cached is not None and cached[0] == version:
                _remember(key, cached)
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
            _remember(key, entry)
        return response

    return wrapper


def _remember(key: str, entry: tuple) -> None:
    if len(_local_pages) >= LOCAL_MAX_PAGES:
        _local_pages.clear()
    _local_pages[key] = entry
