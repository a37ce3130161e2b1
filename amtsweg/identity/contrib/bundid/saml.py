"""The SAML side of BundID: our service provider's configuration, requests, metadata and the checks on answers.

BundID speaks SAML 2.0 with a few additions, which this module follows
(sources: opdt/keycloak-extension-bundid README and extension model,
aivot-digital/keycloak-egov-plugins ``BundIdAttribute.java`` and
``BundIdAccessLevel.java``, the BA's BundID simulator):

* the minimum level goes in ``<samlp:RequestedAuthnContext Comparison="minimum">``
  as ``STORK-QAA-Level-1`` … ``-4``. Our levels map as basic → 1 (BundID
  "Basis": user name and password), substantial → 3 (ELSTER certificate),
  high → 4 (online ID card, eAT, EU citizen card). Level 2 does not occur in
  BundID; an answer at level 2 counts as basic.
* the ``<akdb:AuthenticationRequest Version="2">`` extension lists the requested
  attributes by OID (``RequestedAttributes``) and what BundID shows the citizen
  (``DisplayInformation``: organisation name and the BMI-issued online service id).
* the answer carries the attributes by OID (``urn:oid:…``), the citizen's
  pseudonym bPK2 among them, and the level twice: as ``AuthnContextClassRef``
  and as the attribute ``EID-CITIZEN-QAA-LEVEL``. We take the lower of the two.

Signatures use RSA-SHA256 with SHA-256 digests, never pysaml2's SHA-1 default.
The AuthnRequest goes by HTTP-POST when the metadata offers it (the signature
sits in the XML, and the request with its extension is long for a URL), else by
HTTP-Redirect with a signed query string; ``sso_binding = "redirect"`` prefers
the latter. Answers come back by HTTP-POST to the ACS.

The identity provider is known only by its metadata: a file, or a URL fetched
over HTTP (and cached). A URL that is a path (``/demo-idp/metadata/``, what demo
mode configures) names an identity provider on this same site, such as the demo
identity provider (``amtsweg.identity.demo_idp``); it is fetched over HTTP from
the request's host like any other.

Absolute URLs (entity id, ACS, SLO, metadata). With a real identity provider
they are what BundID has registered: ``sp_entity_id`` and the portal's
``PORTAL["base_url"]``. With an identity provider on this site both sides are
computed from the request's host instead, so that ``make run``, a demo host and
the test suite's live server all work without configuration. That stays
consistent through a login: the answer can only be used in the browser session
that started it, and a session cookie belongs to one host.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import logging
import re
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.etree import ElementTree

import httpx
from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation
from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, ExtensionElement, samlp
from saml2.client import Saml2Client
from saml2.config import SPConfig
from saml2.extension.algsupport import DigestMethod, SigningMethod
from saml2.metadata import entity_descriptor, sign_entity_descriptor
from saml2.response import StatusError, UnsolicitedResponse
from saml2.saml import AuthnContextClassRef, NameID
from saml2.samlp import RequestedAuthnContext
from saml2.sigver import MissingKey, SignatureError, SigverError, security_context
from saml2.validate import ResponseLifetimeExceed, ToEarly
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from amtsweg.catalogue.constants import TrustLevel

from ...base import Identity, IdentityRejected, birth_dates
from .keys import generated_keypair

logger = logging.getLogger(__name__)

PROVIDER = "bundid"
AKDB_NS = "https://www.akdb.de/request/2018/09"
CLASSIC_UI_NS = "https://www.akdb.de/request/2018/09/classic-ui/v1"
ElementTree.register_namespace("akdb", AKDB_NS)
ElementTree.register_namespace("classic-ui", CLASSIC_UI_NS)

# Our level -> what we ask BundID for (the minimum).
LEVEL_TO_STORK = {
    TrustLevel.BASIC: "STORK-QAA-Level-1",
    TrustLevel.SUBSTANTIAL: "STORK-QAA-Level-3",
    TrustLevel.HIGH: "STORK-QAA-Level-4",
}
# What an answer may say -> our level. eIDAS URIs and the akdb words are accepted as well.
ANSWER_TO_LEVEL = {
    "STORK-QAA-Level-1": TrustLevel.BASIC,
    "STORK-QAA-Level-2": TrustLevel.BASIC,
    "STORK-QAA-Level-3": TrustLevel.SUBSTANTIAL,
    "STORK-QAA-Level-4": TrustLevel.HIGH,
    "http://eidas.europa.eu/LoA/low": TrustLevel.BASIC,
    "http://eidas.europa.eu/LoA/substantial": TrustLevel.SUBSTANTIAL,
    "http://eidas.europa.eu/LoA/high": TrustLevel.HIGH,
    "NORMAL": TrustLevel.BASIC,
    "SUBSTANTIELL": TrustLevel.SUBSTANTIAL,
    "HOCH": TrustLevel.HIGH,
}
LEVEL_ORDER = (TrustLevel.BASIC, TrustLevel.SUBSTANTIAL, TrustLevel.HIGH)

# Signature and digest algorithms we accept on answers (and use ourselves: the first of each).
ALLOWED_SIGNATURE_ALGORITHMS = {
    SIG_RSA_SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384",
    "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512",
    "http://www.w3.org/2007/05/xmldsig-more#sha256-rsa-MGF1",
    "http://www.w3.org/2007/05/xmldsig-more#sha384-rsa-MGF1",
    "http://www.w3.org/2007/05/xmldsig-more#sha512-rsa-MGF1",
}
ALLOWED_DIGEST_ALGORITHMS = {
    DIGEST_SHA256,
    "http://www.w3.org/2001/04/xmldsig-more#sha384",
    "http://www.w3.org/2001/04/xmlenc#sha512",
}

CLOCK_SKEW_SECONDS = 60
ASSERTION_MAX_AGE_SECONDS = 10 * 60
METADATA_CACHE_SECONDS = 6 * 3600
REPLAY_KEY = "identity:bundid:assertion:"
SLO_SESSION_KEY = "identity_bundid_slo"
LOGOUT_SESSION_KEY = "identity_bundid_logout"


@dataclass(frozen=True)
class Attribute:
    field: str  # Identity field, or "" for attributes we only request or read otherwise
    oid: str
    friendly_name: str
    required: bool = False

    @property
    def name(self) -> str:
        return f"urn:oid:{self.oid}"


BPK2 = Attribute("subject", "1.3.6.1.4.1.25484.494450.3", "bPK2", required=True)
TRUST_LEVEL = Attribute("", "1.2.40.0.10.2.1.1.261.94", "EID-CITIZEN-QAA-LEVEL", required=True)
POSTAL_ADDRESS = Attribute("", "2.5.4.16", "postalAddress")
ATTRIBUTES = (
    BPK2,
    Attribute("given_names", "2.5.4.42", "givenName"),
    Attribute("family_name", "2.5.4.4", "surname"),
    Attribute("birth_name", "1.2.40.0.10.2.1.1.225566", "birthName"),
    Attribute("birth_date", "1.2.40.0.10.2.1.1.55", "birthdate"),
    Attribute("place_of_birth", "1.3.6.1.5.5.7.9.2", "placeOfBirth"),
    Attribute("nationality", "1.2.40.0.10.2.1.1.225577", "nationality"),
    POSTAL_ADDRESS,
    Attribute("postcode", "2.5.4.17", "postalCode"),
    Attribute("town", "2.5.4.7", "localityName"),
    Attribute("email", "0.9.2342.19200300.100.1.3", "mail"),
    Attribute("document_type", "1.2.40.0.10.2.1.1.552255", "documentType"),
    TRUST_LEVEL,
)
BY_OID = {attribute.oid: attribute for attribute in ATTRIBUTES}
BY_FRIENDLY_NAME = {attribute.friendly_name.lower(): attribute for attribute in ATTRIBUTES}


# --- configuration ------------------------------------------------------------------


def provider_config() -> dict[str, Any]:
    return dict(settings.IDENTITY.get("providers", {}).get(PROVIDER, {}))


def idp_on_this_site(config: Mapping[str, Any]) -> bool:
    """The identity provider's metadata URL is a path on this site (e.g. the demo identity provider's)."""
    return not config.get("idp_metadata_file") and str(config.get("idp_metadata_url") or "").startswith("/")


def base_url(request: HttpRequest | None, config: Mapping[str, Any]) -> str:
    """Scheme and host of our absolute SAML URLs (see the module docstring)."""
    if request is not None and idp_on_this_site(config):
        return request.build_absolute_uri("/").rstrip("/")
    parts = urlsplit(settings.PORTAL["base_url"])
    return f"{parts.scheme}://{parts.netloc}"


def local_path(name: str, namespace: str = "identity_bundid") -> str:
    """A path without language prefix: what we register with the identity provider must not depend on it."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(f"{namespace}:{name}")


