"""The file cache of the one-server setup, with culling that does not list the directory on every write."""

from __future__ import annotations

import time

from django.core.cache.backends.filebased import FileBasedCache

CULL_INTERVAL_SECONDS = 30.0


class FileCache(FileBasedCache):
    """Django's file cache, culled at most every 30 seconds per process.

    Django's ``FileBasedCache`` lists its whole directory on every write to decide whether to cull.
    The rate limits write on every booking attempt and every status lookup; with a few thousand
    entries (one per address during a booking rush) that listing was half the cost of a refused
    booking. Culling only bounds the disk use, so doing it twice a minute is enough.
    """

    def __init__(self, dir: str, params: dict) -> None:
        super().__init__(dir, params)
        self._next_cull = 0.0

    def _cull(self) -> None:
        now = time.monotonic()
        if now < self._next_cull:
            return
        self._next_cull = now + CULL_INTERVAL_SECONDS
        super()._cull()
