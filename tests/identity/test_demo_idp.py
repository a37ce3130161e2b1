"""The demo identity provider under /demo-idp/: a real SAML IdP with BundID-shaped test persons.

It checks our service provider's signature, offers its test persons (a person
below the requested level can still be picked: our SP must refuse that), and
posts a signed, encrypted answer back. Runs on the live server, with a
cookie-keeping httpx client playing a browser without JavaScript.
"""

from __future__ import annotations

import base64
import datetime
import logging
import re
from pathlib import Path

import httpx
import pytest
from defusedxml.ElementTree import fromstring
from django.conf import settings as django_settings
from django.utils import timezone

from amtsweg.identity.demo_idp import idp
from amtsweg.identity.models import CitizenAccount
from tests.identity.saml_helpers import (
    SECURITY_LOG,
    assert_refused,
    demo_login,
    forms,
    resign,
    saml_xml,
    session_of,
    start_login,
    submit,
    verify_signature,
    without_signature,
    write_keypair,
)

NS = {
    "md": "urn:oasis:names:tc:SAML:2.0:metadata",
    "ds": "http://www.w3.org/2000/09/xmldsig#",
}
RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"


@pytest.fixture(scope="session")
def saml_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("saml")


@pytest.fixture(autouse=True)
def _keys_in_a_tmp_dir(settings, saml_dir):
    settings.VAR_DIR = saml_dir / "var"


@pytest.fixture
def browser(live_server):
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=30.0) as client:
        yield client


@pytest.fixture
def security_log(caplog):
    caplog.set_level(logging.INFO, logger=SECURITY_LOG)
    return caplog


def idp_cert() -> str:
    return str(Path(django_settings.VAR_DIR) / "identity" / "demo-idp.crt")


def post_request(browser: httpx.Client, xml: str) -> httpx.Response:
    return browser.post("/demo-idp/sso/", data={"SAMLRequest": base64.b64encode(xml.encode()).decode()})


def age(birth_date: str) -> int:
    born, today = datetime.date.fromisoformat(birth_date), timezone.localdate()
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


# --- the identity provider itself ----------------------------------------------------------


def test_its_metadata_is_signed_with_sha256_and_offers_sso_and_slo(browser, live_server):
    response = browser.get("/demo-idp/metadata/")
    assert response.status_code == 200
    root = fromstring(response.text)
    assert root.get("entityID") == f"{live_server.url}/demo-idp/metadata/"
    assert verify_signature(response.text, idp_cert(), "urn:oasis:names:tc:SAML:2.0:metadata:EntityDescriptor")
    assert root.find("ds:Signature/ds:SignedInfo/ds:SignatureMethod", NS).get("Algorithm") == RSA_SHA256
    assert not [a for a in re.findall(r'Algorithm="([^"]+)"', response.text) if "sha1" in a]
    descriptor = root.find("md:IDPSSODescriptor", NS)
    assert descriptor.get("WantAuthnRequestsSigned") == "true"
    assert {e.get("Location") for e in descriptor.findall("md:SingleSignOnService", NS)} == {
        f"{live_server.url}/demo-idp/sso/"
    }
    assert {e.get("Location") for e in descriptor.findall("md:SingleLogoutService", NS)} == {
        f"{live_server.url}/demo-idp/slo/"
    }


def test_it_shows_the_level_asked_for_and_every_test_person_with_a_label(browser):
    started = start_login(browser, level="substantial")
    page = browser.get(submit(browser, started, "SAMLRequest").headers["location"])
    assert page.status_code == 200
    html = page.text
    assert "Stadt Kassel" in html  # the OrganizationDisplayName from our request
    for person in idp.persons():
        assert person.name in html and person.bpk2 not in html
    radios = re.findall(r'<input class="kern-form-check__radio" id="([^"]+)" name="person"', html)
    assert len(radios) == len(idp.persons())
    for radio in radios:
        assert f'<label class="kern-label" for="{radio}">' in html
    assert "<legend" in html and "<fieldset" in html
    english = browser.get("/en/demo-idp/anmelden/").text
    assert english.count("<strong>below the level needed</strong>") == 1  # the basic person only
    empty = browser.post(page.url, data={"csrfmiddlewaretoken": browser.cookies.get("csrftoken")})
    assert empty.status_code == 400 and 'href="#id_person"' in empty.text


def test_it_speaks_english_on_the_english_pages(browser):
    started = start_login(browser, level="high")
    submit(browser, started, "SAMLRequest")
    page = browser.get("/en/demo-idp/anmelden/")
    assert page.status_code == 200
    assert "Who do you want to log in as?" in page.text
    assert '<html lang="en"' in page.text


