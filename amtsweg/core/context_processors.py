from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import get_language


def _path_in_language(path: str, code: str) -> str:
    """Every page has the same path in both languages; only German has no prefix."""
    for other, _name in settings.LANGUAGES:
        prefix = f"/{other}/"
        if other != settings.LANGUAGE_CODE and (path.startswith(prefix) or path == prefix[:-1]):
            path = "/" + path[len(prefix) :]
            break
    if code == settings.LANGUAGE_CODE:
        return path
    return f"/{code}{path}"


def portal(request: HttpRequest) -> dict:
    """Portal-wide facts for the page frame, and links to the same page in the other languages."""
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    alternates = [
        {"code": code, "url": _path_in_language(path, code)} for code, _name in settings.LANGUAGES if code != current
    ]
    # Only a request that already has a session can be logged in; others keep the page cacheable.
    logged_in = settings.SESSION_COOKIE_NAME in request.COOKIES and bool(request.session.get("identity"))
    return {
        "PORTAL": settings.PORTAL,
        "DEMO_MODE": settings.DEMO_MODE,
        "language_alternates": alternates,
        "citizen_logged_in": logged_in,
    }
