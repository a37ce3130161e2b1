"""Helpers for the SAML tests: a cookie-keeping "browser" that follows forms, and a test identity provider.

``TestIdP`` has its own key pair (and a foreign one for forgeries) and builds
SAML Responses with pysaml2 exactly as the attack needs them: unsigned, signed
by the wrong key, for another audience, expired, replayed, unsolicited. Our
code is never mocked: the answers go over HTTP to the live server's ACS.
"""

from __future__ import annotations

import base64
import datetime
import re
import secrets
from collections.abc import Mapping
from html.parser import HTMLParser
from importlib import import_module
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import httpx
from django.conf import settings as django_settings
from saml2 import BINDING_HTTP_POST, class_name, saml, samlp
from saml2.config import Config, IdPConfig
from saml2.metadata import entity_descriptor
from saml2.s_utils import success_status_factory
from saml2.sigver import pre_signature_part, security_context, signed_instance_factory
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from amtsweg.identity.contrib.bundid.keys import self_signed

SECURITY_LOG = "amtsweg.identity.security"
XMLSEC = "/usr/bin/xmlsec1"

ERIKA = {
    "urn:oid:1.3.6.1.4.1.25484.494450.3": "TEST-BPK2-ERIKA",
    "urn:oid:2.5.4.42": "Erika",
    "urn:oid:2.5.4.4": "Mustermann",
    "urn:oid:1.2.40.0.10.2.1.1.225566": "Gabler",
    "urn:oid:1.2.40.0.10.2.1.1.55": "1964-08-12",
    "urn:oid:1.3.6.1.5.5.7.9.2": "Berlin",
    "urn:oid:1.2.40.0.10.2.1.1.225577": "D",
    "urn:oid:2.5.4.16": "Obere Königsstraße 8a",
    "urn:oid:2.5.4.17": "34117",
    "urn:oid:2.5.4.7": "Kassel",
    "urn:oid:0.9.2342.19200300.100.1.3": "erika@example.org",
    "urn:oid:1.2.40.0.10.2.1.1.552255": "ID",
    "urn:oid:1.2.40.0.10.2.1.1.261.94": "STORK-QAA-Level-4",
}


# --- a browser --------------------------------------------------------------------------


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append({**attributes, "fields": {}})
        elif tag == "input" and self.forms and attributes.get("name") and self._sent(attributes):
            self.forms[-1]["fields"][attributes["name"]] = attributes.get("value", "")

    @staticmethod
    def _sent(attributes: dict[str, str]) -> bool:
        return attributes.get("type") not in ("radio", "checkbox", "submit") or "checked" in attributes


def forms(html: str) -> list[dict[str, Any]]:
    parser = _Forms()
    parser.feed(html)
    return parser.forms


def form_with(html: str, field: str) -> dict[str, Any]:
    """The (first) form that has an input named ``field``."""
    for form in forms(html):
        if field in form["fields"]:
            return form
    raise AssertionError(f"no form with {field!r} in:\n{html[:3000]}")


def submit(browser: httpx.Client, page: httpx.Response, field: str, **data: str) -> httpx.Response:
    """Press the button of the form on ``page`` that has ``field``, as a browser without JavaScript would."""
    form = form_with(page.text, field)
    return browser.post(urljoin(str(page.url), form.get("action") or ""), data={**form["fields"], **data})


def saml_xml(html: str, field: str) -> str:
    return base64.b64decode(form_with(html, field)["fields"][field]).decode()


def csrf(browser: httpx.Client) -> str:
    return browser.cookies.get(django_settings.CSRF_COOKIE_NAME) or ""


def start_login(browser: httpx.Client, *, level: str = "high", next_url: str = "/mein-amtsweg/") -> httpx.Response:
    """Open the login page and press "Log in with BundID": the page that posts our AuthnRequest."""
    page = browser.get("/anmelden/", params={"level": level, "next": next_url})
    assert page.status_code == 200, page.text[:500]
    assert "/anmelden/bundid/start/" in page.text
    response = browser.post(
        "/anmelden/bundid/start/", data={"level": level, "next": next_url, "csrfmiddlewaretoken": csrf(browser)}
    )
    assert response.status_code == 200, response.text[:2000]
    return response


def request_id(started: httpx.Response) -> str:
    return samlp.authn_request_from_string(saml_xml(started.text, "SAMLRequest")).id


def demo_login(browser: httpx.Client, *, level: str, person: str, next_url: str = "/") -> httpx.Response:
    """Log in through the demo identity provider as ``person``: the ACS's answer."""
    started = start_login(browser, level=level, next_url=next_url)
    at_idp = submit(browser, started, "SAMLRequest")
    assert at_idp.status_code == 302, at_idp.text[:2000]
    page = browser.get(at_idp.headers["location"])
    assert page.status_code == 200, page.text[:2000]
    back = submit(browser, page, "csrfmiddlewaretoken", person=person)
    assert back.status_code == 200, back.text[:2000]
    return submit(browser, back, "SAMLResponse")


