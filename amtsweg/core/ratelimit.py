"""The project's rate-limit counter: one cache entry per key and window (Redis with several servers).

Every rate limit goes through here. Two ways to use it:

- ``too_many`` counts every attempt and says whether this one goes over the limit;
- ``limit_reached`` and ``count`` for limits that count only failures: check
  first (counting nothing), then count when the attempt has failed.
"""

from django.core.cache import cache


def count(key: str, *, window: int) -> int:
    """Count one under ``key``; the count so far in the window of ``window`` seconds begun by the first one."""
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # the entry ran out between add and incr
        cache.set(key, 1, timeout=window)
        return 1


def too_many(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; whether it goes over ``limit`` within ``window`` seconds."""
    return count(key, window=window) > limit


def limit_reached(key: str, *, limit: int) -> bool:
    """Whether ``key`` has been counted ``limit`` times or more in its running window; counts nothing."""
    return (cache.get(key) or 0) >= limit