def sp_keypair(config: Mapping[str, Any]) -> tuple[Path, Path]:
    key_file, cert_file = config.get("sp_key_file", ""), config.get("sp_cert_file", "")
    if key_file and cert_file:
        return Path(key_file), Path(cert_file)
    if settings.DEMO_MODE:
        return generated_keypair(name="bundid-sp", common_name="Amtsweg BundID service provider (demo)")
    raise IdentityRejected("BundID has no signing key configured (BUNDID_SP_KEY_FILE, BUNDID_SP_CERT_FILE)")


def idp_metadata(request: HttpRequest | None, config: Mapping[str, Any]) -> str:
    """The identity provider's metadata: a file, or a URL (cached; a path is on this site, see the docstring)."""
    if config.get("idp_metadata_file"):
        try:
            return Path(config["idp_metadata_file"]).read_text()
        except OSError as exc:
            raise IdentityRejected(f"the BundID metadata file cannot be read: {exc}") from exc
    if config.get("idp_metadata_url"):
        url = str(config["idp_metadata_url"])
        return _remote_metadata(config, base_url(request, config) + url if idp_on_this_site(config) else url)
    raise IdentityRejected("BundID has no identity provider metadata (BUNDID_IDP_METADATA_FILE or _URL)")


def _remote_metadata(config: Mapping[str, Any], url: str) -> str:
    key = "identity:bundid:idp-metadata:" + hashlib.sha256(url.encode()).hexdigest()
    xml = cache.get(key)
    if xml:
        return xml
    try:
        response = httpx.get(url, timeout=float(config.get("metadata_timeout_seconds", 10)), follow_redirects=False)
        response.raise_for_status()
        xml = response.text
        if config.get("idp_metadata_cert_file"):
            _check_metadata_signature(xml, config)
    except (httpx.HTTPError, IdentityRejected) as exc:
        last_good = cache.get(key + ":last-good")
        if last_good:
            logger.warning("BundID metadata could not be refreshed, using the last good copy: %s", exc)
            return last_good
        raise IdentityRejected(f"the BundID metadata could not be loaded: {exc}") from exc
    cache.set(key, xml, METADATA_CACHE_SECONDS)
    cache.set(key + ":last-good", xml, 14 * 24 * 3600)
    return xml


