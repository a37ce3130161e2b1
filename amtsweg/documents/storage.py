"""Private files: generated documents kept outside the web root under random names.

Only views that check permission serve them. A storage name is a path relative
to ``settings.PRIVATE_MEDIA_ROOT``; nothing outside that root is ever read,
written or deleted through these helpers.
"""

import logging
import re
import secrets
from collections.abc import Iterable
from pathlib import Path

from django.conf import settings

logger = logging.getLogger(__name__)

_SUFFIX = re.compile(r"^(\.[A-Za-z0-9]{1,10})?$")


def _root() -> Path:
    return Path(settings.PRIVATE_MEDIA_ROOT).resolve()


def private_file_path(name: str) -> Path:
    """The absolute path of a storage name; ValueError if the name would leave the private root."""
    root = _root()
    if not name or Path(name).is_absolute():
        raise ValueError(f"not a storage name: {name!r}")
    path = (root / name).resolve()
    if root not in path.parents:
        raise ValueError(f"storage name escapes the private root: {name!r}")
    return path


_FOLDERS = frozenset({"generated", "uploads", "receipts"})


def private_file_write(*, data: bytes, suffix: str = "", folder: str = "generated") -> str:
    """Write ``data`` under a new random name (e.g. ``generated/3f/<random>.pdf``) and return the name."""
    if not _SUFFIX.match(suffix):
        raise ValueError(f"invalid suffix: {suffix!r}")
    if folder not in _FOLDERS:
        raise ValueError(f"unknown folder: {folder!r}")
    name = f"{folder}/{secrets.token_hex(1)}/{secrets.token_urlsafe(24)}{suffix}"
    path = private_file_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    # "x": a random name that already exists is a bug, never something to overwrite.
    with path.open("xb") as handle:
        handle.write(data)
    return name


def private_files_delete(*, names: Iterable[str]) -> int:
    """Delete stored files by name; missing files are fine, names outside the root are refused. Returns the count."""
    deleted = 0
    for name in names:
        if not name:
            continue
        try:
            path = private_file_path(name)
        except ValueError:
            logger.error("refusing to delete %r outside the private root", name)
            continue
        try:
            path.unlink()
            deleted += 1
        except FileNotFoundError:
            pass
    return deleted
