"""Every page is sent with a strict Content-Security-Policy, and no template brings back what it forbids.

The policy (amtsweg/settings/csp.py) lets scripts and styles come from our own origin only: no inline
script, no inline style, no eval. The header is checked on pages of each kind (citizen, staff, payment,
identity, error); the template scan keeps inline scripts, event handler attributes and style attributes
out of the pages. The browser tests (tests/browser) check that Chromium reports no violation.
"""

import re
from pathlib import Path

import httpx
import pytest
from django.test import Client

from tests.accounts.factories import StaffFactory
from tests.identity.saml_helpers import start_login, submit
from tests.payments.test_flow import fill_meldebescheinigung
from tests.payments.test_flow import submit as submit_application

ROOT = Path(__file__).resolve().parents[1]
UNSAFE = {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "*", "data:", "blob:", "http:", "https:"}


def policy_of(response) -> dict[str, list[str]]:
    """The enforced Content-Security-Policy header, parsed into directives and their sources."""
    header = response.headers.get("Content-Security-Policy", "")
    assert header, f"no Content-Security-Policy on {getattr(response, 'url', '')} ({response.status_code})"
    policy: dict[str, list[str]] = {}
    for part in header.split(";"):
        name, *sources = part.split()
        assert name not in policy, f"{name} twice in {header}"
        policy[name] = sources
    return policy


def assert_strict(response) -> None:
    policy = policy_of(response)
    assert policy["default-src"] == ["'self'"]
    for directive in ("script-src", "style-src"):
        sources = policy.get(directive, policy["default-src"])
        assert "'self'" in sources
        assert not UNSAFE & set(sources), f"{directive} {sources}"
        assert not [s for s in sources if s.startswith("'nonce-")], f"{directive} has a nonce no page needs"
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"][0] == "'self'"
    assert "Content-Security-Policy-Report-Only" not in response.headers


# --- the header on every kind of page -----------------------------------------------------------------


@pytest.mark.django_db
def test_the_start_page_and_a_form_step_are_sent_with_a_strict_policy(client, forms, demo_register):
    assert_strict(client.get("/"))
    fill_meldebescheinigung(client)
    step = client.get("/antrag/meldebescheinigung/schritt/certificate/")
    assert step.status_code == 200 and "Meldebescheinigung" in step.content.decode()
    assert_strict(step)


@pytest.mark.django_db
def test_a_cached_public_page_keeps_the_policy(client, forms):
    first = client.get("/leistungen/")
    again = client.get("/leistungen/")
    assert again.headers.get("X-Amtsweg-Cache") == "hit"
    assert policy_of(again) == policy_of(first)


@pytest.mark.django_db
def test_the_staff_inbox_and_the_admin_are_sent_with_a_strict_policy(client):
    client.force_login(StaffFactory(is_superuser=True))
    inbox = client.get("/intern/")
    assert inbox.status_code == 200
    assert_strict(inbox)
    admin = client.get("/intern/admin/catalogue/service/add/")
    assert admin.status_code == 200
    assert_strict(admin)


@pytest.mark.django_db
def test_the_pay_page_and_the_demo_payment_provider_are_sent_with_a_strict_policy(
    client, forms, settings, tmp_path, demo_register
):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    fill_meldebescheinigung(client)
    pay_url = submit_application(client)["Location"]
    pay = client.get(pay_url)
    assert pay.status_code == 200
    assert_strict(pay)
    provider_url = client.post(pay_url, {"method": "card"})["Location"]
    provider = client.get(provider_url)
    assert provider.status_code == 200 and "Demo-Zahlungsanbieter" in provider.content.decode()
    assert_strict(provider)


@pytest.mark.django_db
def test_the_error_pages_are_sent_with_a_strict_policy(client):
    missing = client.get("/gibt-es-nicht/")
    assert missing.status_code == 404
    assert_strict(missing)


@pytest.mark.django_db
def test_a_form_sent_without_its_security_token_gets_our_page_under_the_policy(db):
    refused = Client(enforce_csrf_checks=True).post("/anmelden/email/", {"email": "erika@example.org"})
    assert refused.status_code == 403
    assert_strict(refused)
    page = refused.content.decode()
    assert "Ihr Formular konnte nicht gesendet werden" in page and "css/amtsweg.css" in page
    assert "<style" not in page


