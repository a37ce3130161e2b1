"""BundID login over SAML, on the live server, as a browser without JavaScript goes through it.

The whole way runs against our demo identity provider (a real pysaml2 IdP under
/demo-idp/). The attacks run against ``TestIdP`` (tests/identity/saml_helpers.py):
our service provider trusts its metadata, and it forges answers with pysaml2 and
its own keys. Every refused answer ends on the error page (403) with nobody
logged in and a line in the security log.
"""

from __future__ import annotations

import copy
import datetime
import logging
import os
import re
from importlib import import_module
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import httpx
import pytest
from defusedxml.ElementTree import fromstring
from django.conf import settings as django_settings
from saml2.sigver import RSACrypto, verify_redirect_signature

from amtsweg.identity.contrib.bundid import saml
from amtsweg.identity.contrib.bundid.keys import generated_keypair
from amtsweg.identity.contrib.bundid.saml import split_street
from amtsweg.identity.models import CitizenAccount
from amtsweg.identity.registry import registry
from tests.identity.saml_helpers import (
    ERIKA,
    SECURITY_LOG,
    TestIdP,
    assert_refused,
    csrf,
    form_with,
    replace_text,
    request_id,
    saml_xml,
    security_messages,
    session_of,
    start_login,
    submit,
    verify_signature,
)

NS = {
    "samlp": "urn:oasis:names:tc:SAML:2.0:protocol",
    "saml": "urn:oasis:names:tc:SAML:2.0:assertion",
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
    "alg": "urn:oasis:names:tc:SAML:metadata:algsupport",
    "akdb": "https://www.akdb.de/request/2018/09",
    "ui": "https://www.akdb.de/request/2018/09/classic-ui/v1",
}
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256"
RSA_SHA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
SHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"


@pytest.fixture(scope="session")
def saml_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("saml")


@pytest.fixture(autouse=True)
def _keys_in_a_tmp_dir(settings, saml_dir):
    """Demo keys are made once per test run, in a tmp dir rather than var/."""
    settings.VAR_DIR = saml_dir / "var"


@pytest.fixture
def browser(live_server):
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=30.0) as client:
        yield client


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    return caplog


@pytest.fixture
def test_idp(settings, live_server, saml_dir, tmp_path):
    """BundID replaced by TestIdP's metadata; the portal's base URL is the live server's."""
    idp = TestIdP(saml_dir / "test-idp")
    metadata = tmp_path / "idp-metadata.xml"
    metadata.write_text(idp.metadata())
    identity = copy.deepcopy(settings.IDENTITY)
    identity["enabled"] = ["bundid"]
    identity["providers"]["bundid"] = {
        **identity["providers"]["bundid"],
        "idp_metadata_file": str(metadata),
        "idp_metadata_url": "",
        "online_service_id": "BMI-TEST-4711",
        "organization_display_name": "Stadt Kassel",
    }
    settings.IDENTITY = identity
    settings.PORTAL = {**settings.PORTAL, "base_url": live_server.url}
    return idp


def start_login_redirect(browser: httpx.Client) -> httpx.Response:
    browser.get("/anmelden/", params={"level": "high", "next": "/"})
    return browser.post(
        "/anmelden/bundid/start/", data={"level": "high", "next": "/", "csrfmiddlewaretoken": csrf(browser)}
    )


def cert_body_of(pem: str) -> str:
    return "".join(line for line in pem.splitlines() if not line.startswith("-----"))


def sp_cert() -> str:
    return str(Path(django_settings.VAR_DIR) / "identity" / "bundid-sp.crt")


def algorithms(xml: str) -> list[str]:
    return re.findall(r'Algorithm="([^"]+)"', xml)


def answer(browser: httpx.Client, idp: TestIdP, live_server, *, level: str = "high", **forged) -> httpx.Response:
    """Start a login at ``level``, let TestIdP answer it (as ``forged`` says), post the answer to our ACS."""
    started = start_login(browser, level=level)
    arguments = {
        "in_response_to": request_id(started),
        "audience": f"{live_server.url}/anmelden/bundid/metadata/",
        "recipient": f"{live_server.url}/anmelden/bundid/acs/",
        **forged,
    }
    return browser.post("/anmelden/bundid/acs/", data={"SAMLResponse": idp.response(**arguments)})


# --- the whole way, through the demo identity provider -------------------------------------


