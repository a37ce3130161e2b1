"""Money is whole cents (integers) in EUR; this formats it for people."""

from django.utils.translation import get_language
from django.utils.translation import gettext as _


def format_cents(cents: int, *, language: str | None = None) -> str:
    if cents == 0:
        return _("free of charge")
    language = language or get_language() or "de"
    euros, rest = divmod(int(cents), 100)
    if language.startswith("de"):
        return f"{euros:,}".replace(",", ".") + f",{rest:02d} €"
    return f"€{euros:,}.{rest:02d}"
