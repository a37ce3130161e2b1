"""Settings for the test suite: the same as base, with fast hashing and no demo leaks."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
SECRET_KEY = "amtsweg-tests-only"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["*"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
DEMO_MODE = env.bool("AMTSWEG_DEMO_MODE", default=True)
