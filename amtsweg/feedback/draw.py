"""The raffle's draw: a documented, deterministic algorithm anyone can rerun (docs/feedback.md).

1. Before the campaign ends, the office publishes ``commitment = SHA-256(seed)``
   (hex of the UTF-8 seed string).
2. After the end, the seed is revealed. For every entry number ``code`` the
   rank key is ``HMAC-SHA256(key=seed, message=code)`` (both UTF-8, hex digest).
3. Entries are sorted by (rank key, code); the first ``prizes`` entries win.
"""

import hashlib
import hmac
from collections.abc import Callable, Iterable


def commitment_of(seed: str) -> str:
    """The SHA-256 hex digest of the seed: what is published before the draw."""
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def rank_key(*, seed: str, code: str) -> str:
    return hmac.new(seed.encode("utf-8"), code.encode("utf-8"), hashlib.sha256).hexdigest()


def draw_winners(
    *, seed: str, codes: Iterable[str], prizes: int, progress: Callable[[int, int], None] | None = None
) -> list[str]:
    """The winning entry numbers in rank order. ``progress(done, total)`` is called while ranking."""
    codes = list(codes)
    total = len(codes)
    keyed = []
    for index, code in enumerate(codes, start=1):
        keyed.append((rank_key(seed=seed, code=code), code))
        if progress is not None:
            progress(index, total)
    keyed.sort()
    return [code for _key, code in keyed[: max(prizes, 0)]]
