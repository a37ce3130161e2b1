"""Login through any OpenID Connect provider (OP) that publishes a discovery document.

The protocol, from OpenID Connect Core 1.0 and Discovery 1.0, RFC 6749 (OAuth 2.0),
RFC 7636 (PKCE) and RFC 9207 (``iss`` in the authorization response):

- ``login_start`` reads the discovery document, keeps a fresh ``state``, ``nonce`` and PKCE
  ``code_verifier`` (and the redirect URI) with the pending login and sends the citizen to the
  authorization endpoint with ``response_type=code``, ``code_challenge`` (S256) and ``acr_values``:
  every acr value of ``acr_map`` whose level reaches the requested one, lowest first.
- The callback (``views.callback``) compares ``state`` with the pending login, refuses an error
  answer (``access_denied`` when the citizen cancels), checks ``iss`` when the OP sends it, exchanges
  the code at the token endpoint (``client_secret_basic`` unless the OP only offers
  ``client_secret_post``) and validates the ID token: signature against the OP's JWKS (RS256 and
  ES256; ``none`` never; HS256 with the client secret only when ``id_token_algorithms`` says so),
  ``iss``, ``aud`` containing the client id (``azp`` when there are more audiences), ``exp`` and
  ``iat`` with a minute's leeway, ``nonce`` and ``at_hash``.
- Claims from the userinfo endpoint (when the OP has one) are added to the ID token's, if they are
  about the same ``sub``; the ID token's own claims win. ``acr`` is read from the ID token only.
- ``acr`` maps to a trust level through ``acr_map``; a missing or unknown acr is refused. Whether
  the level is high enough for the login is ``citizen_login_finish``'s decision.
- The discovery document and the JWKS are cached for a few minutes; a token signed with a key id
  the cached JWKS lacks fetches it again (at most once a minute, for key rotation). An OP that
  cannot be reached or answers nonsense is a refused login (the error page), never a server error.

Assumptions:

- Claims beyond the standard profile follow OpenID Connect for Identity Assurance:
  ``birth_family_name``, ``place_of_birth`` (an object with ``locality``, or a string) and
  ``nationalities`` (a list; the first one is taken) or a plain ``nationality``.
- ``address.street_address`` is split into street and house number when it ends in a German-style
  number ("Obere Königsstraße 8", "Am Markt 3-5", "Hauptstr. 12a"); otherwise all of it is the street.
- ``email`` is dropped when the OP says ``email_verified: false`` or it is not an address.
- ``birthdate`` is kept only as a full date (OIDC allows "0000-MM-DD" and a bare year).
- Client id and secret are form-urlencoded before HTTP Basic, as RFC 6749 section 2.3.1 requires.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import secrets
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from authlib.oidc.core import CodeIDToken
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from joserfc import jwt
from joserfc.errors import ClaimError, InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet, OctKey
from joserfc.jws import JWSRegistry

from amtsweg.catalogue.constants import TrustLevel
from amtsweg.core import dates

from ...base import Identity, IdentityProvider, IdentityRejected, birth_dates
from ...constants import level_rank, level_satisfies
from ...registry import register
from ...services import login_pending, login_pending_put

logger = logging.getLogger(__name__)

WELL_KNOWN = "/.well-known/openid-configuration"
CACHE_SECONDS = 5 * 60
JWKS_REFRESH_SECONDS = 60  # an unknown key id fetches the JWKS again, but not more often than this
LEEWAY_SECONDS = 60
ID_TOKEN_MAX_AGE_SECONDS = 10 * 60
DEFAULT_ALGORITHMS = ("RS256", "ES256")
SUBJECT_MAX_LENGTH = 255  # CitizenAccount.subject; OIDC Core says sub is at most 255 ASCII characters
_HOUSE_NUMBER = re.compile(r"^(?P<street>.*?\D)\s*(?P<number>\d+\s*[a-zA-Z]?(?:\s*[-/]\s*\d+\s*[a-zA-Z]?)?)$")


def _short(value: object, limit: int = 120) -> str:
    """An OP's text for a log line: printable and short."""
    text = "".join(ch if ch.isprintable() else "?" for ch in str(value))
    return text if len(text) <= limit else text[:limit] + "…"


def _jose(exc: JoseError) -> str:
    return _short(f"{exc.error}: {exc.description}" if exc.description else exc.error)


def callback_url(request: HttpRequest) -> str:
    """The absolute redirect URI registered at the OP (no language prefix, whatever the citizen reads)."""
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse("identity_oidc:callback"))