def _check_metadata_signature(xml: str, config: Mapping[str, Any]) -> None:
    conf = SPConfig()
    conf.xmlsec_binary = config.get("xmlsec_binary") or "/usr/bin/xmlsec1"
    sec = security_context(conf)
    for node in ("EntityDescriptor", "EntitiesDescriptor"):
        try:
            if sec.verify_signature(
                xml,
                config["idp_metadata_cert_file"],
                node_name=f"urn:oasis:names:tc:SAML:2.0:metadata:{node}",
            ):
                return
        except Exception:  # noqa: S112 - pysaml2 raises several types; the other node name may match
            continue
    raise IdentityRejected("the signature of the BundID metadata does not match BUNDID_IDP_METADATA_CERT_FILE")


class ServiceProvider:
    """Our SAML service provider for one request: URLs, keys, the identity provider, a pysaml2 client."""

    def __init__(self, request: HttpRequest | None, config: Mapping[str, Any] | None = None) -> None:
        self.request = request
        self.settings = dict(provider_config() if config is None else config)
        self.base = base_url(request, self.settings)
        self.metadata_url = self.base + local_path("metadata")
        self.acs_url = self.base + local_path("acs")
        self.slo_url = self.base + local_path("slo")
        self.entity_id = self.settings.get("sp_entity_id") or self.metadata_url
        self.key_file, self.cert_file = sp_keypair(self.settings)

    def pysaml2_config(self, *, with_idp: bool = True) -> SPConfig:
        organization = self.settings.get("organization_display_name") or settings.PORTAL.get("city", "")
        conf = {
            "entityid": self.entity_id,
            "xmlsec_binary": self.settings.get("xmlsec_binary") or "/usr/bin/xmlsec1",
            "key_file": str(self.key_file),
            "cert_file": str(self.cert_file),
            # BundID may encrypt assertions to the key in our metadata.
            "encryption_keypairs": [{"key_file": str(self.key_file), "cert_file": str(self.cert_file)}],
            "signing_algorithm": SIG_RSA_SHA256,
            "digest_algorithm": DIGEST_SHA256,
            "accepted_time_diff": CLOCK_SKEW_SECONDS,
            "allow_unknown_attributes": True,
            "only_use_keys_in_metadata": True,
            "metadata": {"inline": [self.idp_metadata]} if with_idp else {},
            "organization": {
                "name": [(organization, "de")],
                "display_name": [(organization, "de")],
                "url": [(self.base + "/", "de")],
            },
            "service": {
                "sp": {
                    "name": organization,
                    "endpoints": {
                        "assertion_consumer_service": [(self.acs_url, BINDING_HTTP_POST)],
                        "single_logout_service": [
                            (self.slo_url, BINDING_HTTP_POST),
                            (self.slo_url, BINDING_HTTP_REDIRECT),
                        ],
                    },
                    "authn_requests_signed": True,
                    "logout_requests_signed": True,
                    "logout_responses_signed": True,
                    "want_response_signed": False,
                    "want_assertions_signed": False,
                    "want_assertions_or_response_signed": True,
                    "allow_unsolicited": False,
                }
            },
        }
        config = SPConfig()
        config.load(conf)
        return config

    @cached_property
    def idp_metadata(self) -> str:
        return idp_metadata(self.request, self.settings)

    @cached_property
    def client(self) -> Saml2Client:
        # A new client per request: pysaml2 clients keep an in-memory record of every person seen.
        try:
            return Saml2Client(config=self.pysaml2_config())
        except IdentityRejected:
            raise
        except Exception as exc:
            raise IdentityRejected(f"the BundID configuration is not usable: {exc}") from exc

    @cached_property
    def idp_entity_id(self) -> str:
        wanted = self.settings.get("idp_entity_id", "")
        providers = self.client.metadata.identity_providers()
        if wanted:
            if wanted not in providers:
                raise IdentityRejected(f"the identity provider {wanted!r} is not in the BundID metadata")
            return wanted
        if len(providers) != 1:
            raise IdentityRejected("the BundID metadata must name exactly one identity provider (or set idp_entity_id)")
        return providers[0]

    def idp_endpoint(self, service: str, *, prefer_redirect: bool = False) -> tuple[str, str] | None:
        """(binding, location) of an identity provider service, POST preferred unless told otherwise."""
        order = (
            (BINDING_HTTP_REDIRECT, BINDING_HTTP_POST)
            if prefer_redirect
            else (BINDING_HTTP_POST, BINDING_HTTP_REDIRECT)
        )
        for binding in order:
            locations = getattr(self.client.metadata, service)(self.idp_entity_id, binding, "idpsso")
            if locations:
                return binding, locations[0]["location"]
        return None

    # --- outgoing messages -------------------------------------------------------

    def authn_request(self, *, level: str) -> tuple[str, HttpResponse]:
        """A signed AuthnRequest for at least ``level``: its id, and the response that sends the browser off."""
        endpoint = self.idp_endpoint(
            "single_sign_on_service", prefer_redirect=self.settings.get("sso_binding") == "redirect"
        )
        if endpoint is None:
            raise IdentityRejected("the BundID metadata has no single sign-on endpoint")
        binding, destination = endpoint
        request_id, message = self.client.create_authn_request(
            destination,
            binding=BINDING_HTTP_POST,  # how the answer comes back
            extensions=akdb_extension(self.settings),
            requested_authn_context=RequestedAuthnContext(
                authn_context_class_ref=[AuthnContextClassRef(text=LEVEL_TO_STORK[TrustLevel(level)])],
                comparison="minimum",
            ),
            sign=binding == BINDING_HTTP_POST,  # the Redirect binding signs the query string instead
            sign_alg=SIG_RSA_SHA256,
            digest_alg=DIGEST_SHA256,
        )
        return request_id, self.send(binding, destination, str(message), kind="SAMLRequest")

    def send(self, binding: str, destination: str, xml: str, *, kind: str) -> HttpResponse:
        if binding == BINDING_HTTP_REDIRECT:
            info = self.client.apply_binding(
                BINDING_HTTP_REDIRECT,
                xml,
                destination,
                response=kind == "SAMLResponse",
                sign=True,
                sigalg=SIG_RSA_SHA256,
            )
            return HttpResponseRedirect(dict(info["headers"])["Location"])
        return post_form(
            self.request,
            action=destination,
            fields={kind: base64.b64encode(xml.encode()).decode()},
        )

    # --- metadata -------------------------------------------------------------------

    def metadata(self, *, signed: bool = True) -> str:
        if not signed:
            key = (
                self.entity_id,
                self.acs_url,
                self.slo_url,
                str(self.cert_file),
                self.cert_file.stat().st_mtime,
                self.settings.get("organization_display_name", ""),
            )
            if key not in _UNSIGNED_METADATA:
                if len(_UNSIGNED_METADATA) > 32:
                    _UNSIGNED_METADATA.clear()
                descriptor = entity_descriptor(self.pysaml2_config(with_idp=False))
                only_strong_algorithms(descriptor)
                _UNSIGNED_METADATA[key] = str(descriptor)
            return _UNSIGNED_METADATA[key]
        config = self.pysaml2_config(with_idp=False)
        descriptor = entity_descriptor(config)
        only_strong_algorithms(descriptor)
        _descriptor, xml = sign_entity_descriptor(
            descriptor, None, security_context(config), sign_alg=SIG_RSA_SHA256, digest_alg=DIGEST_SHA256
        )
        return xml


