"""The OpenID Connect plugin against a fake OP over real HTTP (see fake_oidc.py), on the live server.

A browser is played by an httpx client that keeps cookies: it opens the login page, starts the OIDC
login (POST /anmelden/oidc/start/), follows the redirect to the fake OP, which sends it straight back
to our callback with a code, and the callback logs the citizen in. The attacks end on the error page.
"""

from __future__ import annotations

import base64
import copy
import json
import logging
import time
from collections.abc import Callable
from importlib import import_module
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import httpx
import pytest
from django.conf import settings as django_settings
from joserfc import jwt
from joserfc.jwk import OctKey

from amtsweg.identity.base import IdentityRejected
from amtsweg.identity.contrib.oidc import plugin
from amtsweg.identity.contrib.oidc.plugin import OIDCProvider, split_street
from amtsweg.identity.models import CitizenAccount
from amtsweg.identity.registry import registry
from tests.identity.fake_oidc import (
    ACR_BASIC,
    ACR_HIGH,
    ACR_MAP,
    ACR_SUBSTANTIAL,
    CLIENT_SECRET,
    SUBJECT,
    FakeOIDCProvider,
    generate_key,
)

SECURITY_LOG = "amtsweg.identity.security"


@pytest.fixture
def op(settings):
    """A fake OP on 127.0.0.1 (random port), with our settings pointing at it and OIDC the only login."""
    fake = FakeOIDCProvider().start()
    identity = copy.deepcopy(settings.IDENTITY)
    identity["enabled"] = ["oidc"]
    identity["providers"]["oidc"] = {
        "discovery_url": fake.discovery_url,
        "client_id": fake.client_id,
        "client_secret": fake.client_secret,
        "scope": "openid profile email address",
        "acr_map": dict(ACR_MAP),
        "display_name": "Servicekonto Test",
        "timeout_seconds": 3.0,
    }
    settings.IDENTITY = identity
    yield fake
    fake.stop()


@pytest.fixture
def browser(live_server):
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=10.0) as client:
        yield client


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    return caplog


def start(browser: httpx.Client, *, level: str = "substantial", next_url: str = "/mein-amtsweg/") -> httpx.Response:
    """Open the login page (for the CSRF cookie) and press the OIDC button."""
    page = browser.get("/anmelden/", params={"level": level, "next": next_url})
    assert page.status_code == 200
    assert "/anmelden/oidc/start/" in page.text
    token = browser.cookies.get(django_settings.CSRF_COOKIE_NAME)
    return browser.post(
        "/anmelden/oidc/start/",
        data={"level": level, "next": next_url, "csrfmiddlewaretoken": token},
        headers={"Referer": str(browser.base_url) + "/anmelden/"},
    )


def callback_url(browser: httpx.Client, op: FakeOIDCProvider, **kwargs) -> str:
    """Start a login and let the fake OP answer; the callback URL it sends the browser to."""
    started = start(browser, **kwargs)
    assert started.status_code == 302, started.text[:500]
    assert started.headers["location"].startswith(f"{op.issuer}/authorize?")
    at_op = browser.get(started.headers["location"])
    assert at_op.status_code == 302, at_op.text
    return at_op.headers["location"]


def log_in(
    browser: httpx.Client, op: FakeOIDCProvider, *, tamper: Callable[[str], str] | None = None, **kwargs
) -> httpx.Response:
    url = callback_url(browser, op, **kwargs)
    if tamper is not None:
        url = tamper(url)
    return browser.get(url)


def with_params(url: str, **changes: str | None) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return urlunsplit(parts._replace(query=urlencode(query)))


def session_of(browser: httpx.Client) -> dict:
    key = browser.cookies.get(django_settings.SESSION_COOKIE_NAME)
    if not key:
        return {}
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    return dict(store(session_key=key).load()) if store().exists(key) else {}


def assert_refused(response: httpx.Response, browser: httpx.Client, log, reason: str) -> None:
    assert response.status_code == 403, response.text[:500]
    assert "identity" not in session_of(browser)
    assert "identity_pending" not in session_of(browser)
    assert not CitizenAccount.objects.exists()
    messages = [r.getMessage() for r in log.records if r.name == SECURITY_LOG]
    assert any(reason in message for message in messages), messages


# --- the whole login ---------------------------------------------------------------------