def test_citizen_logs_in_at_level_high_through_the_demo_identity_provider(browser, live_server):
    started = start_login(browser, level="high", next_url="/mein-amtsweg/")
    assert form_with(started.text, "SAMLRequest")["action"] == f"{live_server.url}/demo-idp/sso/"
    assert "Weiter" in started.text or "Continue" in started.text  # works without JavaScript

    at_idp = submit(browser, started, "SAMLRequest")
    assert at_idp.status_code == 302, at_idp.text[:1000]
    page = browser.get(at_idp.headers["location"])
    assert page.status_code == 200 and "Erika Mustermann" in page.text
    back = submit(browser, page, "csrfmiddlewaretoken", person="kassel-adult")
    assert back.status_code == 200, back.text[:1000]
    assert form_with(back.text, "SAMLResponse")["action"] == f"{live_server.url}/anmelden/bundid/acs/"
    sent = saml_xml(back.text, "SAMLResponse")
    assert "EncryptedAssertion" in sent and "Mustermann" not in sent  # encrypted to our metadata's key

    session_before = browser.cookies.get(django_settings.SESSION_COOKIE_NAME)
    done = submit(browser, back, "SAMLResponse")

    assert done.status_code == 302, done.text[:1000]
    assert done.headers["location"] == "/mein-amtsweg/"
    session_after = browser.cookies.get(django_settings.SESSION_COOKIE_NAME)
    assert session_after and session_after != session_before
    store = import_module(django_settings.SESSION_ENGINE).SessionStore
    assert not store().exists(session_before)  # the session id rotated
    identity = session_of(browser)["identity"]
    assert {key: identity[key] for key in identity if key not in ("account", "login_at", "seen_at")} == {
        "provider": "bundid",
        "subject": "DEMO-BPK2-0001-ERIKA-MUSTERMANN",
        "trust_level": "high",
        "given_names": "Erika",
        "family_name": "Mustermann",
        "birth_name": "Gabler",
        "birth_date": "1984-08-12",
        "place_of_birth": "Berlin",
        "nationality": "DE",
        "street": "Friedrich-Ebert-Straße",
        "house_number": "12",
        "postcode": "34117",
        "town": "Kassel",
        "document_type": "ID",
        "email": "erika.mustermann@example.org",
    }
    account = CitizenAccount.objects.get(provider="bundid", subject="DEMO-BPK2-0001-ERIKA-MUSTERMANN")
    assert identity["account"] == str(account.uuid)
    assert browser.get("/mein-amtsweg/").status_code == 200


def test_single_logout_goes_through_the_demo_identity_provider_and_back(browser, live_server, security_log):
    started = start_login(browser, level="high", next_url="/")
    page = browser.get(submit(browser, started, "SAMLRequest").headers["location"])
    submit(browser, submit(browser, page, "csrfmiddlewaretoken", person="kassel-adult"), "SAMLResponse")
    assert session_of(browser)["identity"]["provider"] == "bundid"

    browser.get("/abmelden/")
    to_idp = browser.post("/abmelden/", data={"csrfmiddlewaretoken": browser.cookies.get("csrftoken")})
    assert to_idp.status_code == 200, to_idp.text[:1000]
    assert form_with(to_idp.text, "SAMLRequest")["action"] == f"{live_server.url}/demo-idp/slo/"
    logout_request = saml_xml(to_idp.text, "SAMLRequest")
    assert RSA_SHA256 in algorithms(logout_request) and not {RSA_SHA1, SHA1} & set(algorithms(logout_request))
    assert "identity" not in session_of(browser)  # logged out here before going to the IdP

    back = submit(browser, to_idp, "SAMLRequest")
    assert back.status_code == 200, back.text[:1000]
    assert form_with(back.text, "SAMLResponse")["action"] == f"{live_server.url}/anmelden/bundid/slo/"
    done = submit(browser, back, "SAMLResponse")
    assert done.status_code == 302 and done.headers["location"] == "/"
    assert "identity" not in session_of(browser)
    assert not [m for m in security_messages(security_log) if "logout" in m]


def test_an_answer_posted_without_the_session_cookie_is_bounced_through_our_own_form(live_server, test_idp):
    """BundID posts cross-site; SameSite=Lax keeps our cookie back. Our own form posts it again, with the cookie."""
    response = httpx.post(f"{live_server.url}/anmelden/bundid/acs/", data={"SAMLResponse": "PHNhbWw+"}, timeout=30)
    assert response.status_code == 200
    form = form_with(response.text, "SAMLResponse")
    assert form["fields"] == {"SAMLResponse": "PHNhbWw+", "amtsweg_bounced": "1"}
    assert form["action"] == "/anmelden/bundid/acs/"


