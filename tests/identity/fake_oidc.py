"""A small OpenID Connect provider (OP) over real HTTP, for tests.

Written from OpenID Connect Core 1.0, Discovery 1.0 and RFC 7636, not from the plugin: it checks
what a real OP checks, so a relying party that forgets PKCE or client authentication is refused.

What it does:

- ``GET /.well-known/openid-configuration``: the discovery document (``issuer`` is ``fake.issuer``).
- ``GET /jwks``: the public half of ``fake.keys`` (a generated RSA key, kid ``op-key-1``).
- ``GET /authorize``: checks ``response_type=code``, the client id, a redirect URI, ``openid`` in
  the scope and a PKCE ``code_challenge`` (S256), remembers the request (``fake.authorize_requests``)
  and redirects to ``redirect_uri?code=...&state=...&iss=...`` at once, as if the citizen had logged
  in. The ID token will carry ``fake.claims`` and ``acr=fake.acr``; ``fake.deny = "access_denied"``
  redirects with that error instead.
- ``POST /token``: checks client authentication (``fake.auth_method``: client_secret_basic with the
  RFC 6749 form-urlencoding, or client_secret_post), the code (once only), the redirect URI and the
  PKCE ``code_verifier`` against the challenge; answers with an access token and an ID token signed
  with ``fake.signing_key`` (RS256). ``fake.id_token_claims`` overrides or adds ID token claims
  (``None`` as a value drops the claim); ``fake.id_token_header`` overrides the JOSE header;
  ``fake.sign_id_token`` (a function of header and claims to a compact JWT) replaces the signing.
- ``GET /userinfo``: ``fake.userinfo`` (plus ``sub``) for the bearer token it issued.
- ``fake.down = True`` answers 503 everywhere; ``fake.stop()`` closes the port.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, unquote, urlencode, urlsplit

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey

from tests.fakes.server import FakeServer

CLIENT_ID = "amtsweg-test-client"
CLIENT_SECRET = "fake secret/with+specials"
SUBJECT = "pseudonym-4711"

ACR_BASIC = "urn:fake:loa:basic"
ACR_SUBSTANTIAL = "urn:fake:loa:substantial"
ACR_HIGH = "urn:fake:loa:high"
ACR_MAP = {ACR_BASIC: "basic", ACR_SUBSTANTIAL: "substantial", ACR_HIGH: "high"}

DEFAULT_CLAIMS = {
    "given_name": "Erika",
    "family_name": "Mustermann",
    "birth_family_name": "Gabler",
    "birthdate": "1964-08-12",
    "email": "erika@example.org",
    "email_verified": True,
    "nationalities": ["DE"],
    "place_of_birth": {"country": "DE", "locality": "Berlin"},
}
DEFAULT_USERINFO = {
    "address": {"street_address": "Obere Königsstraße 8", "postal_code": "34117", "locality": "Kassel"},
}


def generate_key(kid: str = "op-key-1") -> RSAKey:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "use": "sig", "alg": "RS256"})


def s256(verifier: str) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(verifier.encode("ascii")).digest()).rstrip(b"=").decode()


class FakeOIDCProvider(FakeServer):
    name = "fake-oidc"

    def __init__(self, *, client_id: str = CLIENT_ID, client_secret: str = CLIENT_SECRET) -> None:
        super().__init__()
        self.client_id = client_id
        self.client_secret = client_secret
        self.signing_key = generate_key()
        self.keys = KeySet([self.signing_key])
        self.auth_method = "client_secret_basic"
        self.subject = SUBJECT
        self.claims: dict[str, Any] = dict(DEFAULT_CLAIMS)
        self.userinfo: dict[str, Any] = dict(DEFAULT_USERINFO)
        self.userinfo_subject: str | None = None  # another sub in the userinfo answer
        self.acr = ACR_SUBSTANTIAL
        self.deny = ""
        self.id_token_claims: dict[str, Any] = {}
        self.id_token_header: dict[str, Any] = {}
        self.sign_id_token: Callable[[dict, dict], str] | None = None
        self.down = False
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.token_errors: list[str] = []
        self._codes: dict[str, dict[str, Any]] = {}
        self._access_tokens: dict[str, str] = {}

    # --- lifecycle ----------------------------------------------------------------------

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                fake._handle(self, "GET")

            def do_POST(self) -> None:
                fake._handle(self, "POST")

        return Handler

    @property
    def issuer(self) -> str:
        return self.url if self._server is not None else ""

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def discovery(self) -> dict[str, Any]:
        return {
            "issuer": self.issuer,
            "authorization_endpoint": f"{self.issuer}/authorize",
            "token_endpoint": f"{self.issuer}/token",
            "jwks_uri": f"{self.issuer}/jwks",
            "userinfo_endpoint": f"{self.issuer}/userinfo",
            "response_types_supported": ["code"],
            "subject_types_supported": ["pairwise"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
            "token_endpoint_auth_methods_supported": [self.auth_method],
            "acr_values_supported": list(ACR_MAP),
            "authorization_response_iss_parameter_supported": True,
        }

    # --- HTTP ---------------------------------------------------------------------------

    def _handle(self, handler: BaseHTTPRequestHandler, method: str) -> None:
        if self.down:
            return self._send(handler, 503, {"error": "temporarily_unavailable"})
        url = urlsplit(handler.path)
        query = dict(parse_qsl(url.query))
        routes = {
            ("GET", "/.well-known/openid-configuration"): lambda: self._send(handler, 200, self.discovery()),
            ("GET", "/jwks"): lambda: self._send(handler, 200, self.keys.as_dict(private=False)),
            ("GET", "/authorize"): lambda: self._authorize(handler, query),
            ("POST", "/token"): lambda: self._token(handler),
            ("GET", "/userinfo"): lambda: self._userinfo(handler),
        }
        route = routes.get((method, url.path))
        if route is None:
            return self._send(handler, 404, {"error": "not_found"})
        return route()

    @staticmethod
    def _send(handler: BaseHTTPRequestHandler, status: int, body: Any, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        handler.send_header("Cache-Control", "no-store")
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.end_headers()
        handler.wfile.write(data)

    @staticmethod
    def _redirect(handler: BaseHTTPRequestHandler, location: str) -> None:
        handler.send_response(302)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def _authorize(self, handler: BaseHTTPRequestHandler, query: dict[str, str]) -> None:
        self.authorize_requests.append(query)
        problems = []
        if query.get("response_type") != "code":
            problems.append("response_type")
        if query.get("client_id") != self.client_id:
            problems.append("client_id")
        if not query.get("redirect_uri", "").startswith(("http://", "https://")):
            problems.append("redirect_uri")
        if "openid" not in query.get("scope", "").split():
            problems.append("scope")
        if query.get("code_challenge_method") != "S256" or len(query.get("code_challenge", "")) != 43:
            problems.append("pkce")
        if problems:
            # A real OP shows an error page rather than redirecting to an unchecked URI.
            return self._send(handler, 400, {"error": "invalid_request", "error_description": ",".join(problems)})
        params: dict[str, str] = {}
        if self.deny:
            params = {"error": self.deny, "error_description": "The user cancelled."}
        else:
            code = secrets.token_urlsafe(24)
            self._codes[code] = {
                "redirect_uri": query["redirect_uri"],
                "code_challenge": query["code_challenge"],
                "nonce": query.get("nonce"),
                "acr": self.acr,
                "claims": dict(self.claims),
                "issued": time.time(),
            }
            params["code"] = code
        if "state" in query:
            params["state"] = query["state"]
        params["iss"] = self.issuer
        separator = "&" if "?" in query["redirect_uri"] else "?"
        return self._redirect(handler, query["redirect_uri"] + separator + urlencode(params))

    def _client_authenticated(self, handler: BaseHTTPRequestHandler, form: dict[str, str]) -> bool:
        if self.auth_method == "client_secret_basic":
            header = handler.headers.get("Authorization", "")
            if not header.startswith("Basic ") or "client_secret" in form:
                return False
            try:
                user, _, password = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return False
            return unquote(user) == self.client_id and unquote(password) == self.client_secret
        if self.auth_method == "client_secret_post":
            return form.get("client_id") == self.client_id and form.get("client_secret") == self.client_secret
        return False

    def _token(self, handler: BaseHTTPRequestHandler) -> None:
        length = int(handler.headers.get("Content-Length") or 0)
        form = dict(parse_qsl(handler.rfile.read(length).decode()))
        self.token_requests.append(form)

        def refuse(status: int, error: str) -> None:
            self.token_errors.append(error)
            self._send(handler, status, {"error": error})

        if not self._client_authenticated(handler, form):
            return refuse(401, "invalid_client")
        if form.get("grant_type") != "authorization_code":
            return refuse(400, "unsupported_grant_type")
        grant = self._codes.pop(form.get("code", ""), None)  # a code is good once
        if grant is None or time.time() - grant["issued"] > 60:
            return refuse(400, "invalid_grant")
        if form.get("redirect_uri") != grant["redirect_uri"]:
            return refuse(400, "invalid_grant")
        if s256(form.get("code_verifier", "")) != grant["code_challenge"]:
            return refuse(400, "invalid_grant")
        access_token = secrets.token_urlsafe(24)
        self._access_tokens[access_token] = self.subject
        return self._send(
            handler,
            200,
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": self.id_token(grant),
            },
        )

    def id_token(self, grant: dict[str, Any]) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.issuer,
            "sub": self.subject,
            "aud": self.client_id,
            "iat": now,
            "exp": now + 300,
            "auth_time": now,
            "nonce": grant["nonce"],
            "acr": grant["acr"],
            **grant["claims"],
        }
        for name, value in self.id_token_claims.items():
            if value is None:
                claims.pop(name, None)
            else:
                claims[name] = value
        header = {"alg": "RS256", "kid": self.signing_key.kid, **self.id_token_header}
        if self.sign_id_token is not None:
            return self.sign_id_token(header, claims)
        return jwt.encode(header, claims, self.signing_key, algorithms=[header["alg"]])

    def _userinfo(self, handler: BaseHTTPRequestHandler) -> None:
        header = handler.headers.get("Authorization", "")
        subject = self._access_tokens.get(header.removeprefix("Bearer ")) if header.startswith("Bearer ") else None
        if subject is None:
            return self._send(handler, 401, {"error": "invalid_token"})
        return self._send(handler, 200, {**self.userinfo, "sub": self.userinfo_subject or subject})