_UNSIGNED_METADATA: dict[tuple, str] = {}


def incoming_message(request: HttpRequest) -> tuple[Mapping[str, str], str]:
    """A SAML message's fields and binding: HTTP-POST in a POST's body, HTTP-Redirect in a GET's query."""
    if request.method == "POST":
        return request.POST, BINDING_HTTP_POST
    return request.GET, BINDING_HTTP_REDIRECT


def parse_request(parse: Any, data: Mapping[str, str], binding: str) -> Any:
    """Call pysaml2's ``parse_authn_request`` or ``parse_logout_request`` with the request, its relay
    state and, in the Redirect binding, the query's signature (pysaml2 checks it)."""
    return parse(
        data["SAMLRequest"],
        binding,
        relay_state=data.get("RelayState"),
        sigalg=data.get("SigAlg"),
        signature=data.get("Signature"),
    )


def only_strong_algorithms(descriptor: Any) -> None:
    """pysaml2 lists every algorithm xmlsec1 knows (SHA-1 included); we announce SHA-256 only."""
    if descriptor.extensions is None:
        return
    descriptor.extensions.extension_elements = [
        element
        for element in descriptor.extensions.extension_elements
        if element.tag not in ("DigestMethod", "SigningMethod")
    ]
    descriptor.extensions.add_extension_element(DigestMethod(algorithm=DIGEST_SHA256))
    descriptor.extensions.add_extension_element(SigningMethod(algorithm=SIG_RSA_SHA256))