# --- what we send ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "stork"),
    [("basic", "STORK-QAA-Level-1"), ("substantial", "STORK-QAA-Level-3"), ("high", "STORK-QAA-Level-4")],
)
def test_the_authn_request_is_signed_with_sha256_and_asks_for_at_least_the_level(
    browser, live_server, test_idp, level, stork
):
    started = start_login(browser, level=level)
    form = form_with(started.text, "SAMLRequest")
    assert form["action"] == test_idp.sso_url
    xml = saml_xml(started.text, "SAMLRequest")
    root = fromstring(xml)

    signed_info = root.find("ds:Signature/ds:SignedInfo", NS)
    assert signed_info.find("ds:SignatureMethod", NS).get("Algorithm") == RSA_SHA256
    assert signed_info.find("ds:Reference/ds:DigestMethod", NS).get("Algorithm") == SHA256
    assert not {RSA_SHA1, SHA1} & set(algorithms(xml)) and not [a for a in algorithms(xml) if "sha1" in a]
    assert verify_signature(xml, sp_cert(), "urn:oasis:names:tc:SAML:2.0:protocol:AuthnRequest")

    context = root.find("samlp:RequestedAuthnContext", NS)
    assert context.get("Comparison") == "minimum"
    assert [ref.text for ref in context.findall("saml:AuthnContextClassRef", NS)] == [stork]

    assert root.get("AssertionConsumerServiceURL") == f"{live_server.url}/anmelden/bundid/acs/"
    assert root.get("Destination") == test_idp.sso_url
    assert root.find("saml:Issuer", NS).text == f"{live_server.url}/anmelden/bundid/metadata/"
    assert session_of(browser)["identity_pending"]["data"]["request_id"] == root.get("ID")


def test_the_redirect_binding_signs_the_query_with_sha256_and_the_demo_idp_checks_it(browser, live_server, settings):
    identity = copy.deepcopy(settings.IDENTITY)
    identity["providers"]["bundid"]["sso_binding"] = "redirect"
    settings.IDENTITY = identity
    started = start_login_redirect(browser)
    assert started.status_code == 302, started.text[:1000]
    location = started.headers["location"]
    assert location.startswith(f"{live_server.url}/demo-idp/sso/?")
    query = dict(parse_qsl(urlsplit(location).query))
    assert query["SigAlg"] == RSA_SHA256 and query["Signature"]
    with open(sp_cert()) as cert:
        assert verify_redirect_signature(query, RSACrypto(None), cert_body_of(cert.read()))

    for broken in ({**query, "SigAlg": RSA_SHA1}, {k: v for k, v in query.items() if k != "Signature"}):
        assert browser.get("/demo-idp/sso/", params=broken).status_code == 400

    at_idp = browser.get(location)
    assert at_idp.status_code == 302, at_idp.text[:1000]
    page = browser.get(at_idp.headers["location"])
    done = submit(browser, submit(browser, page, "csrfmiddlewaretoken", person="kassel-adult"), "SAMLResponse")
    assert done.status_code == 302
    assert session_of(browser)["identity"]["subject"] == "DEMO-BPK2-0001-ERIKA-MUSTERMANN"


def test_the_authn_request_carries_the_akdb_extension_with_attributes_and_display_information(browser, test_idp):
    xml = saml_xml(start_login(browser, level="substantial").text, "SAMLRequest")
    extension = fromstring(xml).find("samlp:Extensions/akdb:AuthenticationRequest", NS)
    assert extension is not None and extension.get("Version") == "2"
    requested = {
        element.get("Name"): element.get("RequiredAttribute")
        for element in extension.findall("akdb:RequestedAttributes/akdb:RequestedAttribute", NS)
    }
    assert requested == {
        "urn:oid:1.3.6.1.4.1.25484.494450.3": "true",  # bPK2
        "urn:oid:2.5.4.42": "false",
        "urn:oid:2.5.4.4": "false",
        "urn:oid:1.2.40.0.10.2.1.1.225566": "false",
        "urn:oid:1.2.40.0.10.2.1.1.55": "false",
        "urn:oid:1.3.6.1.5.5.7.9.2": "false",
        "urn:oid:1.2.40.0.10.2.1.1.225577": "false",
        "urn:oid:2.5.4.16": "false",
        "urn:oid:2.5.4.17": "false",
        "urn:oid:2.5.4.7": "false",
        "urn:oid:0.9.2342.19200300.100.1.3": "false",
        "urn:oid:1.2.40.0.10.2.1.1.552255": "false",
        "urn:oid:1.2.40.0.10.2.1.1.261.94": "true",  # the trust level
    }
    version = extension.find("akdb:DisplayInformation/ui:Version", NS)
    assert version.find("ui:OrganizationDisplayName", NS).text == "Stadt Kassel"
    assert version.find("ui:OnlineServiceId", NS).text == "BMI-TEST-4711"


