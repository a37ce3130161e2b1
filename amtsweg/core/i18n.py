"""The portal's languages: which one a text for a citizen is written in."""

from django.conf import settings


def language_or_default(code: str | None) -> str:
    """The language of ``code`` ("en", "en-gb") if the portal offers it, else the default language (German)."""
    code = (code or "")[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
