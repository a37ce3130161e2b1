"""The portal's languages: which one a text for a citizen is written in, and which languages a page has.

Every page is in German and English (``settings.BASE_LANGUAGES``). A service may offer further languages
(``catalogue.Service.further_languages``); the views of its pages say so with ``page_languages_set``, and the
page frame then offers those languages in its switch. A page asked for in a language it does not have is
shown in English with a notice in the asked-for language (``core.middleware.PageLanguageMiddleware``,
docs/languages.md).
"""

from collections.abc import Iterable, Sequence

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext_lazy as _


def language_or_default(code: str | None) -> str:
    """The language of ``code`` ("en", "en-gb") if the portal offers it, else the default language (German)."""
    code = (code or "")[:2]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def further_language_codes() -> tuple[str, ...]:
    """The languages some services offer besides German and English."""
    return tuple(code for code, _name in settings.LANGUAGES if code not in settings.BASE_LANGUAGES)


def page_languages(further: Iterable[str] = ()) -> tuple[str, ...]:
    """German, English and the ``further`` languages the portal knows, in the order of ``settings.LANGUAGES``."""
    wanted = {*settings.BASE_LANGUAGES, *further}
    return tuple(code for code, _name in settings.LANGUAGES if code in wanted)


def further_languages_validator(value: object) -> None:
    """A service's further languages: a list of codes the portal offers besides German and English."""
    known = further_language_codes()
    if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
        raise ValidationError(_('Give the languages as a list of codes, e.g. ["tr", "ar"].'))
    unknown = [code for code in value if code not in known]
    if unknown:
        raise ValidationError(
            _("Unknown language: %(codes)s. Possible: %(known)s.")
            % {"codes": ", ".join(unknown), "known": ", ".join(known)}
        )


def language_within(code: str | None, languages: Sequence[str]) -> str:
    """The language a citizen is answered in on pages that have ``languages``: the asked-for one if the pages
    have it, else English for a further language (its readers more often read English than German), else
    the default."""
    code = language_or_default(code)
    if code in languages:
        return code
    return "en" if code in further_language_codes() else settings.LANGUAGE_CODE


def page_languages_set(request: HttpRequest, languages: Sequence[str]) -> None:
    """Tell the page frame which languages this page is offered in (a service's ``languages``). A page asked
    for in one of them that ``core.middleware.PageLanguageMiddleware`` had shown in English is shown in it."""
    request.page_languages = tuple(languages)  # type: ignore[attr-defined]
    asked = asked_language(request)
    if asked and asked in languages:
        translation.activate(asked)


def page_languages_of(request: HttpRequest) -> tuple[str, ...]:
    return getattr(request, "page_languages", None) or tuple(settings.BASE_LANGUAGES)


def asked_language(request: HttpRequest) -> str | None:
    """The further language the page was asked for in (its path's prefix), or None for German and English."""
    return getattr(request, "asked_language", None)
