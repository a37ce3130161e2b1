"""Template filters for text that editors write and templates put into sentences."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def sentence(value: Any) -> str:
    """The text as one sentence with exactly one closing mark: "ab." stays "ab.", "ab" becomes "ab.".

    Editors end a processing time with a full stop or not; a template that added its own made "ab..".
    """
    text = str(value or "").strip()
    if not text or text.endswith((".", "!", "?", "…")):
        return text
    return text + "."
