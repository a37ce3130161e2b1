"""Settings for the test suite: the same as base, with fast hashing and no demo leaks."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "amtsweg-tests-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEMO_MODE = env.bool("AMTSWEG_DEMO_MODE", default=True)
if not env.str("REDIS_URL", default=""):
    # Per-process cache for tests; tests/conftest.py empties it before each test.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