def test_our_metadata_is_signed_with_sha256_and_names_absolute_endpoints(browser, live_server):
    response = browser.get("/en/anmelden/bundid/metadata/")  # even from an English page: no language prefix
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/samlmetadata+xml")
    xml = response.text
    root = fromstring(xml)
    assert root.get("entityID") == f"{live_server.url}/anmelden/bundid/metadata/"
    assert verify_signature(xml, sp_cert(), "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor")
    assert root.find("ds:Signature/ds:SignedInfo/ds:SignatureMethod", NS).get("Algorithm") == RSA_SHA256
    assert not [algorithm for algorithm in algorithms(xml) if "sha1" in algorithm]
    assert [e.get("Algorithm") for e in root.findall("md:Extensions/alg:SigningMethod", NS)] == [RSA_SHA256]
    descriptor = root.find("md:SPSSODescriptor", NS)
    assert descriptor.get("AuthnRequestsSigned") == "true"
    assert descriptor.find("md:AssertionConsumerService", NS).get("Location") == (
        f"{live_server.url}/anmelden/bundid/acs/"
    )
    assert {e.get("Location") for e in descriptor.findall("md:SingleLogoutService", NS)} == {
        f"{live_server.url}/anmelden/bundid/slo/"
    }
    assert {e.get("use") for e in descriptor.findall("md:KeyDescriptor", NS)} == {"signing", "encryption"}


# --- answers we accept ------------------------------------------------------------------------


def test_a_good_answer_logs_in_with_the_identity_by_bpk2(browser, live_server, test_idp):
    response = answer(browser, test_idp, live_server, level="high")
    assert response.status_code == 302, response.text[:1000]
    identity = session_of(browser)["identity"]
    assert identity["subject"] == "TEST-BPK2-ERIKA" and identity["trust_level"] == "high"
    assert (identity["street"], identity["house_number"]) == ("Obere Königsstraße", "8a")
    assert identity["nationality"] == "DE" and identity["birth_date"] == "1964-08-12"
    assert CitizenAccount.objects.get().subject == "TEST-BPK2-ERIKA"


@pytest.mark.parametrize(("sign_assertion", "sign_response"), [(True, False), (False, True)])
def test_a_signature_on_the_response_or_on_the_assertion_is_enough(
    browser, live_server, test_idp, sign_assertion, sign_response
):
    response = answer(browser, test_idp, live_server, sign_assertion=sign_assertion, sign_response=sign_response)
    assert response.status_code == 302, response.text[:1000]
    assert session_of(browser)["identity"]["subject"] == "TEST-BPK2-ERIKA"


def test_the_lower_of_class_ref_and_trust_level_attribute_counts(browser, live_server, test_idp):
    attributes = {**ERIKA, "urn:oid:1.2.40.0.10.2.1.1.261.94": "STORK-QAA-Level-3"}
    response = answer(browser, test_idp, live_server, level="basic", attributes=attributes)
    assert response.status_code == 302
    assert session_of(browser)["identity"]["trust_level"] == "substantial"


@pytest.mark.parametrize("born", ["9999-12-31", "00010101", "31.12.1899"])
def test_a_birth_date_no_living_person_can_have_is_left_out(browser, live_server, test_idp, born):
    attributes = {**ERIKA, "urn:oid:1.2.40.0.10.2.1.1.55": born}
    response = answer(browser, test_idp, live_server, attributes=attributes)
    assert response.status_code == 302
    identity = session_of(browser)["identity"]
    assert identity["subject"] == "TEST-BPK2-ERIKA" and identity["birth_date"] == ""


# --- answers we refuse ------------------------------------------------------------------------


def test_an_unsigned_answer_is_refused(browser, live_server, test_idp, security_log):
    response = answer(browser, test_idp, live_server, sign_assertion=False, sign_response=False)
    assert_refused(response, browser, security_log, "signature")


