"""Settings for the test suite: the same as base, with fast hashing and no demo leaks."""

import os

from .base import *  # noqa: F403
from .base import FRAME_CACHE, env

DEBUG = False
SECRET_KEY = "amtsweg-tests-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEV_MAILBOX_DIR = None  # tests that read the development mailbox set their own folder
DEMO_MODE = env.bool("AMTSWEG_DEMO_MODE", default=True)
# The proof of work stays on in tests, made cheap enough for tests to solve it, and the
# no-JavaScript wait is zero unless a test sets it (tests/appointments/test_proof.py).
APPOINTMENTS_PROOF_OF_WORK = {
    **APPOINTMENTS_PROOF_OF_WORK,
    "cost": 1,
    "max_counter": 50,
    "fallback_wait_seconds": 0,
    "fallback_holds_per_ip": 1000,
}
if not env.str("REDIS_URL", default=""):
    # Per-process cache for tests; tests/conftest.py empties it before each test.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "frame": FRAME_CACHE}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file per test process rather than the shared in-memory database, so that
    # concurrency tests meet SQLite's real locking (IMMEDIATE transactions and
    # the busy timeout) instead of shared-cache "table is locked" errors.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
    DATABASES["default"]["OPTIONS"]["init_command"] = "PRAGMA journal_mode=DELETE;"
_worker = os.environ.get("PYTEST_XDIST_WORKER", "")
if REDIS_URL and _worker.startswith("gw"):
    # Each pytest-xdist worker gets its own Redis database, because tests empty
    # the cache (FLUSHDB) and must not wipe another worker's sessions.
    from urllib.parse import urlsplit, urlunsplit

    _parts = urlsplit(REDIS_URL)
    _base = int(_parts.path.strip("/") or 0)
    _db = (_base - int(_worker[2:])) % 16
    CACHES["default"]["LOCATION"] = urlunsplit(_parts._replace(path=f"/{_db}"))
