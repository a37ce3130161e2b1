from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .base import IdentityRejected
from .services import login_rejected


class IdentityMiddleware:
    """Turns a refused login (IdentityRejected from any provider's callback) into a clear page, in one place."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, IdentityRejected):
            match = request.resolver_match
            provider = ""
            if match is not None:
                provider = match.kwargs.get("provider") or match.namespace.removeprefix("identity_")
            login_rejected(request=request, provider=provider, reason=exception.reason)
            return render(request, "identity/login_failed.html", status=403)
        return None


class TrustLevelGateMiddleware:
    """Refuses a service's forms and status pages to a session below the service's trust level.

    Shows a page that says why and offers the logins that reach the level. The
    check lives here, in one place, not in each view.
    """

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        from amtsweg.catalogue.constants import TrustLevel

        from .constants import level_satisfies
        from .gate import required_level
        from .services import citizen_identity
        from .views import login_required_page

        match = request.resolver_match
        if match is None or match.namespace != "applications":
            return None
        need = required_level(url_name=match.url_name or "", kwargs=view_kwargs, method=request.method or "GET")
        if need == TrustLevel.NONE:
            return None
        identity = citizen_identity(request)
        if identity is not None and level_satisfies(identity.trust_level, need):
            return None
        return login_required_page(request, level=need, identity=identity)