@pytest.mark.parametrize("auth_method", ["client_secret_basic", "client_secret_post"])
def test_login_puts_the_normalised_identity_into_a_new_session(op, browser, live_server, auth_method):
    op.auth_method = auth_method
    url = callback_url(browser, op, level="substantial", next_url="/mein-amtsweg/")
    session_before = browser.cookies.get(django_settings.SESSION_COOKIE_NAME)
    assert session_of(browser)["identity_pending"]["provider"] == "oidc"

    response = browser.get(url)

    assert response.status_code == 302
    assert response.headers["location"] == "/mein-amtsweg/"
    session_after = browser.cookies.get(django_settings.SESSION_COOKIE_NAME)
    assert session_after and session_after != session_before
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    assert not store().exists(session_before)  # the pre-login session id is worthless now
    identity = session_of(browser)["identity"]
    assert {key: identity[key] for key in identity if key not in ("account", "login_at", "seen_at")} == {
        "provider": "oidc",
        "subject": SUBJECT,
        "trust_level": "substantial",
        "given_names": "Erika",
        "family_name": "Mustermann",
        "birth_name": "Gabler",
        "birth_date": "1964-08-12",
        "place_of_birth": "Berlin",
        "nationality": "DE",
        "street": "Obere Königsstraße",  # from the userinfo endpoint
        "house_number": "8",
        "postcode": "34117",
        "town": "Kassel",
        "document_type": "",
        "email": "erika@example.org",
    }
    assert "identity_pending" not in session_of(browser)
    account = CitizenAccount.objects.get(provider="oidc", subject=SUBJECT)
    assert identity["account"] == str(account.uuid) and account.email == "erika@example.org"

    # What the OP was asked: the level by acr (everything that reaches it), PKCE, nonce, our callback.
    asked = op.authorize_requests[-1]
    assert asked["acr_values"] == f"{ACR_SUBSTANTIAL} {ACR_HIGH}"
    assert asked["redirect_uri"] == f"{live_server.url}/anmelden/oidc/callback/"
    assert asked["code_challenge_method"] == "S256" and asked["nonce"] and asked["state"]
    assert asked["scope"].split()[0] == "openid"
    assert op.token_errors == []
    assert op.token_requests[-1]["code_verifier"]


def test_a_higher_level_than_requested_is_fine(op, browser):
    op.acr = ACR_HIGH
    response = log_in(browser, op, level="basic", next_url="/")
    assert response.status_code == 302
    assert session_of(browser)["identity"]["trust_level"] == "high"
    assert op.authorize_requests[-1]["acr_values"] == f"{ACR_BASIC} {ACR_SUBSTANTIAL} {ACR_HIGH}"


def test_the_redirect_uri_has_no_language_prefix(op, browser, live_server):
    browser.get("/en/")  # reading the English pages
    callback_url(browser, op)
    assert op.authorize_requests[-1]["redirect_uri"] == f"{live_server.url}/anmelden/oidc/callback/"


def test_the_op_keys_rotate(op, browser, live_server, monkeypatch):
    assert log_in(browser, op).status_code == 302  # the JWKS is cached now
    monkeypatch.setattr(plugin, "JWKS_REFRESH_SECONDS", 0)
    op.signing_key = generate_key("op-key-2")
    op.keys.keys.append(op.signing_key)
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=10.0) as other:
        assert log_in(other, op).status_code == 302


# --- attacks and refusals: the error page, nobody logged in, a log entry --------------------


def _other_key_same_kid(op: FakeOIDCProvider) -> None:
    forger = generate_key(op.signing_key.kid)
    op.sign_id_token = lambda header, claims: jwt.encode(header, claims, forger, algorithms=["RS256"])


def _other_key_unknown_kid(op: FakeOIDCProvider) -> None:
    forger = generate_key("forger")
    op.sign_id_token = lambda header, claims: jwt.encode(
        {**header, "kid": "forger"}, claims, forger, algorithms=["RS256"]
    )


def _unsigned(op: FakeOIDCProvider) -> None:
    def sign(header: dict, claims: dict) -> str:
        def part(data: dict) -> str:
            return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()

        return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."

    op.sign_id_token = sign


def _hs256_with_client_secret(op: FakeOIDCProvider) -> None:
    secret = OctKey.import_key(CLIENT_SECRET.encode())
    op.sign_id_token = lambda header, claims: jwt.encode(
        {"alg": "HS256", "typ": "JWT"}, claims, secret, algorithms=["HS256"]
    )


