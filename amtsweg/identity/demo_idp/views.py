"""The demo identity provider's pages. Not our portal: they stand in for BundID's site."""

from __future__ import annotations

import base64
import logging
import secrets
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from saml2 import BINDING_HTTP_POST, samlp
from saml2.metadata import entity_descriptor, sign_entity_descriptor
from saml2.saml import NAMEID_FORMAT_TRANSIENT, NameID
from saml2.sigver import security_context
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from amtsweg.catalogue.constants import TrustLevel
from amtsweg.identity.contrib.bundid import saml as bundid

from . import idp

logger = logging.getLogger(__name__)
SESSION_KEY = "demo_idp_request"


def _enabled() -> None:
    if not settings.IDENTITY.get("demo_idp"):
        raise Http404("the demo identity provider is off")


def _error(request: HttpRequest, message: str, status: int = 400) -> HttpResponse:
    return render(request, "identity/demo_idp/error.html", {"message": message}, status=status)


def _post(request: HttpRequest, *, action: str, fields: dict[str, str], person: Any = None) -> HttpResponse:
    response = render(
        request, "identity/demo_idp/post_form.html", {"action": action, "fields": fields, "person": person}
    )
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD"])
def metadata(request: HttpRequest) -> HttpResponse:
    """The demo IdP's signed metadata, which the BundID plugin fetches from its configured URL."""
    _enabled()
    config = idp.idp_config(bundid.base_url(request, bundid.provider_config()), sp_metadata=None)
    descriptor = entity_descriptor(config)
    bundid.only_strong_algorithms(descriptor)
    _descriptor, xml = sign_entity_descriptor(
        descriptor, None, security_context(config), sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256
    )
    return HttpResponse(xml, content_type="application/samlmetadata+xml; charset=utf-8")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def sso(request: HttpRequest) -> HttpResponse:
    """Receives the AuthnRequest (POST or Redirect binding), checks the service provider's signature."""
    _enabled()
    data, binding = bundid.incoming_message(request)
    if "SAMLRequest" not in data:
        return _error(request, _("No login request was received."))
    try:
        server = idp.server(request)
        parsed = bundid.parse_request(server.parse_authn_request, data, binding)
        message = parsed.message
        if binding == BINDING_HTTP_POST:
            if message.signature is None:
                raise ValueError("the AuthnRequest is not signed")
            bundid.check_algorithms(message)
        elif data.get("SigAlg") not in bundid.ALLOWED_SIGNATURE_ALGORITHMS:
            raise ValueError(f"weak or missing SigAlg {data.get('SigAlg')!r}")
        answer_to = server.response_args(message, [BINDING_HTTP_POST])
    except Exception as exc:
        logger.warning("demo identity provider refused a login request: %s", str(exc)[:300])
        return _error(request, _("The login request could not be verified. Please start again at the portal."))
    display = idp.display_information(message)
    request.session[SESSION_KEY] = {
        "id": message.id,
        "sp": answer_to["sp_entity_id"],
        "acs": answer_to["destination"],
        "relay_state": data.get("RelayState", ""),
        "level": idp.requested_level(message),
        "organization": display.get("OrganizationDisplayName", ""),
        "online_service_id": display.get("OnlineServiceId", ""),
        "attributes": idp.requested_attribute_names(message),
    }
    return redirect("demo_idp:select")


@require_http_methods(["GET", "POST"])
@never_cache
def select(request: HttpRequest) -> HttpResponse:
    """Pick a test person (or cancel); the answer goes back to the service provider."""
    _enabled()
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return _error(request, _("No login request is open. Please start the login at the portal."))
    error = ""
    choice = request.POST.get("person", "")
    if request.method == "POST":
        if request.POST.get("action") == "cancel":
            return _answer(request, pending, None)
        chosen = idp.person(choice)
        if chosen is None:
            error = _("Choose a test person")
        else:
            return _answer(request, pending, chosen)
    level = TrustLevel(pending["level"])
    people = [
        {"person": candidate, "below": bundid.LEVEL_ORDER.index(candidate.level) < bundid.LEVEL_ORDER.index(level)}
        for candidate in idp.persons()
    ]
    return render(
        request,
        "identity/demo_idp/select.html",
        {
            "pending": pending,
            "level_label": level.label,
            "people": people,
            "choice": choice,
            "error": error,
        },
        status=400 if error else 200,
    )


def _answer(request: HttpRequest, pending: dict[str, Any], person: idp.TestPerson | None) -> HttpResponse:
    server = idp.server(request)
    request.session.pop(SESSION_KEY, None)
    if person is None:
        response = server.create_error_response(
            pending["id"],
            pending["acs"],
            (samlp.STATUS_AUTHN_FAILED, "The citizen cancelled the login."),
            sign=True,
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
    else:
        response = server.create_authn_response(
            identity=person.attributes(),
            in_response_to=pending["id"],
            destination=pending["acs"],
            sp_entity_id=pending["sp"],
            name_id=NameID(format=NAMEID_FORMAT_TRANSIENT, text=secrets.token_hex(16), sp_name_qualifier=pending["sp"]),
            authn={"class_ref": person.stork, "authn_auth": server.config.entityid},
            sign_response=True,
            sign_assertion=True,
            encrypt_assertion=True,  # to the encryption key in our SP metadata, as BundID does
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
    fields = {"SAMLResponse": base64.b64encode(str(response).encode()).decode()}
    if pending.get("relay_state"):
        fields["RelayState"] = pending["relay_state"]
    return _post(request, action=pending["acs"], fields=fields, person=person)


@csrf_exempt
@require_http_methods(["GET", "POST"])
@never_cache
def slo(request: HttpRequest) -> HttpResponse:
    """Single logout: checks the service provider's signed LogoutRequest and answers it."""
    _enabled()
    data, binding = bundid.incoming_message(request)
    if "SAMLRequest" not in data:
        return _error(request, _("No logout request was received."))
    try:
        server = idp.server(request)
        parsed = bundid.parse_request(server.parse_logout_request, data, binding)
        answer_to = server.response_args(parsed.message, [BINDING_HTTP_POST])
        response = server.create_logout_response(
            parsed.message, [BINDING_HTTP_POST], sign=True, sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256
        )
    except Exception as exc:
        logger.warning("demo identity provider refused a logout request: %s", str(exc)[:300])
        return _error(request, _("The logout request could not be verified."))
    fields = {"SAMLResponse": base64.b64encode(str(response).encode()).decode()}
    if data.get("RelayState"):
        fields["RelayState"] = data["RelayState"]
    return _post(request, action=answer_to["destination"], fields=fields)
