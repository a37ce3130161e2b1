"""The file cache of the one-server setup: Django's, with an ``incr`` that keeps the entry's expiry."""

from __future__ import annotations

import os
import time
from typing import Any, NamedTuple

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks


class _Stored(NamedTuple):
    """A value as this cache stores it: with its expiry (seconds since the epoch, None for never), which
    Django's file cache keeps in the file but offers no public way to read."""

    expires_at: float | None
    value: Any


class FileCache(FileBasedCache):
    """Django's file cache, with an ``incr`` that keeps the entry's expiry.

    Django's file cache reads the value and sets it again with the default timeout (5 minutes), so a
    rate-limit counter added for an hour (core/ratelimit.py) ran out 5 minutes after the last attempt. Here
    every value is stored with its expiry, and ``incr`` writes the new number with the time that is left,
    under an exclusive lock on one lock file, so that two processes counting at once both count. Only the
    backend's public methods are used.
    """

    def __init__(self, dir: str, params: dict) -> None:
        super().__init__(dir, params)
        self._incr_lock_path = os.path.join(os.path.abspath(dir), "incr.lock")  # not a .djcache file: never culled

    def set(self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        super().set(key, _Stored(self.get_backend_timeout(timeout), value), timeout, version)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        stored = super().get(key, _MISSING, version)
        if stored is _MISSING:
            return default
        return stored.value if isinstance(stored, _Stored) else stored

    def touch(self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        value = self.get(key, _MISSING, version)
        if value is _MISSING:
            return False
        self.set(key, value, timeout, version)
        return True

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` to a stored number, keeping its expiry; ValueError if there is none."""
        os.makedirs(os.path.dirname(self._incr_lock_path), exist_ok=True)
        with open(self._incr_lock_path, "ab") as lock:
            locks.lock(lock, locks.LOCK_EX)
            try:
                stored = super().get(key, _MISSING, version)
                if stored is _MISSING:
                    raise ValueError(f"Key '{key}' not found")
                if not isinstance(stored, _Stored):  # written before this cache stored expiries
                    stored = _Stored(self.get_backend_timeout(DEFAULT_TIMEOUT), stored)
                value = stored.value + delta
                if stored.expires_at is None:
                    super().set(key, _Stored(None, value), None, version)
                else:
                    left = stored.expires_at - time.time()
                    if left <= 0:
                        raise ValueError(f"Key '{key}' not found")
                    super().set(key, _Stored(stored.expires_at, value), left, version)
            finally:
                locks.unlock(lock)
        return value


_MISSING = object()