def _expired(op: FakeOIDCProvider) -> None:
    now = int(time.time())
    op.id_token_claims = {"iat": now - 900, "exp": now - 600, "auth_time": now - 900}


def _setattr(name: str, value) -> Callable[[FakeOIDCProvider], None]:
    return lambda op: setattr(op, name, value)


ATTACKS = {
    "wrong nonce": (_setattr("id_token_claims", {"nonce": "forged-nonce"}), "nonce"),
    "no nonce": (_setattr("id_token_claims", {"nonce": None}), "nonce"),
    "bad signature (another key, same kid)": (_other_key_same_kid, "does not verify"),
    "bad signature (another key, unknown kid)": (_other_key_unknown_kid, "does not verify"),
    "unsigned (alg none)": (_unsigned, "does not verify"),
    "HS256 with the client secret": (_hs256_with_client_secret, "does not verify"),
    "wrong audience": (_setattr("id_token_claims", {"aud": "another-client"}), "aud"),
    "foreign issuer": (_setattr("id_token_claims", {"iss": "https://evil.example"}), "iss"),
    "expired": (_expired, "expired"),
    "issued in the future": (_setattr("id_token_claims", {"iat": int(time.time()) + 3600}), "iat"),
    "acr lower than requested": (_setattr("acr", ACR_BASIC), "lower than the requested"),
    "unknown acr": (_setattr("acr", "urn:somebody:else"), "unknown level"),
    "no acr": (_setattr("id_token_claims", {"acr": None}), "unknown level"),
    "the citizen cancels": (_setattr("deny", "access_denied"), "access_denied"),
    "userinfo about somebody else": (_setattr("userinfo_subject", "pseudonym-0815"), "somebody else"),
}


@pytest.mark.parametrize("setup, reason", list(ATTACKS.values()), ids=list(ATTACKS))
def test_a_forged_or_unfit_answer_is_refused(op, browser, security_log, setup, reason):
    setup(op)
    response = log_in(browser, op, level="substantial")
    assert_refused(response, browser, security_log, reason)


TAMPERED_CALLBACKS = {
    "wrong state": (lambda url: with_params(url, state="forged-state"), "state does not match"),
    "no state": (lambda url: with_params(url, state=None), "state does not match"),
    "foreign iss (mix-up)": (lambda url: with_params(url, iss="https://evil.example"), "foreign issuer"),
    "no code": (lambda url: with_params(url, code=None), "no authorization code"),
    "a forged code": (lambda url: with_params(url, code="forged"), "refused the code"),
}


@pytest.mark.parametrize("tamper, reason", list(TAMPERED_CALLBACKS.values()), ids=list(TAMPERED_CALLBACKS))
def test_a_tampered_callback_is_refused(op, browser, security_log, tamper, reason):
    response = log_in(browser, op, tamper=tamper)
    assert_refused(response, browser, security_log, reason)


def test_a_stolen_callback_url_is_worthless_in_another_browser(op, browser, live_server, security_log):
    url = callback_url(browser, op)
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=10.0) as attacker:
        attacker.get("/")
        response = attacker.get(url)
        assert_refused(response, attacker, security_log, "no login was started here")
    # The code was not spent by the attacker's attempt, but it is good for this login only.
    assert browser.get(url).status_code == 302


def test_a_callback_is_good_once(op, browser, security_log):
    url = callback_url(browser, op)
    assert browser.get(url).status_code == 302
    browser.cookies.clear()
    response = browser.get(url)
    assert response.status_code == 403


@pytest.mark.parametrize("how", ["unreachable", "503"])
def test_an_op_that_is_down_at_discovery_shows_the_error_page(op, browser, security_log, how):
    if how == "unreachable":
        op.stop()
    else:
        op.down = True
    response = start(browser)
    reason = "cannot be fetched" if how == "unreachable" else "answered HTTP 503"
    assert_refused(response, browser, security_log, reason)


def test_an_op_that_goes_down_before_the_token_exchange_shows_the_error_page(op, browser, security_log):
    url = callback_url(browser, op)
    op.stop()
    response = browser.get(url)
    assert_refused(response, browser, security_log, "token endpoint cannot be reached")


def test_hs256_is_accepted_only_when_configured(op, browser, settings):
    settings.IDENTITY["providers"]["oidc"]["id_token_algorithms"] = ["RS256", "HS256"]
    _hs256_with_client_secret(op)
    assert log_in(browser, op).status_code == 302