def session_of(browser: httpx.Client) -> dict:
    key = browser.cookies.get(django_settings.SESSION_COOKIE_NAME)
    if not key:
        return {}
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    return dict(store(session_key=key).load()) if store().exists(key) else {}


def security_messages(caplog: Any) -> list[str]:
    return [record.getMessage() for record in caplog.records if record.name == SECURITY_LOG]


def assert_refused(response: httpx.Response, browser: httpx.Client, caplog: Any, reason: str) -> None:
    """The error page, nobody logged in (no session identity, no account made) and ``reason`` in the log."""
    from amtsweg.identity.models import CitizenAccount

    assert response.status_code == 403, response.text[:1000]
    session = session_of(browser)
    assert "identity" not in session
    assert "identity_pending" not in session
    assert not CitizenAccount.objects.exists()
    messages = security_messages(caplog)
    assert any(reason in message for message in messages), messages


# --- keys -------------------------------------------------------------------------------


def write_keypair(directory: Path, name: str) -> tuple[str, str]:
    directory.mkdir(parents=True, exist_ok=True)
    key_path, cert_path = directory / f"{name}.key", directory / f"{name}.crt"
    if key_path.exists() and cert_path.exists():
        return str(key_path), str(cert_path)
    key_pem, cert_pem = self_signed(name, key_bits=2048, days=30)  # smaller and shorter-lived: faster to make
    key_path.write_bytes(key_pem)
    cert_path.write_bytes(cert_pem)
    return str(key_path), str(cert_path)


def verify_signature(xml: str, cert_file: str, node: str) -> bool:
    """Whether xmlsec1 accepts the enveloped signature of ``node`` (e.g. ``…:metadata:EntityDescriptor``)."""
    conf = Config()
    conf.xmlsec_binary = XMLSEC
    return bool(security_context(conf).verify_signature(xml, cert_file, node_name=node))


def resign(xml: str, *, key_file: str, cert_file: str) -> str:
    """An AuthnRequest signed anew with another key (RSA-SHA256), as an attacker without our key would."""
    message = samlp.authn_request_from_string(xml)
    conf = Config()
    conf.xmlsec_binary = XMLSEC
    conf.key_file, conf.cert_file = key_file, cert_file
    sec = security_context(conf)
    message.signature = pre_signature_part(
        message.id, sec.my_cert, 1, digest_alg=DIGEST_SHA256, sign_alg=SIG_RSA_SHA256
    )
    return signed_instance_factory(message, sec, [(class_name(message), message.id)])


def without_signature(xml: str) -> str:
    return re.sub(r"<(\w+:)?Signature[ >].*?</(\w+:)?Signature>", "", xml, flags=re.S)


def cert_body(cert_file: str) -> str:
    return "".join(line for line in Path(cert_file).read_text().splitlines() if not line.startswith("-----"))


# --- a test identity provider -------------------------------------------------------------


