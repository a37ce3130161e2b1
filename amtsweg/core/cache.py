"""The file cache of the one-server setup: culling that does not list the directory on every write, and a
counter that keeps its expiry."""

from __future__ import annotations

import pickle
import time
import zlib

from django.core.cache.backends.filebased import FileBasedCache
from django.core.files import locks

CULL_INTERVAL_SECONDS = 30.0


class FileCache(FileBasedCache):
    """Django's file cache, culled at most every 30 seconds per process, with an ``incr`` that keeps the entry's
    expiry.

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
        super()._cull()  # type: ignore[misc]  # a private method of FileBasedCache (issue 15 step E)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        """Add ``delta`` to a stored number, keeping its expiry; ValueError if there is none.

        Django's file cache reads the value and sets it again with the default timeout (5 minutes), so a
        rate-limit counter added for an hour (core/ratelimit.py) ran out 5 minutes after the last attempt.
        Here the file is changed in place under an exclusive lock, as Django's ``touch`` does: the expiry
        stays, two processes counting at once both count, and there is no new file to rename.
        """
        try:
            with open(self._key_to_file(key, version), "r+b") as f:  # type: ignore[attr-defined]  # as above
                locks.lock(f, locks.LOCK_EX)
                try:
                    try:
                        expiry = pickle.load(f)  # noqa: S301 (the cache's own file, as Django reads it)
                    except EOFError:
                        expiry = 0  # an empty file counts as expired, as in Django
                    if expiry is not None and expiry < time.time():
                        raise ValueError(f"Key '{key}' not found")
                    value = pickle.loads(zlib.decompress(f.read())) + delta  # noqa: S301
                    f.seek(0)
                    f.write(pickle.dumps(expiry, self.pickle_protocol))
                    f.write(zlib.compress(pickle.dumps(value, self.pickle_protocol)))
                    f.truncate()
                finally:
                    locks.unlock(f)
        except FileNotFoundError:
            raise ValueError(f"Key '{key}' not found") from None
        return value