def test_an_answer_signed_by_a_foreign_key_is_refused(browser, live_server, test_idp, security_log):
    response = answer(browser, test_idp, live_server, foreign_key=True)
    assert_refused(response, browser, security_log, "signature")


def test_an_answer_changed_after_signing_is_refused(browser, live_server, test_idp, security_log):
    response = answer(browser, test_idp, live_server, tamper=replace_text("TEST-BPK2-ERIKA", "TEST-BPK2-MALLORY"))
    assert_refused(response, browser, security_log, "signature")


def test_an_answer_signed_with_sha1_is_refused(browser, live_server, test_idp, security_log):
    response = answer(browser, test_idp, live_server, sign_alg=RSA_SHA1, digest_alg=SHA1, sign_response=False)
    assert_refused(response, browser, security_log, "weak")


def test_an_answer_for_another_audience_is_refused(browser, live_server, test_idp, security_log):
    response = answer(browser, test_idp, live_server, audience="https://other-portal.example/saml/metadata")
    assert_refused(response, browser, security_log, "audience")


def test_an_expired_answer_is_refused(browser, live_server, test_idp, security_log):
    issued = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=20)
    response = answer(browser, test_idp, live_server, issued=issued)
    assert_refused(response, browser, security_log, "validity time")


def test_a_replayed_assertion_is_refused(browser, live_server, test_idp, security_log):
    first = answer(browser, test_idp, live_server, assertion_id="_assertion-seen-once")
    assert first.status_code == 302
    CitizenAccount.objects.all().delete()

    again = answer(browser, test_idp, live_server, assertion_id="_assertion-seen-once")
    assert_refused(again, browser, security_log, "replay")


def test_an_answer_to_a_request_we_never_sent_is_refused(browser, live_server, test_idp, security_log):
    response = answer(browser, test_idp, live_server, in_response_to="_a-request-we-never-sent")
    assert_refused(response, browser, security_log, "request we did not send")


def test_an_unsolicited_answer_is_refused(browser, live_server, test_idp, security_log):
    response = answer(browser, test_idp, live_server, in_response_to=None)
    assert_refused(response, browser, security_log, "request we did not send")


def test_an_answer_without_a_login_started_here_is_refused(browser, live_server, test_idp, security_log):
    forged = test_idp.response(
        in_response_to="_whatever",
        audience=f"{live_server.url}/anmelden/bundid/metadata/",
        recipient=f"{live_server.url}/anmelden/bundid/acs/",
    )
    browser.cookies.set(django_settings.SESSION_COOKIE_NAME, "x" * 32)  # a session without a pending login
    response = browser.post("/anmelden/bundid/acs/", data={"SAMLResponse": forged})
    assert_refused(response, browser, security_log, "no login was started here")


def test_a_lower_level_than_requested_is_refused(browser, live_server, test_idp, security_log):
    attributes = {**ERIKA, "urn:oid:1.2.40.0.10.2.1.1.261.94": "STORK-QAA-Level-1"}
    response = answer(
        browser, test_idp, live_server, level="high", attributes=attributes, class_ref="STORK-QAA-Level-1"
    )
    assert_refused(response, browser, security_log, "lower than the requested")


def test_an_answer_without_bpk2_is_refused(browser, live_server, test_idp, security_log):
    attributes = {name: value for name, value in ERIKA.items() if "494450.3" not in name}
    response = answer(browser, test_idp, live_server, attributes=attributes)
    assert_refused(response, browser, security_log, "bPK2")


# --- single logout asked for by the identity provider ---------------------------------------


def test_the_identity_provider_can_log_the_citizen_out(browser, live_server, test_idp, security_log):
    assert answer(browser, test_idp, live_server, name_id="nameid-erika").status_code == 302
    request = test_idp.logout_request(name_id="nameid-erika", destination=f"{live_server.url}/anmelden/bundid/slo/")
    response = browser.post("/anmelden/bundid/slo/", data={"SAMLRequest": request})
    assert response.status_code == 200, response.text[:1000]
    assert form_with(response.text, "SAMLResponse")["action"] == test_idp.slo_url
    xml = saml_xml(response.text, "SAMLResponse")
    assert "urn:oasis:names:tc:SAML:2.0:status:Success" in xml and RSA_SHA256 in algorithms(xml)
    assert "identity" not in session_of(browser)