def _instant(moment: datetime.datetime) -> str:
    return moment.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class TestIdP:
    """An identity provider that exists only as metadata and a key: it forges answers for the tests."""

    __test__ = False  # not a test class
    entity_id = "https://idp.test.invalid/idp"
    sso_url = "https://idp.test.invalid/sso"
    slo_url = "https://idp.test.invalid/slo"

    def __init__(self, directory: Path) -> None:
        self.key_file, self.cert_file = write_keypair(directory, "test-idp")
        self.foreign_key_file, self.foreign_cert_file = write_keypair(directory, "foreign-idp")

    def metadata(self) -> str:
        config = IdPConfig()
        config.load(
            {
                "entityid": self.entity_id,
                "cert_file": self.cert_file,
                "key_file": self.key_file,
                "service": {
                    "idp": {
                        "endpoints": {
                            "single_sign_on_service": [(self.sso_url, BINDING_HTTP_POST)],
                            "single_logout_service": [(self.slo_url, BINDING_HTTP_POST)],
                        }
                    }
                },
            }
        )
        return str(entity_descriptor(config))

    def response(
        self,
        *,
        in_response_to: str | None,
        audience: str,
        recipient: str,
        attributes: Mapping[str, str] = ERIKA,
        class_ref: str = "STORK-QAA-Level-4",
        assertion_id: str | None = None,
        name_id: str | None = None,
        issued: datetime.datetime | None = None,
        lifetime: datetime.timedelta = datetime.timedelta(minutes=5),
        sign_assertion: bool = True,
        sign_response: bool = True,
        foreign_key: bool = False,
        sign_alg: str = SIG_RSA_SHA256,
        digest_alg: str = DIGEST_SHA256,
        tamper: Any = None,
    ) -> str:
        """A SAML Response (base64, as the POST binding carries it), signed as asked."""
        issued = issued or datetime.datetime.now(datetime.UTC)
        until = _instant(issued + lifetime)
        issuer = self.entity_id
        assertion = saml.Assertion(
            id=assertion_id or f"_a{secrets.token_hex(16)}",
            version="2.0",
            issue_instant=_instant(issued),
            issuer=saml.Issuer(text=issuer, format=saml.NAMEID_FORMAT_ENTITY),
            subject=saml.Subject(
                name_id=saml.NameID(format=saml.NAMEID_FORMAT_TRANSIENT, text=name_id or secrets.token_hex(8)),
                subject_confirmation=[
                    saml.SubjectConfirmation(
                        method=saml.SCM_BEARER,
                        subject_confirmation_data=saml.SubjectConfirmationData(
                            in_response_to=in_response_to, recipient=recipient, not_on_or_after=until
                        ),
                    )
                ],
            ),
            conditions=saml.Conditions(
                not_before=_instant(issued - datetime.timedelta(seconds=30)),
                not_on_or_after=until,
                audience_restriction=[saml.AudienceRestriction(audience=[saml.Audience(text=audience)])],
            ),
            authn_statement=[
                saml.AuthnStatement(
                    authn_instant=_instant(issued),
                    session_index=f"_s{secrets.token_hex(8)}",
                    authn_context=saml.AuthnContext(authn_context_class_ref=saml.AuthnContextClassRef(text=class_ref)),
                )
            ],
            attribute_statement=[
                saml.AttributeStatement(
                    attribute=[
                        saml.Attribute(
                            name=name,
                            name_format=saml.NAME_FORMAT_URI,
                            attribute_value=[saml.AttributeValue(text=value)],
                        )
                        for name, value in attributes.items()
                    ]
                )
            ],
        )
        response = samlp.Response(
            id=f"_r{secrets.token_hex(16)}",
            version="2.0",
            issue_instant=_instant(issued),
            destination=recipient,
            in_response_to=in_response_to,
            issuer=saml.Issuer(text=issuer, format=saml.NAMEID_FORMAT_ENTITY),
            status=success_status_factory(),
            assertion=[assertion],
        )
        sec = self._security(foreign_key)
        to_sign = []
        if sign_assertion:
            assertion.signature = pre_signature_part(
                assertion.id, sec.my_cert, 1, digest_alg=digest_alg, sign_alg=sign_alg
            )
            to_sign.append((class_name(assertion), assertion.id))
        if sign_response:
            response.signature = pre_signature_part(
                response.id, sec.my_cert, 2, digest_alg=digest_alg, sign_alg=sign_alg
            )
            to_sign.append((class_name(response), response.id))
        xml = signed_instance_factory(response, sec, to_sign) if to_sign else str(response)
        if not isinstance(xml, str):
            xml = xml.decode() if isinstance(xml, bytes) else str(xml)
        if tamper is not None:
            xml = tamper(xml)
        return base64.b64encode(xml.encode()).decode()

    def _security(self, foreign_key: bool) -> Any:
        conf = Config()
        conf.xmlsec_binary = XMLSEC
        conf.key_file = self.foreign_key_file if foreign_key else self.key_file
        conf.cert_file = self.foreign_cert_file if foreign_key else self.cert_file
        return security_context(conf)

    def logout_request(self, *, name_id: str, destination: str, sign: bool = True, foreign_key: bool = False) -> str:
        """An IdP-initiated LogoutRequest (base64, POST binding)."""
        message = samlp.LogoutRequest(
            id=f"_l{secrets.token_hex(16)}",
            version="2.0",
            issue_instant=_instant(datetime.datetime.now(datetime.UTC)),
            destination=destination,
            issuer=saml.Issuer(text=self.entity_id, format=saml.NAMEID_FORMAT_ENTITY),
            name_id=saml.NameID(format=saml.NAMEID_FORMAT_TRANSIENT, text=name_id),
        )
        xml = str(message)
        if sign:
            sec = self._security(foreign_key)
            message.signature = pre_signature_part(
                message.id, sec.my_cert, 1, digest_alg=DIGEST_SHA256, sign_alg=SIG_RSA_SHA256
            )
            xml = signed_instance_factory(message, sec, [(class_name(message), message.id)])
        return base64.b64encode(xml.encode()).decode()


def replace_text(old: str, new: str) -> Any:
    """A ``tamper`` function for ``TestIdP.response``."""
    return lambda xml: re.sub(re.escape(old), new, xml)