def akdb_extension(config: Mapping[str, Any]) -> samlp.Extensions:
    """``<akdb:AuthenticationRequest>``: the attributes we want and what BundID shows the citizen."""
    requested = [
        ExtensionElement(
            "RequestedAttribute",
            namespace=AKDB_NS,
            attributes={"Name": attribute.name, "RequiredAttribute": "true" if attribute.required else "false"},
        )
        for attribute in ATTRIBUTES
    ]
    display = [
        ExtensionElement(
            "OrganizationDisplayName",
            namespace=CLASSIC_UI_NS,
            text=config.get("organization_display_name") or settings.PORTAL.get("city", ""),
        )
    ]
    if config.get("online_service_id"):
        display.append(ExtensionElement("OnlineServiceId", namespace=CLASSIC_UI_NS, text=config["online_service_id"]))
    root = ExtensionElement(
        "AuthenticationRequest",
        namespace=AKDB_NS,
        attributes={"Version": "2"},
        children=[
            ExtensionElement("RequestedAttributes", namespace=AKDB_NS, children=requested),
            ExtensionElement(
                "DisplayInformation",
                namespace=AKDB_NS,
                children=[ExtensionElement("Version", namespace=CLASSIC_UI_NS, children=display)],
            ),
        ],
    )
    return samlp.Extensions(extension_elements=[root])


def post_form(
    request: HttpRequest | None, *, action: str, fields: Mapping[str, str], status: int = 200
) -> HttpResponse:
    """A page that posts ``fields`` to ``action``: at once with JavaScript, with a visible "Continue" button without."""
    response = render(request, "identity/bundid/post_form.html", {"action": action, "fields": fields})
    response["Cache-Control"] = "no-store"
    return response


# --- the answer ---------------------------------------------------------------------


@dataclass(frozen=True)
class Answer:
    identity: Identity
    logout: dict[str, Any]  # what single logout needs: the NameID and session index


def read_answer(sp: ServiceProvider, *, saml_response: str, request_id: str) -> Answer:
    """Check a SAML Response from the identity provider and turn it into an Identity.

    Refuses (IdentityRejected) anything not signed by the identity provider in
    our metadata, not for us, outside its validity time, not answering our
    pending request, seen before, or without a pseudonym or level.
    """
    if not request_id:
        raise IdentityRejected("no SAML request is pending")
    client = sp.client
    idp = sp.idp_entity_id
    try:
        answer = client.parse_authn_request_response(saml_response, BINDING_HTTP_POST, outstanding={request_id: "/"})
    except UnsolicitedResponse as exc:
        raise IdentityRejected("the answer is to a request we did not send (InResponseTo)") from exc
    except (MissingKey, SignatureError, SigverError) as exc:
        raise IdentityRejected(f"the signature is missing or not from the identity provider: {_short(exc)}") from exc
    except (ResponseLifetimeExceed, ToEarly) as exc:
        raise IdentityRejected(f"the answer is outside its validity time: {_short(exc)}") from exc
    except StatusError as exc:
        raise IdentityRejected(f"the identity provider did not log the citizen in: {_short(exc)}") from exc
    except IdentityRejected:
        raise
    except Exception as exc:
        if "AudienceRestrictions" in str(exc):  # pysaml2 raises a bare Exception for it
            raise IdentityRejected("the answer is meant for another audience") from exc
        raise IdentityRejected(f"the answer is not valid: {type(exc).__name__}: {_short(exc)}") from exc
    if answer is None or answer.assertion is None:
        raise IdentityRejected("the answer could not be read")

    response, assertion = answer.response, answer.assertion
    if response.in_response_to != request_id:
        raise IdentityRejected("the answer is to a request we did not send (InResponseTo)")
    for issuer in (response.issuer, assertion.issuer):
        if issuer is not None and (issuer.text or "").strip() != idp:
            raise IdentityRejected("the answer comes from another identity provider")
    check_algorithms(response, assertion)
    expires = _check_conditions(sp, assertion, request_id)
    _check_not_replayed(idp, assertion.id, expires)

    values = _attribute_values(assertion)
    identity = Identity(
        provider=PROVIDER,
        subject=_first(values, BPK2),
        trust_level=_trust_level(answer, values),
        **_identity_fields(values),
        raw={"attributes": values},
    )
    if not identity.subject:
        raise IdentityRejected("the answer has no bPK2")
    name_id = assertion.subject.name_id if assertion.subject is not None else None
    session_index = ""
    if assertion.authn_statement:
        session_index = assertion.authn_statement[0].session_index or ""
    logout = {
        "subject": identity.subject,
        "idp": idp,
        "name_id": (name_id.text or "") if name_id is not None else "",
        "name_id_format": (name_id.format or "") if name_id is not None else "",
        "name_qualifier": (name_id.name_qualifier or "") if name_id is not None else "",
        "sp_name_qualifier": (name_id.sp_name_qualifier or "") if name_id is not None else "",
        "session_index": session_index,
    }
    return Answer(identity=identity, logout=logout)


