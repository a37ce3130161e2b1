from functools import partial

from django.conf import settings
from django.http import HttpRequest

from .services import citizen_session_open


def citizen_session(request: HttpRequest) -> dict:
    """Whether the page frame offers to end the session ("Abmelden" for a login, "Sitzung beenden" for access to an
    application or a draft without one); asked only by the template, and only of a request with a session."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return {"citizen_session_open": False}
    return {"citizen_session_open": partial(citizen_session_open, request)}
