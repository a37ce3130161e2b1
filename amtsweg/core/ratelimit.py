"""The project's rate-limit counter: one cache entry per key and window (Redis with several servers)."""

from django.core.cache import cache


def too_many(key: str, *, limit: int, window: int) -> bool:
    """Count one attempt under ``key``; whether it goes over ``limit`` within ``window`` seconds."""
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # the entry ran out between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit
