"""BundID as an identity provider plugin: login by SAML, up to level "high"."""

from __future__ import annotations

import time
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _

from ...base import Identity, IdentityProvider
from ...registry import register
from ...services import login_pending_put
from . import saml


@register("bundid")
class BundIdProvider(IdentityProvider):
    verbose_name = _("BundID")
    description = _(
        "The federal citizen account: with your online ID card, electronic residence permit or EU citizen card,"
        " an ELSTER certificate, or user name and password."
    )
    max_level = "high"

    def enabled(self) -> bool:
        has_keys = bool(self.config.get("sp_key_file") and self.config.get("sp_cert_file")) or settings.DEMO_MODE
        return has_keys and bool(self.config.get("idp_metadata_file") or self.config.get("idp_metadata_url"))

    def check_configuration(self, *, production: bool) -> list[str]:
        problems: list[str] = []
        config = self.config
        key_file, cert_file = config.get("sp_key_file", ""), config.get("sp_cert_file", "")
        if production or not settings.DEMO_MODE:
            if not (key_file and cert_file):
                problems.append("BUNDID_SP_KEY_FILE and BUNDID_SP_CERT_FILE (the SAML signing key pair) are not set")
            else:
                problems += [f"{path} cannot be read" for path in (key_file, cert_file) if not _readable(path)]
        metadata_file, metadata_url = config.get("idp_metadata_file", ""), config.get("idp_metadata_url", "")
        if metadata_file and not _readable(metadata_file):
            problems.append(f"BUNDID_IDP_METADATA_FILE {metadata_file} cannot be read")
        if not (metadata_file or metadata_url):
            problems.append("BUNDID_IDP_METADATA_FILE or BUNDID_IDP_METADATA_URL (BundID's metadata) is not set")
        xmlsec = config.get("xmlsec_binary") or "/usr/bin/xmlsec1"
        if not Path(xmlsec).exists():
            problems.append(f"xmlsec1 is missing at {xmlsec} (XMLSEC_BINARY; Debian package xmlsec1)")
        if production:
            if metadata_url and not metadata_url.startswith("https://"):
                problems.append("BUNDID_IDP_METADATA_URL must be an https:// URL")
            if metadata_url and not config.get("idp_metadata_cert_file"):
                problems.append("BUNDID_IDP_METADATA_CERT_FILE (to check the metadata's signature) is not set")
            if not config.get("sp_entity_id"):
                problems.append("BUNDID_SP_ENTITY_ID (the entity id registered with BundID) is not set")
            if not config.get("online_service_id"):
                problems.append("BUNDID_ONLINE_SERVICE_ID (issued by the BMI) is not set")
            if not config.get("organization_display_name"):
                problems.append("BUNDID_ORGANIZATION_DISPLAY_NAME is not set")
            if urlsplit(settings.PORTAL.get("base_url", "")).scheme != "https":
                problems.append("AMTSWEG_BASE_URL must be the portal's https:// address (BundID posts answers there)")
            if settings.IDENTITY.get("demo_idp"):
                problems.append("the demo identity provider is switched on (IDENTITY_DEMO_IDP)")
        return problems

    def login_start(self, *, request: HttpRequest, level: str) -> HttpResponse:
        sp = saml.ServiceProvider(request, self.config)
        request_id, response = sp.authn_request(level=level)
        login_pending_put(request, provider=self.slug, request_id=request_id, idp=sp.idp_entity_id)
        return response

    logout_session_keys = (saml.LOGOUT_SESSION_KEY,)

    def logout_start(self, *, request: HttpRequest, identity: Identity) -> HttpResponse | None:
        """Single logout at BundID when its metadata offers it; otherwise None (logged out here only)."""
        logout = request.session.pop(saml.SLO_SESSION_KEY, None)
        if not logout or logout.get("subject") != identity.subject or not logout.get("name_id"):
            return None
        try:
            sp = saml.ServiceProvider(request, self.config)
            endpoint = sp.idp_endpoint("single_logout_service")
            if endpoint is None or sp.idp_entity_id != logout.get("idp"):
                return None
            binding, destination = endpoint
            request_id, message = sp.client.create_logout_request(
                destination,
                sp.idp_entity_id,
                name_id=saml.name_id_from(logout),
                session_indexes=[logout["session_index"]] if logout.get("session_index") else None,
                sign=binding == saml.BINDING_HTTP_POST,
                sign_alg=saml.SIG_RSA_SHA256,
                digest_alg=saml.DIGEST_SHA256,
            )
            request.session[saml.LOGOUT_SESSION_KEY] = {"id": request_id, "started": time.time()}
            return sp.send(binding, destination, str(message), kind="SAMLRequest")
        except Exception:
            saml.logger.exception("BundID single logout could not be started; logged out here only")
            return None


def _readable(path: str) -> bool:
    try:
        with open(path, "rb"):
            return True
    except OSError:
        return False
