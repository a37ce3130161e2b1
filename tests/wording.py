"""The wording check: what a text a citizen reads must never contain.

- a doubled full stop ("ab..", "possible.."), not an ellipsis ("...", "…");
- a doubled word spelled the same ("the the", "Antrag Antrag"), not a number, a code or an article that starts a
  relative clause ("die die");
- an empty or raw placeholder: "{{", "{%", "%(", "None", "[]", an empty "()" or a colon before a full stop.
"""

from __future__ import annotations

import html
import re

_HIDDEN = re.compile(r"<(script|style)\b.*?</\1>", re.S | re.I)
# Inline elements run on within a sentence; every other tag ends a piece of text.
_INLINE = re.compile(r"</?(a|abbr|b|code|em|i|span|strong|time)\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]+>")
_DOUBLE_STOP = re.compile(r"(?<![.…])\.\.(?![.…])")
# Spelled the same (so "Melden Sie sie ab" is fine); German relative clauses may say "die die" or "der der".
_DOUBLE_WORD = re.compile(r"\b(?!(?:die|der|das)\b)([^\W\d_]{2,})[ \t]+\1\b")
_PLACEHOLDERS = (
    re.compile(r"\{\{|\{%|%\("),
    re.compile(r"\bNone\b"),
    re.compile(r"\[\]|\(\s*\)"),
    re.compile(r":\s*\."),
)


def visible_text(page: str) -> str:
    """The text of an HTML page or email as a reader sees it (tags removed, entities decoded)."""
    return html.unescape(_TAGS.sub("\n", _INLINE.sub("", _HIDDEN.sub("\n", page))))


def wording_problems(text: str) -> list[str]:
    """Each problem with a little of the text around it; an empty list for clean text."""
    problems = []
    for kind, pattern in [
        ("doubled full stop", _DOUBLE_STOP),
        ("doubled word", _DOUBLE_WORD),
        *(("empty placeholder", p) for p in _PLACEHOLDERS),
    ]:
        for found in pattern.finditer(text):
            around = " ".join(text[max(0, found.start() - 40) : found.end() + 40].split())
            problems.append(f"{kind}: …{around}…")
    return problems