# --- the plugin on its own -----------------------------------------------------------------


def test_enabled_only_with_discovery_url_and_client_id():
    assert not OIDCProvider({}).enabled()
    assert not OIDCProvider({"discovery_url": "https://op.example/.well-known/openid-configuration"}).enabled()
    assert OIDCProvider({"discovery_url": "https://op.example/x", "client_id": "c"}).enabled()
    assert "oidc" in registry


def test_check_configuration_lists_what_is_missing():
    assert OIDCProvider({}).check_configuration(production=True) == [
        "OIDC: discovery_url is not set.",
        "OIDC: client_id is not set.",
        "OIDC: client_secret is not set.",
        "OIDC: acr_map is empty, so no login can reach a trust level.",
    ]
    config = {
        "discovery_url": "http://op.example/.well-known/openid-configuration",
        "client_id": "c",
        "client_secret": "s",
        "acr_map": {"urn:a": "high", "urn:b": "gold"},
        "id_token_algorithms": ["RS256", "none"],
    }
    assert OIDCProvider(config).check_configuration(production=True) == [
        "OIDC: acr_map maps 'urn:b' to 'gold', which is no login trust level.",
        "OIDC: id_token_algorithms lists 'none'; unsigned ID tokens are always refused.",
        "OIDC: discovery_url must use https in production.",
    ]
    config["acr_map"] = {"urn:a": "high"}
    config["id_token_algorithms"] = ["RS256"]
    assert OIDCProvider(config).check_configuration(production=False) == []


def test_the_provider_reaches_the_highest_mapped_level_and_asks_by_acr():
    provider = OIDCProvider({"acr_map": {"urn:low": "basic", "urn:mid": "substantial"}, "display_name": "X"})
    assert provider.max_level == "substantial"
    assert str(provider.verbose_name) == "X"
    assert provider.acr_values("basic") == ["urn:low", "urn:mid"]
    assert provider.acr_values("substantial") == ["urn:mid"]
    assert provider.acr_values("high") == []


def test_algorithms_never_include_none_nor_hs_without_a_secret():
    assert OIDCProvider({}).algorithms == ["RS256", "ES256"]
    assert OIDCProvider({"id_token_algorithms": ["none", "HS256"]}).algorithms == ["RS256", "ES256"]
    assert OIDCProvider({"id_token_algorithms": "RS256,HS256", "client_secret": "s"}).algorithms == ["RS256", "HS256"]


@pytest.mark.parametrize(
    "street_address, expected",
    [
        ("Obere Königsstraße 8", ("Obere Königsstraße", "8")),
        ("Straße des 17. Juni 135", ("Straße des 17. Juni", "135")),
        ("Hauptstr. 12a", ("Hauptstr.", "12a")),
        ("Am Markt 3-5", ("Am Markt", "3-5")),
        ("Hauptstraße 12 b", ("Hauptstraße", "12 b")),
        ("12 Main Street", ("12 Main Street", "")),
        ("Marktplatz", ("Marktplatz", "")),
        ("", ("", "")),
    ],
)
def test_split_street(street_address, expected):
    assert split_street(street_address) == expected


@pytest.mark.parametrize("born", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_a_birth_date_no_living_person_can_have_is_left_out(born):
    provider = OIDCProvider({"acr_map": {"urn:x": "basic"}})
    identity = provider.identity_from_claims({"sub": "s", "acr": "urn:x", "birthdate": born})
    assert identity.subject == "s" and identity.birth_date == ""


def test_claims_map_conservatively():
    provider = OIDCProvider({"acr_map": {"urn:x": "basic"}})
    identity = provider.identity_from_claims(
        {
            "sub": "s",
            "acr": "urn:x",
            "birthdate": "0000-08-12",
            "email": "erika@example.org",
            "email_verified": False,
            "nationality": "de",
            "place_of_birth": "Kassel",
            "address": {"street_address": "Marktplatz", "postal_code": "34117", "locality": "Kassel"},
        }
    )
    assert (identity.birth_date, identity.email, identity.nationality) == ("", "", "DE")
    assert (identity.place_of_birth, identity.street, identity.house_number) == ("Kassel", "Marktplatz", "")
    with pytest.raises(IdentityRejected, match="unknown level"):
        provider.identity_from_claims({"sub": "s", "acr": "urn:y"})
