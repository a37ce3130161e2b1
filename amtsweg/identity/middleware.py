from django.conf import settings
from django.http import HttpRequest, HttpResponse


class TrustLevelGateMiddleware:
    """Refuses a service's forms and status pages to a session below the service's trust level, and ends a
    citizen's login that has run past its limits, on any page.

    Shows a page that says why and offers the logins that reach the level. The
    check lives here, in one place, not in each view.
    """

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        from amtsweg.catalogue.constants import TrustLevel
        from amtsweg.core.trustgate import trust_gate_of

        from .constants import level_satisfies
        from .gate import required_level
        from .services import citizen_identity
        from .views import login_required_page

        # A login past its limits ends on whatever page the citizen opens next, with the access it had granted.
        identity = citizen_identity(request) if settings.SESSION_COOKIE_NAME in request.COOKIES else None
        gate = trust_gate_of(view_func)  # declared on the view; tests/test_architecture.py checks every URL has one
        if gate is None:
            return None
        need = required_level(gate=gate, kwargs=view_kwargs, method=request.method or "GET")
        if need == TrustLevel.NONE:
            return None
        if identity is not None and level_satisfies(identity.trust_level, need):
            return None
        return login_required_page(request, level=need, identity=identity)
