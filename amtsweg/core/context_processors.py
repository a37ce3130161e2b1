from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language, get_language_bidi

from .i18n import asked_language, further_language_codes, page_languages_of


def _path_in_language(path: str, code: str) -> str:
    """Every page has the same path in every language; only German has no prefix."""
    for other, _name in settings.LANGUAGES:
        prefix = f"/{other}/"
        if other != settings.LANGUAGE_CODE and (path.startswith(prefix) or path == prefix[:-1]):
            path = "/" + path[len(prefix) :]
            break
    if code == settings.LANGUAGE_CODE:
        return path
    return f"/{code}{path}"


def portal(request: HttpRequest) -> dict:
    """Portal-wide facts for the page frame, and links to the same page in the other languages it has.

    A page has German and English; the pages of a service with further languages say so
    (``core.i18n.page_languages_set``). Asked for in a language it does not have, the page is shown in
    English and says so in the asked-for language (``language_missing``, core.middleware)."""
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    names = dict(settings.LANGUAGES)
    offered = page_languages_of(request)
    alternates = [
        {"code": code, "name": names[code], "url": _path_in_language(path, code)} for code in offered if code != current
    ]
    asked = asked_language(request)
    missing = {"code": asked, "name": names[asked]} if asked and asked not in offered else None
    # Only a request that already has a session can be logged in; others keep the page cacheable.
    logged_in = settings.SESSION_COOKIE_NAME in request.COOKIES and bool(request.session.get("identity"))
    return {
        "PORTAL": settings.PORTAL,
        "DEMO_MODE": settings.DEMO_MODE,
        "language_alternates": alternates,
        "language_missing": missing,
        "LANGUAGE_DIRECTION": "rtl" if get_language_bidi() else "ltr",
        # A further language's translation not yet checked by a native speaker says so, quietly, in the footer.
        "language_unreviewed": current in further_language_codes() and current not in settings.LANGUAGES_REVIEWED,
        "citizen_logged_in": logged_in,
    }