@register("oidc")
class OIDCProvider(IdentityProvider):
    description = _("Log in with your service account (OpenID Connect).")

    def __init__(self, config: Mapping[str, Any] | None = None) -> None:
        super().__init__(config)
        self.verbose_name = str(self.config.get("display_name") or "") or _("Service account")
        levels = [level for level in self.acr_map.values() if level_rank(level) > 0]
        self.max_level = max(levels, key=level_rank) if levels else TrustLevel.BASIC.value

    # --- configuration ----------------------------------------------------------------

    @property
    def discovery_url(self) -> str:
        return str(self.config.get("discovery_url") or "").strip()

    @property
    def client_id(self) -> str:
        return str(self.config.get("client_id") or "").strip()

    @property
    def client_secret(self) -> str:
        return str(self.config.get("client_secret") or "")

    @property
    def scope(self) -> str:
        scopes = str(self.config.get("scope") or "openid").split()
        if "openid" not in scopes:
            scopes.insert(0, "openid")
        return " ".join(scopes)

    @property
    def acr_map(self) -> dict[str, str]:
        value = self.config.get("acr_map") or {}
        return {str(acr): str(level) for acr, level in value.items()} if isinstance(value, Mapping) else {}

    @property
    def timeout(self) -> float:
        return float(self.config.get("timeout_seconds") or 10.0)

    @property
    def algorithms(self) -> list[str]:
        """The ID token signature algorithms accepted; never ``none``, HS* only when configured and with a secret."""
        configured = self.config.get("id_token_algorithms") or DEFAULT_ALGORITHMS
        if isinstance(configured, str):
            configured = configured.replace(",", " ").split()
        return [
            alg
            for alg in (str(a).strip() for a in configured)
            if alg and alg.lower() != "none" and (not alg.startswith("HS") or self.client_secret)
        ] or list(DEFAULT_ALGORITHMS)

    def enabled(self) -> bool:
        return bool(self.discovery_url and self.client_id)

    def check_configuration(self, *, production: bool) -> list[str]:
        problems = []
        required = ["discovery_url", "client_id"] + (["client_secret"] if production else [])
        for key in required:
            if not str(self.config.get(key) or "").strip():
                problems.append(f"OIDC: {key} is not set.")
        if not self.acr_map:
            problems.append("OIDC: acr_map is empty, so no login can reach a trust level.")
        for acr, level in self.acr_map.items():
            if level_rank(level) <= 0:
                problems.append(f"OIDC: acr_map maps {acr!r} to {level!r}, which is no login trust level.")
        configured = self.config.get("id_token_algorithms") or ()
        if isinstance(configured, str):
            configured = configured.replace(",", " ").split()
        if any(str(alg).lower() == "none" for alg in configured):
            problems.append("OIDC: id_token_algorithms lists 'none'; unsigned ID tokens are always refused.")
        if any(str(alg).startswith("HS") for alg in configured) and not self.client_secret:
            problems.append("OIDC: id_token_algorithms lists HS*, which needs the client_secret.")
        if production and self.discovery_url and not self.discovery_url.startswith("https://"):
            problems.append("OIDC: discovery_url must use https in production.")
        return problems

    # --- the OP's documents --------------------------------------------------------------

    def _get_json(self, url: str, what: str, **kwargs: Any) -> tuple[dict[str, Any], httpx.Response]:
        try:
            response = httpx.get(url, timeout=self.timeout, follow_redirects=False, **kwargs)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise IdentityRejected(f"the OIDC provider's {what} cannot be fetched: {exc.__class__.__name__}") from exc
        if response.status_code != 200:
            raise IdentityRejected(f"the OIDC provider's {what} answered HTTP {response.status_code}")
        try:
            data = response.json()
        except ValueError as exc:
            raise IdentityRejected(f"the OIDC provider's {what} is not JSON") from exc
        if not isinstance(data, dict):
            raise IdentityRejected(f"the OIDC provider's {what} is not a JSON object")
        return data, response

    @staticmethod
    def _cache_key(kind: str, url: str) -> str:
        return f"identity:oidc:{kind}:{hashlib.sha256(url.encode()).hexdigest()[:32]}"

    def metadata(self) -> dict[str, Any]:
        """The OP's discovery document, checked and cached."""
        if not self.enabled():
            raise IdentityRejected("OIDC is not configured (discovery_url, client_id)")
        key = self._cache_key("discovery", self.discovery_url)
        meta = cache.get(key)
        if meta is not None:
            return meta
        meta, _response = self._get_json(self.discovery_url, "discovery document")
        for name in ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(meta.get(name), str) or not meta[name]:
                raise IdentityRejected(f"the OIDC discovery document has no {name}")
        if self.discovery_url.endswith(WELL_KNOWN):
            expected = self.discovery_url[: -len(WELL_KNOWN)].rstrip("/")
            if meta["issuer"].rstrip("/") != expected:
                raise IdentityRejected(f"the OIDC discovery document names a foreign issuer {_short(meta['issuer'])!r}")
        if "code" not in (meta.get("response_types_supported") or ["code"]):
            raise IdentityRejected("the OIDC provider does not offer the authorization code flow")
        methods = meta.get("code_challenge_methods_supported")
        if methods is not None and "S256" not in methods:
            raise IdentityRejected("the OIDC provider does not offer PKCE with S256")
        cache.set(key, meta, CACHE_SECONDS)
        return meta

    def _jwks(self, meta: Mapping[str, Any], *, refresh: bool = False) -> KeySet:
        key = self._cache_key("jwks", meta["jwks_uri"])
        cached = cache.get(key)
        if cached is not None and not (refresh and time.time() - cached["fetched"] > JWKS_REFRESH_SECONDS):
            data = cached["jwks"]
        else:
            data, _response = self._get_json(meta["jwks_uri"], "key set (JWKS)")
            cache.set(key, {"jwks": data, "fetched": time.time()}, CACHE_SECONDS)
        try:
            return KeySet.import_key_set(data)
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise IdentityRejected("the OIDC provider's key set (JWKS) cannot be read") from exc

    # --- the login -----------------------------------------------------------------------

    def acr_values(self, level: str) -> list[str]:
        """The acr values that reach ``level``, lowest level first."""
        reaching = [
            (acr, lvl) for acr, lvl in self.acr_map.items() if level_rank(lvl) > 0 and level_satisfies(lvl, level)
        ]
        return [acr for acr, lvl in sorted(reaching, key=lambda item: level_rank(item[1]))]

    def login_start(self, *, request: HttpRequest, level: str) -> HttpResponse:
        acr_values = self.acr_values(level)
        if not acr_values:
            raise IdentityRejected(f"no acr value in the OIDC acr_map reaches level {level!r}")
        meta = self.metadata()
        state = secrets.token_urlsafe(32)
        nonce = secrets.token_urlsafe(32)
        code_verifier = secrets.token_urlsafe(64)  # 86 characters, within RFC 7636's 43-128
        redirect_uri = callback_url(request)
        login_pending_put(
            request,
            provider=self.slug,
            state=state,
            nonce=nonce,
            code_verifier=code_verifier,
            redirect_uri=redirect_uri,
        )
        url = prepare_grant_uri(
            meta["authorization_endpoint"],
            self.client_id,
            "code",
            redirect_uri=redirect_uri,
            scope=self.scope,
            state=state,
            nonce=nonce,
            code_challenge=create_s256_code_challenge(code_verifier),
            code_challenge_method="S256",
            acr_values=" ".join(acr_values),
            ui_locales=translation.get_language() or None,
        )
        return HttpResponseRedirect(url)

    def callback_identity(self, request: HttpRequest) -> Identity:
        """The verified identity from the OP's answer on the callback URL, or IdentityRejected."""
        data = login_pending(request, provider=self.slug).get("data", {})
        expected_state = str(data.get("state") or "")
        state = request.GET.get("state", "")
        if not expected_state or not secrets.compare_digest(state.encode(), expected_state.encode()):
            raise IdentityRejected("the OIDC answer's state does not match the login started here")
        if error := request.GET.get("error"):
            description = request.GET.get("error_description", "")
            raise IdentityRejected(
                f"the OIDC provider answered {_short(error, 60)!r}"
                + (f": {_short(description)}" if description else "")
            )
        meta = self.metadata()
        issuer = request.GET.get("iss")
        if issuer is not None and issuer != meta["issuer"]:
            raise IdentityRejected(f"the OIDC answer comes from a foreign issuer {_short(issuer)!r} (mix-up)")
        if issuer is None and meta.get("authorization_response_iss_parameter_supported") is True:
            raise IdentityRejected("the OIDC answer lacks the issuer its provider promises to send")
        code = request.GET.get("code", "")
        if not code:
            raise IdentityRejected("the OIDC answer has no authorization code")
        tokens = self._exchange(meta, code=code, code_verifier=str(data.get("code_verifier") or ""), data=data)
        claims = self._validate_id_token(
            meta, str(tokens["id_token"]), nonce=str(data.get("nonce") or ""), access_token=tokens.get("access_token")
        )
        claims = {**self._userinfo(meta, tokens, subject=claims["sub"]), **claims}
        return self.identity_from_claims(claims)

    def _exchange(self, meta: Mapping[str, Any], *, code: str, code_verifier: str, data: Mapping[str, Any]) -> dict:
        """The token endpoint's answer for the code (with the PKCE verifier); it has an id_token."""
        form = {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": str(data.get("redirect_uri") or ""),
            "code_verifier": code_verifier,
        }
        headers = {"Accept": "application/json"}
        methods = meta.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
        if not self.client_secret:
            form["client_id"] = self.client_id  # a public client; PKCE alone binds the code
        elif "client_secret_basic" in methods:
            basic = f"{quote(self.client_id, safe='')}:{quote(self.client_secret, safe='')}"
            headers["Authorization"] = "Basic " + base64.b64encode(basic.encode()).decode("ascii")
        elif "client_secret_post" in methods:
            form.update(client_id=self.client_id, client_secret=self.client_secret)
        else:
            raise IdentityRejected(
                "the OIDC token endpoint offers neither client_secret_basic nor client_secret_post: "
                + _short(" ".join(map(str, methods)))
            )
        try:
            response = httpx.post(
                meta["token_endpoint"], data=form, headers=headers, timeout=self.timeout, follow_redirects=False
            )
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise IdentityRejected(f"the OIDC token endpoint cannot be reached: {exc.__class__.__name__}") from exc
        try:
            answer = response.json()
        except ValueError:
            answer = None
        if response.status_code != 200:
            error = answer.get("error", "") if isinstance(answer, dict) else ""
            raise IdentityRejected(
                f"the OIDC token endpoint refused the code: HTTP {response.status_code} {_short(error, 60)}".strip()
            )
        if not isinstance(answer, dict):
            raise IdentityRejected("the OIDC token endpoint's answer is not a JSON object")
        if not isinstance(answer.get("id_token"), str) or not answer["id_token"]:
            raise IdentityRejected("the OIDC token endpoint sent no ID token")
        if str(answer.get("token_type", "")).lower() != "bearer":
            raise IdentityRejected(f"the OIDC token endpoint sent token_type {_short(answer.get('token_type'), 30)!r}")
        return answer

    def _validate_id_token(
        self, meta: Mapping[str, Any], id_token: str, *, nonce: str, access_token: Any
    ) -> dict[str, Any]:
        if not nonce:
            raise IdentityRejected("no nonce was kept with the pending OIDC login")
        algorithms = self.algorithms
        registry = JWSRegistry(algorithms=algorithms, strict_check_header=False)

        def decode(keys: KeySet) -> jwt.Token:
            def key_for(obj: Any) -> Any:
                if str(obj.headers().get("alg", "")).startswith("HS"):
                    return OctKey.import_key(self.client_secret)
                return keys

            return jwt.decode(id_token, key_for, registry=registry)

        try:
            try:
                token = decode(self._jwks(meta))
            except InvalidKeyIdError:
                # The OP may have rotated its keys since we cached them.
                token = decode(self._jwks(meta, refresh=True))
        except JoseError as exc:
            raise IdentityRejected(f"the OIDC ID token does not verify: {_jose(exc)}") from exc
        except ValueError as exc:
            raise IdentityRejected(f"the OIDC ID token cannot be read: {_short(exc)}") from exc

        options = {
            "iss": {"essential": True, "value": meta["issuer"]},
            "aud": {"essential": True, "value": self.client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
            "iat": {"essential": True},
            "nonce": {"essential": True, "value": nonce},
        }
        params = {"nonce": nonce, "client_id": self.client_id}
        if isinstance(access_token, str) and access_token:
            params["access_token"] = access_token
        claims = CodeIDToken(token.claims, token.header, options, params)
        try:
            claims.validate(now=int(time.time()), leeway=LEEWAY_SECONDS)
        except ClaimError as exc:
            raise IdentityRejected(f"the OIDC ID token is not valid here: {exc.claim}: {_jose(exc)}") from exc
        except JoseError as exc:
            raise IdentityRejected(f"the OIDC ID token is not valid here: {_jose(exc)}") from exc
        if claims["iat"] < time.time() - ID_TOKEN_MAX_AGE_SECONDS - LEEWAY_SECONDS:
            raise IdentityRejected("the OIDC ID token was issued too long ago")
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject or len(subject) > SUBJECT_MAX_LENGTH:
            raise IdentityRejected("the OIDC ID token's sub is empty or too long")
        return dict(claims)

    def _userinfo(self, meta: Mapping[str, Any], tokens: Mapping[str, Any], *, subject: str) -> dict[str, Any]:
        """The userinfo endpoint's claims about ``subject``; {} when the OP has no such endpoint."""
        endpoint = meta.get("userinfo_endpoint")
        access_token = tokens.get("access_token")
        if not endpoint or not isinstance(access_token, str) or not access_token:
            return {}
        headers = {"Authorization": f"Bearer {access_token}", "Accept": "application/json"}
        try:
            response = httpx.get(endpoint, headers=headers, timeout=self.timeout, follow_redirects=False)
        except (httpx.HTTPError, httpx.InvalidURL) as exc:
            raise IdentityRejected(f"the OIDC userinfo endpoint cannot be reached: {exc.__class__.__name__}") from exc
        if response.status_code != 200:
            raise IdentityRejected(f"the OIDC userinfo endpoint answered HTTP {response.status_code}")
        if not response.headers.get("content-type", "").startswith("application/json"):
            logger.warning(
                "OIDC userinfo is not plain JSON (%s); using the ID token's claims only",
                _short(response.headers.get("content-type", ""), 60),
            )
            return {}
        try:
            info = response.json()
        except ValueError as exc:
            raise IdentityRejected("the OIDC userinfo answer is not JSON") from exc
        if not isinstance(info, dict):
            raise IdentityRejected("the OIDC userinfo answer is not a JSON object")
        if info.get("sub") != subject:
            raise IdentityRejected("the OIDC userinfo answer is about somebody else (sub differs)")
        return info

    # --- claims to the identity ----------------------------------------------------------

    def trust_level(self, claims: Mapping[str, Any]) -> str:
        acr = claims.get("acr")
        if not isinstance(acr, str) or not acr:
            raise IdentityRejected("unknown level: the OIDC ID token has no acr")
        level = self.acr_map.get(acr)
        if level is None or level_rank(level) <= 0:
            raise IdentityRejected(f"unknown level: acr {_short(acr)!r} is not in the OIDC acr_map")
        return level

    def identity_from_claims(self, claims: Mapping[str, Any]) -> Identity:
        level = self.trust_level(claims)
        raw_address = claims.get("address")
        address: Mapping[str, Any] = raw_address if isinstance(raw_address, Mapping) else {}
        street, house_number = split_street(_text(address.get("street_address")))
        return Identity(
            provider=self.slug,
            subject=str(claims["sub"]),
            trust_level=level,
            given_names=_text(claims.get("given_name")),
            family_name=_text(claims.get("family_name")),
            birth_name=_text(claims.get("birth_family_name")),
            birth_date=_full_date(claims.get("birthdate")),
            place_of_birth=_place(claims.get("place_of_birth")),
            nationality=_nationality(claims),
            street=street,
            house_number=house_number,
            postcode=_text(address.get("postal_code")),
            town=_text(address.get("locality")),
            email=_email(claims),
            raw={key: value for key, value in claims.items() if key not in ("nonce", "at_hash", "c_hash")},
        )


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def split_street(street_address: str) -> tuple[str, str]:
    """("Obere Königsstraße", "8") from "Obere Königsstraße 8"; (all, "") when it does not end in a number."""
    match = _HOUSE_NUMBER.match(street_address)
    if not match or not match["street"].strip(" ,"):
        return street_address, ""
    return match["street"].strip(" ,"), " ".join(match["number"].split())


def _full_date(value: Any) -> str:
    """A full birth date a person alive can have, as ISO text; "" for anything else (e.g. a year alone)."""
    if not isinstance(value, str):
        return ""
    try:
        return dates.parse_day(value, within=birth_dates()).isoformat()
    except dates.DateInputError:
        return ""


def _place(value: Any) -> str:
    if isinstance(value, Mapping):
        return _text(value.get("locality")) or _text(value.get("region")) or _text(value.get("country"))
    return _text(value)


def _nationality(claims: Mapping[str, Any]) -> str:
    values = claims.get("nationalities")
    if isinstance(values, list) and values and isinstance(values[0], str):
        return values[0].strip().upper()
    return _text(claims.get("nationality")).upper()


def _email(claims: Mapping[str, Any]) -> str:
    email = _text(claims.get("email"))
    if not email or claims.get("email_verified") is False:
        return ""
    try:
        validate_email(email)
    except ValidationError:
        return ""
    return email
