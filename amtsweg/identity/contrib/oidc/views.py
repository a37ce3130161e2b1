from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from amtsweg.core.trustgate import public

from ...registry import registry
from ...services import citizen_login_finish


@public
@never_cache
@require_GET
def callback(request: HttpRequest) -> HttpResponse:
    """Where the OP sends the citizen back with a code (or an error). Refusals raise IdentityRejected."""
    identity = registry.get("oidc").callback_identity(request)  # type: ignore[attr-defined]
    return citizen_login_finish(request=request, identity=identity)
