"""The data an email needs that must not lie readable in the database: an access code, a login link.

It is kept on the email's own ``Notification`` row, encrypted (Fernet: AES-128-CBC with an HMAC),
until the email has been sent or given up, and then blanked. The task that sends the email carries
only the row's uuid, so nothing personal or secret enters the task queue or its logs.

The key is derived from ``SECRET_KEY`` (HKDF-SHA256 with a purpose of its own); data sealed under a
key in ``SECRET_KEY_FALLBACKS`` can still be opened, so that rotating the secret key does not lose the
emails that are waiting for a retry.
"""

import base64
import functools
import json

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

PURPOSE = b"amtsweg.notifications.sealed"


@functools.cache
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=PURPOSE).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret) for secret in secrets])


def seal(data: dict[str, str]) -> str:
    """``data`` encrypted for the database; "" for no data."""
    if not data:
        return ""
    return _keys().encrypt(json.dumps(data, sort_keys=True).encode()).decode()


def unseal(token: str) -> dict[str, str]:
    """The data sealed in ``token``; {} for "". Raises ``InvalidToken`` if no current key opens it."""
    if not token:
        return {}
    return json.loads(_keys().decrypt(token.encode()))


__all__ = ["InvalidToken", "seal", "unseal"]