def test_an_unsigned_authn_request_is_refused(browser):
    xml = saml_xml(start_login(browser).text, "SAMLRequest")
    response = post_request(browser, without_signature(xml))
    assert response.status_code == 400
    assert "demo_idp_request" not in session_of(browser)


def test_an_authn_request_signed_by_another_key_is_refused(browser, saml_dir):
    xml = saml_xml(start_login(browser).text, "SAMLRequest")
    key, cert = write_keypair(saml_dir / "attacker", "attacker")
    response = post_request(browser, resign(without_signature(xml), key_file=key, cert_file=cert))
    assert response.status_code == 400
    assert "demo_idp_request" not in session_of(browser)


def test_an_authn_request_changed_after_signing_is_refused(browser):
    xml = saml_xml(start_login(browser, level="high").text, "SAMLRequest")
    response = post_request(browser, xml.replace("STORK-QAA-Level-4", "STORK-QAA-Level-1"))
    assert response.status_code == 400


def test_without_an_open_request_there_is_nothing_to_pick(browser):
    assert browser.get("/demo-idp/anmelden/").status_code == 400


def test_it_is_not_there_when_switched_off(browser, settings):
    settings.IDENTITY = {**settings.IDENTITY, "demo_idp": False}
    assert browser.get("/demo-idp/metadata/").status_code == 404
    assert browser.post("/demo-idp/sso/", data={"SAMLRequest": "x"}).status_code == 404


# --- the test persons, through our service provider ------------------------------------------


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("kassel-minor", {"given_names": "Leon", "town": "Kassel", "nationality": "DE", "document_type": "ID"}),
        ("kassel-foreign", {"given_names": "Amira", "town": "Kassel", "nationality": "SYR", "document_type": "AT"}),
        ("other-city", {"given_names": "Jonas", "town": "Göttingen", "postcode": "37073", "document_type": "ID"}),
    ],
)
def test_each_high_level_person_logs_in_with_their_data(browser, person, expected):
    response = demo_login(browser, level="high", person=person)
    assert response.status_code == 302, response.text[:1000]
    identity = session_of(browser)["identity"]
    assert identity["trust_level"] == "high"
    assert identity["subject"] == idp.person(person).bpk2
    assert {key: identity[key] for key in expected} == expected
    if person == "kassel-minor":
        assert age(identity["birth_date"]) == 16


def test_the_basic_person_logs_in_where_basic_is_enough(browser):
    response = demo_login(browser, level="basic", person="basic")
    assert response.status_code == 302
    identity = session_of(browser)["identity"]
    assert identity["trust_level"] == "basic"
    assert (identity["given_names"], identity["birth_date"], identity["town"]) == ("Paula", "", "")


def test_the_basic_person_is_refused_when_high_was_asked_for(browser, security_log):
    response = demo_login(browser, level="high", person="basic")
    assert_refused(response, browser, security_log, "lower than the requested")


def test_cancelling_at_the_identity_provider_logs_nobody_in(browser, security_log):
    started = start_login(browser, level="high")
    page = browser.get(submit(browser, started, "SAMLRequest").headers["location"])
    back = submit(browser, page, "csrfmiddlewaretoken", action="cancel")
    assert back.status_code == 200
    response = submit(browser, back, "SAMLResponse")
    assert_refused(response, browser, security_log, "did not log the citizen in")


def test_each_answer_is_used_once(browser, security_log):
    started = start_login(browser, level="high")
    page = browser.get(submit(browser, started, "SAMLRequest").headers["location"])
    back = submit(browser, page, "csrfmiddlewaretoken", person="kassel-adult")
    assert submit(browser, back, "SAMLResponse").status_code == 302
    CitizenAccount.objects.all().delete()

    again = submit(browser, back, "SAMLResponse")  # the same answer, posted a second time
    assert_refused(again, browser, security_log, "no login was started here")


def test_a_logout_request_must_be_signed(browser):
    demo_login(browser, level="high", person="kassel-adult")
    browser.get("/abmelden/")
    to_idp = browser.post("/abmelden/", data={"csrfmiddlewaretoken": browser.cookies.get("csrftoken")})
    xml = saml_xml(to_idp.text, "SAMLRequest")
    unsigned = base64.b64encode(without_signature(xml).encode()).decode()
    response = browser.post("/demo-idp/slo/", data={"SAMLRequest": unsigned})
    assert response.status_code == 400
    assert not [form for form in forms(response.text) if "SAMLResponse" in form["fields"]]