def _short(exc: BaseException) -> str:
    return str(exc).replace("\n", " ")[:200]


def check_algorithms(*elements: Any) -> None:
    for element in elements:
        signature = getattr(element, "signature", None)
        if signature is None:
            continue
        info = signature.signed_info
        if info.signature_method.algorithm not in ALLOWED_SIGNATURE_ALGORITHMS:
            raise IdentityRejected(f"the answer is signed with a weak algorithm: {info.signature_method.algorithm}")
        for reference in info.reference:
            if reference.digest_method.algorithm not in ALLOWED_DIGEST_ALGORITHMS:
                raise IdentityRejected(f"the answer uses a weak digest: {reference.digest_method.algorithm}")


def _parse_time(value: str | None) -> float | None:
    if not value:
        return None
    parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.UTC)
    return parsed.timestamp()


def _check_conditions(sp: ServiceProvider, assertion: Any, request_id: str) -> float:
    """Audience, validity time and bearer confirmation, required rather than optional; returns the expiry."""
    now = time.time()
    conditions = assertion.conditions
    audiences = [
        (audience.text or "").strip()
        for restriction in (conditions.audience_restriction if conditions is not None else [])
        for audience in restriction.audience
    ]
    if sp.entity_id not in audiences:
        raise IdentityRejected("the answer is meant for another audience")
    issued = _parse_time(assertion.issue_instant)
    if issued is None or not (
        now - ASSERTION_MAX_AGE_SECONDS - CLOCK_SKEW_SECONDS <= issued <= now + CLOCK_SKEW_SECONDS
    ):
        raise IdentityRejected("the answer is outside its validity time (IssueInstant)")
    expiries = [_parse_time(conditions.not_on_or_after)] if conditions.not_on_or_after else []
    confirmations = [
        confirmation.subject_confirmation_data
        for confirmation in (assertion.subject.subject_confirmation if assertion.subject is not None else [])
        if confirmation.subject_confirmation_data is not None
    ]
    if not confirmations:
        raise IdentityRejected("the answer has no subject confirmation")
    for data in confirmations:
        if data.in_response_to != request_id:
            raise IdentityRejected("the answer is to a request we did not send (SubjectConfirmation)")
        if data.recipient != sp.acs_url:
            raise IdentityRejected("the answer is meant for another recipient")
        if data.not_on_or_after:
            expiries.append(_parse_time(data.not_on_or_after))
    known = [expiry for expiry in expiries if expiry is not None]
    if not known:
        raise IdentityRejected("the answer has no end of validity (NotOnOrAfter)")
    expires = min(known)
    if now > expires + CLOCK_SKEW_SECONDS:
        raise IdentityRejected("the answer is outside its validity time (NotOnOrAfter)")
    return expires


