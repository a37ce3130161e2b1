"""Writing a file so that no reader ever sees half of it."""

from __future__ import annotations

import os
from pathlib import Path


def file_write_atomic(path: Path, data: bytes, *, mode: int = 0o600) -> None:
    """Write ``data`` to ``path`` with the permissions ``mode``: into a temporary file beside it, then renamed
    over it, so that another process reads the old file or the new one, never a part (used for keys)."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)
