"""The one rate-limit counter (core.ratelimit), in both of its uses."""

from django.core.cache.backends.locmem import LocMemCache

from amtsweg.core import ratelimit


def _fresh_cache(monkeypatch):
    store = LocMemCache("ratelimit-test", {})
    store.clear()  # instances of one name share their entries
    monkeypatch.setattr("amtsweg.core.ratelimit.cache", store)
    return store


def test_every_attempt_counts_and_the_one_over_the_limit_is_refused(monkeypatch):
    _fresh_cache(monkeypatch)
    assert [ratelimit.too_many("k", limit=2, window=60) for _ in range(3)] == [False, False, True]


def test_a_limit_of_failures_counts_only_the_failures(monkeypatch):
    """Checking counts nothing; after ``limit`` failures the next check says the limit is reached."""
    store = _fresh_cache(monkeypatch)
    assert not any(ratelimit.limit_reached("k", limit=2) for _ in range(5))
    assert store.get("k") is None
    assert ratelimit.count("k", window=60) == 1
    assert not ratelimit.limit_reached("k", limit=2)
    assert ratelimit.count("k", window=60) == 2
    assert ratelimit.limit_reached("k", limit=2)
