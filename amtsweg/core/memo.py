"""The one way to keep read-mostly data in a process: memos under the content version, with a short expiry.

Catalogue data (services, their form versions, fees, processing rules, the search index) is read by almost
every request and changes rarely. Each process keeps what it read in a ``Memo``:

- under the **content version**, a number in the shared cache (Redis with several servers, the file cache
  in var/ on one server). Every write that changes such data calls ``content_changed()`` after its commit,
  so the next request on every app server reads afresh. A request reads the version once, at its first
  use, and keeps it for the rest of the request (a ``ContextVar``, so requests that share a thread under
  ASGI do not share it);
- for at most ``MAX_TTL`` seconds: a change made without a bump (``QuerySet.update()``, a fixture, SQL, a
  bump lost because the cache was down) is seen after a minute at the latest;
- as **read-only copies**: model instances are kept as ``Row`` snapshots of their column values, and every
  read hands out a new instance built from them (``Model.from_db``), so a request can change what it got
  without another request seeing it. Other kept values must be immutable (frozen dataclasses, tuples).

Every memo is registered; ``clear_all()`` empties them (tests start each test with it).
"""

from __future__ import annotations

import copy
import datetime
import decimal
import functools
import time
import uuid
import weakref
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import models, router, transaction

VERSION_KEY = "amtsweg:content-version"
MAX_TTL = 60.0

# --- the content version ------------------------------------------------------------------------------

# The version as this request first read it: a page asks for it several times (its service, the fees, the
# form, the processing rule), and each read is a file or Redis round trip. A request sees the version it
# first read, as if it had read all catalogue data at its start; the next request reads it again.
# ``None`` outside a request (tasks, commands: every call reads the shared cache), 0 in a request before
# the first read.
_request_version: ContextVar[int | None] = ContextVar("amtsweg_content_version", default=None)


def _request_started(**_kwargs: object) -> None:
    _request_version.set(0)


def _request_finished(**_kwargs: object) -> None:
    # Set rather than reset with a token: under ASGI the finished signal may run in another context.
    _request_version.set(None)


request_started.connect(_request_started, dispatch_uid="amtsweg.memo.request_started")
request_finished.connect(_request_finished, dispatch_uid="amtsweg.memo.request_finished")


def _shared_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # A fresh value, never an old one: if the key was evicted, what was kept under earlier versions
        # must not come back to life.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY) or time.time_ns()
    return int(version)


def content_version() -> int:
    """The catalogue's content version, read from the shared cache once per request."""
    known = _request_version.get()
    if known:
        return known
    version = _shared_version()
    if known == 0:
        _request_version.set(version)
    return version


def _bump() -> None:
    version = time.time_ns()
    cache.set(VERSION_KEY, version, timeout=None)
    if _request_version.get() is not None:
        _request_version.set(version)  # the request that changed the catalogue sees its change


def content_changed() -> None:
    """Call after any write that changes catalogue data or what public pages show (bumps after the commit)."""
    transaction.on_commit(_bump)


# --- read-only copies of model instances --------------------------------------------------------------

_IMMUTABLE = (str, int, float, bool, bytes, decimal.Decimal, datetime.date, datetime.time, uuid.UUID, type(None))


def _copied(value: Any) -> Any:
    return value if isinstance(value, _IMMUTABLE) else copy.deepcopy(value)


@dataclass(frozen=True, slots=True)
class Row:
    """A read-only copy of one model instance as it was read (its loaded columns, and the related instances
    read with it by ``select_related``). ``instance()`` builds a new, independent model instance each time."""

    model: type[models.Model]
    db: str | None
    field_names: tuple[str, ...]
    values: tuple[Any, ...]
    related: tuple[tuple[str, Row | None], ...] = ()

    @classmethod
    def of(cls, instance: models.Model, *, related: tuple[str, ...] = ()) -> Row:
        """The copy of ``instance`` (its loaded columns), with copies of the forward relations named in
        ``related`` (read with ``select_related``, so that copying them costs no query)."""
        deferred = instance.get_deferred_fields()
        fields = [f for f in instance._meta.concrete_fields if f.attname not in deferred]
        values = tuple(_copied(getattr(instance, f.attname)) for f in fields)
        kept = []
        for name in related:
            other = getattr(instance, name)
            kept.append((name, None if other is None else cls.of(other)))
        db = router.db_for_read(type(instance), instance=instance)
        return cls(type(instance), db, tuple(f.attname for f in fields), values, tuple(kept))

    def instance(self) -> models.Model:
        """A new model instance with the kept values (mutable ones, such as JSON, copied again)."""
        obj = self.model.from_db(self.db, self.field_names, [_copied(v) for v in self.values])
        for name, row in self.related:
            setattr(obj, name, None if row is None else row.instance())
        return obj


def thaw(value: Any) -> Any:
    """What a memo hands out: a new model instance for each ``Row``, also inside tuples; the rest as kept."""
    if isinstance(value, Row):
        return value.instance()
    if type(value) is tuple:
        return tuple(thaw(item) for item in value)
    return value


# --- memos --------------------------------------------------------------------------------------------

_CONTENT = object()  # the default stamp: the content version
MISSING = object()  # what ``Memo.find`` answers when nothing valid is kept
_registry: weakref.WeakSet[Memo] = weakref.WeakSet()


class Memo:
    """Values kept in this process by key, each under a stamp (by default the content version) and for at
    most ``ttl`` seconds (``MAX_TTL`` at most). What is kept is shared by every request of the process:
    keep ``Row`` copies and immutable values only (``get`` hands out new instances for ``Row``)."""

    def __init__(
        self,
        name: str,
        *,
        ttl: float = MAX_TTL,
        max_entries: int = 1000,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 0 < ttl <= MAX_TTL:
            raise ValueError(f"a memo keeps values for at most {MAX_TTL} seconds")
        self.name = name
        self.ttl = ttl
        self.max_entries = max_entries
        self.clock = clock
        self._entries: dict[Hashable, tuple[object, float, Any]] = {}
        _registry.add(self)

    def __repr__(self) -> str:
        return f"<Memo {self.name}: {len(self._entries)} entries>"

    def get(self, key: Hashable, load: Callable[[], Any], *, stamp: object = _CONTENT) -> Any:
        """The value kept under ``key`` if it was kept under ``stamp`` and has not expired, else ``load()``
        (then kept). ``Row`` copies come out as new model instances."""
        if stamp is _CONTENT:
            stamp = content_version()
        found = self.find(key, stamp=stamp)
        if found is not MISSING:
            return found
        value = load()
        self.keep(key, value, stamp=stamp)
        return thaw(value)

    def find(self, key: Hashable, *, stamp: object) -> Any:
        """The value kept under ``key`` and ``stamp`` (``Row`` copies as new instances), or ``MISSING``."""
        hit = self._entries.get(key)
        if hit is not None and hit[0] == stamp and self.clock() < hit[1]:
            return thaw(hit[2])
        return MISSING

    def keep(self, key: Hashable, value: Any, *, stamp: object) -> None:
        """Keep ``value`` (a ``Row``, or immutable) under ``key`` and ``stamp`` for ``ttl`` seconds."""
        if len(self._entries) >= self.max_entries:
            self._entries.clear()
        self._entries[key] = (stamp, self.clock() + self.ttl, value)

    def clear(self) -> None:
        self._entries.clear()


def clear_all() -> None:
    """Empty every memo of this process."""
    for kept in list(_registry):
        kept.clear()


def memo[**P, R](name: str, *, ttl: float = MAX_TTL) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Keep a function's result per process, by its keyword arguments, under the content version.

    For reads of catalogue data with hashable keyword-only arguments (ids, dates, slugs). The function
    returns what is to be kept: ``Row`` copies (each caller gets new instances) or immutable values.
    """

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        store = Memo(name, ttl=ttl)

        @functools.wraps(function)
        def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
            key = (*args, *sorted(kwargs.items()))
            return store.get(key, lambda: function(*args, **kwargs))

        wrapper.memo = store  # type: ignore[attr-defined]
        return wrapper

    return decorate