def _check_not_replayed(idp: str, assertion_id: str | None, expires: float) -> None:
    """Each assertion logs in once. Its id is kept until it would have expired anyway."""
    if not assertion_id:
        raise IdentityRejected("the assertion has no ID")
    key = REPLAY_KEY + hashlib.sha256(f"{idp}\n{assertion_id}".encode()).hexdigest()
    timeout = max(int(expires - time.time()) + 2 * CLOCK_SKEW_SECONDS, ASSERTION_MAX_AGE_SECONDS)
    if not cache.add(key, 1, timeout=timeout):
        raise IdentityRejected("the assertion was used before (replay)")


def _attribute_values(assertion: Any) -> dict[str, list[str]]:
    """Attribute values by OID (``urn:oid:2.5.4.42``; a known friendly name helps if the name is no OID)."""
    values: dict[str, list[str]] = {}
    for statement in assertion.attribute_statement:
        for attribute in statement.attribute:
            name = (attribute.name or "").strip()
            oid = re.sub(r"^urn:oid:\s*", "", name) if name.lower().startswith("urn:oid:") else ""
            if not oid and (attribute.friendly_name or "").lower() in BY_FRIENDLY_NAME:
                oid = BY_FRIENDLY_NAME[attribute.friendly_name.lower()].oid
            if not oid:
                oid = name
            values.setdefault(oid, []).extend(
                (value.text or "").strip() for value in attribute.attribute_value if value.text
            )
    return values


def _first(values: Mapping[str, list[str]], attribute: Attribute) -> str:
    found = values.get(attribute.oid) or [""]
    return found[0]


def _trust_level(answer: Any, values: Mapping[str, list[str]]) -> str:
    """The lower of what the AuthnContextClassRef and the trust-level attribute say."""
    stated = [class_ref for class_ref, _authorities, _instant in answer.authn_info()]
    stated += values.get(TRUST_LEVEL.oid, [])
    levels = [ANSWER_TO_LEVEL[value.strip()] for value in stated if value.strip() in ANSWER_TO_LEVEL]
    if not levels:
        raise IdentityRejected(f"the answer names no known trust level: {stated!r}")
    return str(min(levels, key=LEVEL_ORDER.index))


def _identity_fields(values: Mapping[str, list[str]]) -> dict[str, str]:
    fields = {
        attribute.field: _first(values, attribute)
        for attribute in ATTRIBUTES
        if attribute.field and attribute.field != "subject"
    }
    fields["birth_date"] = _iso_date(fields["birth_date"])
    fields["nationality"] = _country(fields["nationality"])
    street, house_number = split_street(_first(values, POSTAL_ADDRESS))
    fields["street"], fields["house_number"] = street, house_number
    return fields


def _iso_date(value: str) -> str:
    for pattern in ("%Y-%m-%d", "%Y%m%d", "%d.%m.%Y"):
        try:
            day = datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
        return day.isoformat() if day in birth_dates() else ""
    return ""  # unknown or partial dates (the ID card allows "1980-00-00") are left out, as are impossible ones


def _country(value: str) -> str:
    value = value.strip().upper()
    return {"D": "DE", "DEU": "DE"}.get(value, value)


_HOUSE_NUMBER = re.compile(r"^(?P<street>.*?\S)\s+(?P<number>\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$")


def split_street(value: str) -> tuple[str, str]:
    """``"Friedrich-Ebert-Straße 12a"`` -> ``("Friedrich-Ebert-Straße", "12a")``; the first line only."""
    line = value.strip().splitlines()[0].strip() if value.strip() else ""
    match = _HOUSE_NUMBER.match(line)
    if match:
        return match["street"], match["number"].replace(" ", "")
    return line, ""


def name_id_from(logout: Mapping[str, Any]) -> NameID:
    return NameID(
        text=logout.get("name_id") or None,
        format=logout.get("name_id_format") or None,
        name_qualifier=logout.get("name_qualifier") or None,
        sp_name_qualifier=logout.get("sp_name_qualifier") or None,
    )
