"""BundID's endpoints at our side: the assertion consumer service, our metadata and single logout.

The identity provider posts to the ACS from its own site. Browsers do not send
our session cookie (SameSite=Lax) with such a cross-site POST, so a POST that
arrives without it is bounced once through an auto-submitting form of our own,
which the browser then sends with the cookie. Nothing is checked on the bounce;
everything is checked on the second arrival.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT
from saml2.client import Saml2Client
from saml2.s_utils import status_message_factory, success_status_factory
from saml2.samlp import STATUS_UNKNOWN_PRINCIPAL
from saml2.sigver import verify_redirect_signature

from amtsweg.core.trustgate import public

from ...base import IdentityRejected
from ...registry import registry
from ...services import citizen_identity, citizen_login_finish, citizen_logout, login_pending
from . import saml

security_log = logging.getLogger("amtsweg.identity.security")
BOUNCE_FIELD = "amtsweg_bounced"


def _configured() -> None:
    if not registry.get(saml.PROVIDER).enabled():
        raise Http404("BundID is not configured")


def _bounce(request: HttpRequest, data: dict[str, str]) -> HttpResponse | None:
    """Re-post a cross-site POST from our own page, so that it arrives with the session cookie."""
    if request.method != "POST" or settings.SESSION_COOKIE_NAME in request.COOKIES or request.POST.get(BOUNCE_FIELD):
        return None
    return saml.post_form(request, action=request.path, fields={**data, BOUNCE_FIELD: "1"})


@public
@csrf_exempt
@require_POST
@never_cache
def acs(request: HttpRequest) -> HttpResponse:
    _configured()
    saml_response = request.POST.get("SAMLResponse", "")
    if not saml_response:
        raise IdentityRejected("the answer has no SAMLResponse")
    bounced = _bounce(request, {"SAMLResponse": saml_response})
    if bounced is not None:
        return bounced
    pending = login_pending(request, provider=saml.PROVIDER)
    sp = saml.ServiceProvider(request)
    if pending["data"].get("idp") not in (None, sp.idp_entity_id):
        raise IdentityRejected("the identity provider changed during the login")
    answer = saml.read_answer(sp, saml_response=saml_response, request_id=pending["data"].get("request_id", ""))
    response = citizen_login_finish(request=request, identity=answer.identity)
    request.session[saml.SLO_SESSION_KEY] = answer.logout
    return response


@public
@require_http_methods(["GET", "HEAD"])
def metadata(request: HttpRequest) -> HttpResponse:
    """Our signed SP metadata, for registration with BundID."""
    _configured()
    xml = saml.ServiceProvider(request).metadata(signed=True)
    response = HttpResponse(xml, content_type="application/samlmetadata+xml; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="amtsweg-bundid-sp.xml"'
    return response


@public
@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def slo(request: HttpRequest) -> HttpResponse:
    """Single logout: BundID's answer to our LogoutRequest, or BundID asking us to log a citizen out."""
    _configured()
    data, binding = saml.incoming_message(request)
    fields = {key: data[key] for key in ("SAMLResponse", "SAMLRequest", "RelayState") if key in data}
    bounced = _bounce(request, fields)
    if bounced is not None:
        return bounced
    if "SAMLResponse" in data:
        return _logout_answer(request, data, binding)
    if "SAMLRequest" in data:
        return _logout_request(request, data, binding)
    return HttpResponseBadRequest("SAMLRequest or SAMLResponse expected")


def _logout_answer(request: HttpRequest, data: Mapping[str, str], binding: str) -> HttpResponse:
    """We are logged out here already; the answer only decides what we log."""
    pending = request.session.pop(saml.LOGOUT_SESSION_KEY, None) or {}
    try:
        sp = saml.ServiceProvider(request)
        answer = sp.client.parse_logout_request_response(data["SAMLResponse"], binding)
        if answer is None or answer.in_response_to != pending.get("id"):
            raise ValueError("not an answer to our logout request")
        answer.status_ok()
    except Exception as exc:
        security_log.warning("BundID logout answer not accepted: %s", str(exc)[:200])
    messages.success(request, _("You are logged out."))
    return redirect("home")


def _logout_request(request: HttpRequest, data: Mapping[str, str], binding: str) -> HttpResponse:
    sp = saml.ServiceProvider(request)
    client = sp.client
    try:
        parsed = saml.parse_request(client.parse_logout_request, data, binding)
        message = parsed.message
        issuer = (message.issuer.text or "").strip() if message.issuer is not None else ""
        if issuer != sp.idp_entity_id:
            raise ValueError("not from our identity provider")
        if binding == BINDING_HTTP_POST:
            if message.signature is None:
                raise ValueError("unsigned")
            saml.check_algorithms(message)
        elif not _redirect_signature_ok(client, sp.idp_entity_id, data):
            raise ValueError("unsigned or wrongly signed")
    except Exception as exc:
        security_log.warning("BundID logout request refused: %s", str(exc)[:200])
        return HttpResponseBadRequest("The logout request could not be verified.")

    logout = request.session.get(saml.SLO_SESSION_KEY) or {}
    identity = citizen_identity(request, touch=False)
    name_id = message.name_id.text if message.name_id is not None else None
    if identity is not None and identity.provider == saml.PROVIDER and name_id and name_id == logout.get("name_id"):
        citizen_logout(request)
        request.session.pop(saml.SLO_SESSION_KEY, None)
        status = success_status_factory()
    else:
        status = status_message_factory("Unknown principal", STATUS_UNKNOWN_PRINCIPAL)
    other = BINDING_HTTP_REDIRECT if binding == BINDING_HTTP_POST else BINDING_HTTP_POST
    try:
        response_args = client.response_args(message, [binding, other])
    except Exception:  # the identity provider takes no answer; we are done here
        messages.success(request, _("You are logged out."))
        return redirect("home")
    answer_binding = response_args["binding"]
    answer = client.create_logout_response(
        message,
        bindings=[answer_binding],
        status=status,
        sign=answer_binding == BINDING_HTTP_POST,
        sign_alg=saml.SIG_RSA_SHA256,
        digest_alg=saml.DIGEST_SHA256,
    )
    return sp.send(answer_binding, response_args["destination"], str(answer), kind="SAMLResponse")


def _redirect_signature_ok(client: Saml2Client, idp: str, data: Mapping[str, str]) -> bool:
    if data.get("SigAlg") not in saml.ALLOWED_SIGNATURE_ALGORITHMS or not data.get("Signature"):
        return False
    message = {key: data[key] for key in ("SAMLRequest", "RelayState", "SigAlg", "Signature") if key in data}
    return any(
        verify_redirect_signature(message, client.sec.sec_backend, cert)
        for _name, cert in client.metadata.certs(idp, "any", "signing")
    )