@pytest.mark.parametrize("forgery", ["unsigned", "foreign key"])
def test_a_forged_logout_request_changes_nothing(browser, live_server, test_idp, security_log, forgery):
    assert answer(browser, test_idp, live_server, name_id="nameid-erika").status_code == 302
    request = test_idp.logout_request(
        name_id="nameid-erika",
        destination=f"{live_server.url}/anmelden/bundid/slo/",
        sign=forgery != "unsigned",
        foreign_key=forgery == "foreign key",
    )
    response = browser.post("/anmelden/bundid/slo/", data={"SAMLRequest": request})
    assert response.status_code == 400
    assert session_of(browser)["identity"]["subject"] == "TEST-BPK2-ERIKA"
    assert any("logout request refused" in message for message in security_messages(security_log))


def test_a_logout_request_for_someone_else_changes_nothing(browser, live_server, test_idp):
    assert answer(browser, test_idp, live_server, name_id="nameid-erika").status_code == 302
    request = test_idp.logout_request(name_id="nameid-max", destination=f"{live_server.url}/anmelden/bundid/slo/")
    response = browser.post("/anmelden/bundid/slo/", data={"SAMLRequest": request})
    assert "urn:oasis:names:tc:SAML:2.0:status:UnknownPrincipal" in saml_xml(response.text, "SAMLResponse")
    assert session_of(browser)["identity"]["subject"] == "TEST-BPK2-ERIKA"


# --- configuration and keys -------------------------------------------------------------------


def test_production_check_lists_what_is_missing(settings):
    settings.IDENTITY = {**settings.IDENTITY, "demo_idp": True}
    provider = registry.get(
        "bundid", config={"sp_key_file": "", "sp_cert_file": "", "xmlsec_binary": "/usr/bin/xmlsec1"}
    )
    problems = " | ".join(provider.check_configuration(production=True))
    for expected in (
        "BUNDID_SP_KEY_FILE",
        "BUNDID_IDP_METADATA_FILE",
        "BUNDID_SP_ENTITY_ID",
        "BUNDID_ONLINE_SERVICE_ID",
        "BUNDID_ORGANIZATION_DISPLAY_NAME",
        "AMTSWEG_BASE_URL",
        "demo identity provider",
    ):
        assert expected in problems


def test_production_check_passes_when_everything_is_set(settings, saml_dir, tmp_path):
    settings.IDENTITY = {**settings.IDENTITY, "demo_idp": False}
    settings.PORTAL = {**settings.PORTAL, "base_url": "https://service.kassel.example"}
    key, cert = generated_keypair(name="bundid-sp", common_name="test")
    metadata = tmp_path / "bundid.xml"
    metadata.write_text(TestIdP(saml_dir / "test-idp").metadata())
    config = {
        "sp_entity_id": "https://service.kassel.example/anmelden/bundid/metadata/",
        "sp_key_file": str(key),
        "sp_cert_file": str(cert),
        "idp_metadata_file": str(metadata),
        "online_service_id": "BMI-4711",
        "organization_display_name": "Stadt Kassel",
        "xmlsec_binary": "/usr/bin/xmlsec1",
    }
    assert registry.get("bundid", config=config).check_configuration(production=True) == []


def test_demo_keys_are_made_once_and_the_private_key_is_private(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    key, cert = generated_keypair(name="bundid-sp", common_name="test")
    assert key.parent == tmp_path / "identity"
    assert oct(os.stat(key).st_mode & 0o777) == "0o600"
    before = (key.read_bytes(), cert.read_bytes())
    assert generated_keypair(name="bundid-sp", common_name="test") == (key, cert)
    assert (key.read_bytes(), cert.read_bytes()) == before


def test_production_without_keys_does_not_make_any(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.DEMO_MODE = False
    with pytest.raises(saml.IdentityRejected):
        saml.sp_keypair({"sp_key_file": "", "sp_cert_file": ""})
    assert not (tmp_path / "identity").exists()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("Friedrich-Ebert-Straße 12", ("Friedrich-Ebert-Straße", "12")),
        ("Obere Königsstraße 8 a", ("Obere Königsstraße", "8a")),
        ("Am Weinberg 3-5", ("Am Weinberg", "3-5")),
        ("Straße des 17. Juni 100", ("Straße des 17. Juni", "100")),
        ("Hauptstraße", ("Hauptstraße", "")),
        ("", ("", "")),
    ],
)
def test_postal_address_splits_into_street_and_house_number(value, expected):
    assert split_street(value) == expected