@pytest.fixture
def saml_browser(live_server, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"  # the demo keys are made in a tmp dir
    with httpx.Client(base_url=live_server.url, follow_redirects=False, timeout=30.0) as client:
        yield client


@pytest.mark.django_db(transaction=True)
def test_the_login_pages_and_the_demo_identity_provider_are_sent_with_a_strict_policy(saml_browser, kassel):
    choice = saml_browser.get("/anmelden/")
    assert choice.status_code == 200
    assert_strict(choice)
    to_idp = start_login(saml_browser, level="high")  # "One moment, please": posts the request to the IdP
    assert_strict(to_idp)
    at_idp = submit(saml_browser, to_idp, "SAMLRequest")
    select = saml_browser.get(at_idp.headers["location"])
    assert select.status_code == 200 and "Demo-Identitätsanbieter" in select.text
    assert_strict(select)
    back = submit(saml_browser, select, "csrfmiddlewaretoken", person="kassel-adult")
    assert back.status_code == 200 and "SAMLResponse" in back.text
    assert_strict(back)


# --- what forms may lead to ------------------------------------------------------------------------


@pytest.mark.django_db
def test_demo_providers_are_this_site_so_forms_lead_nowhere_else(client):
    assert policy_of(client.get("/"))["form-action"] == ["'self'"]


# --- the templates -----------------------------------------------------------------------------------

TEMPLATE_DIRS = sorted({p for p in (ROOT / "amtsweg").rglob("templates") if p.is_dir()})
# Templates that are never served as a web page, so the page's policy does not apply to them.
NOT_PAGES = {
    "notifications/": "emails: mail programs ignore stylesheets, so emails carry their styles inline; the "
    "development mailbox (notifications/mailbox/) shows their text only",
    "documents/": "PDFs rendered by WeasyPrint, never served as HTML",
    "civil_status/pdf/": "PDFs rendered by WeasyPrint, never served as HTML",
    "residents/pdf/": "PDFs rendered by WeasyPrint, never served as HTML",
    "immigration/pdf/": "PDFs rendered by WeasyPrint, never served as HTML",
    "vehicles/pdf/": "PDFs rendered by WeasyPrint, never served as HTML",
}
PAGES_AFTER_ALL = ("notifications/mailbox/",)
# Inline scripts or styles that a page really needs carry the request's nonce ({% csp_nonce_attr %},
# with CSP.NONCE in the policy and the csp context processor) and are listed here with the reason.
NONCE_EXCEPTIONS: dict[str, str] = {}

FORBIDDEN = {
    "inline <script>": re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>", re.IGNORECASE),
    "<style> block": re.compile(r"<style\b", re.IGNORECASE),
    "style attribute": re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL),
    "event handler attribute": re.compile(r"<[a-z][^>]*\son[a-z]+\s*=", re.IGNORECASE | re.DOTALL),
    "javascript: URL": re.compile(r"javascript:", re.IGNORECASE),
}


def page_templates() -> list[tuple[str, Path]]:
    found = []
    for directory in TEMPLATE_DIRS:
        for path in sorted(directory.rglob("*.html")):
            name = path.relative_to(directory).as_posix()
            if name.startswith(tuple(NOT_PAGES)) and not name.startswith(PAGES_AFTER_ALL):
                continue
            found.append((name, path))
    return found


def forbidden_in(text: str) -> list[str]:
    return [what for what, pattern in FORBIDDEN.items() if pattern.search(text)]


def test_the_template_scan_finds_what_it_looks_for():
    assert forbidden_in("<script>document.forms[0].submit()</script>") == ["inline <script>"]
    assert forbidden_in('<script src="/static/js/x.js" defer></script>') == []
    assert forbidden_in("<style>p { color: red }</style>") == ["<style> block"]
    assert forbidden_in('<div class="a"\n  style="display: flex">') == ["style attribute"]
    assert forbidden_in('<button type="button" onclick="go()">') == ["event handler attribute"]
    assert forbidden_in('<a href="javascript:history.back()">') == ["javascript: URL"]
    assert forbidden_in('<p class="kern-body">Es ist style="x" und onclick=… im Text.</p>') == []
    names = [name for name, _path in page_templates()]
    assert "base.html" in names and "notifications/mailbox/detail.html" in names
    assert "notifications/layout.html" not in names and "documents/payment_receipt.html" not in names


def test_no_page_template_has_inline_script_or_style():
    problems = {}
    for name, path in page_templates():
        text = path.read_text()
        if name in NONCE_EXCEPTIONS:
            assert "csp_nonce_attr" in text, f"{name} is an exception but uses no nonce"
            continue
        if found := forbidden_in(text):
            problems[name] = found
    assert problems == {}, "move scripts to amtsweg/static/js and styles to amtsweg/static/css/amtsweg.css"
