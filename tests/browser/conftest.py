"""Accessibility and Content-Security-Policy checks for the browser tests (the browser fixtures are in
tests/conftest.py).

axe-core comes from the npm registry (node_modules, via `make test`).
"""

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"


# Chromium's console message for anything the page's Content-Security-Policy blocks, with or without
# JavaScript: "Applying inline style violates the following Content Security Policy directive ...".
CSP_VIOLATION = "Content Security Policy"


@pytest.fixture(autouse=True)
def no_csp_violations(browser, monkeypatch):
    """Every browser test fails if Chromium reports a Content-Security-Policy violation on any page it opened.

    Each browser context the test opens (the page fixtures, a test's own context without JavaScript, the
    accessibility check's copy) reports its console messages here.
    """
    violations: list[str] = []
    new_context = browser.new_context

    def watched_context(*args, **kwargs):  # type: ignore[no-untyped-def]
        context = new_context(*args, **kwargs)

        def on_console(message) -> None:  # type: ignore[no-untyped-def]
            if CSP_VIOLATION in message.text:
                violations.append(f"{message.location.get('url')}: {message.text}")

        context.on("console", on_console)
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield violations
    assert violations == [], "\n".join(violations)


def axe_violations(page) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1 A and AA rules) on the current page."""
    if not AXE.exists():
        pytest.fail("axe-core is missing: run 'npm ci' (make test does)")
    # Evaluated through the browser's debugging protocol, which the page's Content-Security-Policy does
    # not restrict (a <script> with axe inline would be refused like any inline script). ";0" keeps the
    # script's last value from being sent back.
    page.evaluate(AXE.read_text() + "\n;0")
    tags = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]
    result = page.evaluate("async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]


def _axe_on_a_copy(page) -> list[dict]:
    """For a page in a context without JavaScript: check the same HTML in a scripted copy.

    The copy is opened on the same origin, so the page's styles load and colour
    contrast is checked too.
    """
    from urllib.parse import urlsplit

    origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
    context = page.context.browser.new_context(viewport=page.viewport_size)
    try:
        copy = context.new_page()
        copy.goto(origin + "/healthz")
        copy.set_content(page.content(), wait_until="load")
        return axe_violations(copy)
    finally:
        context.close()


def assert_accessible(page, *, exempt: dict[str, str] | None = None) -> None:
    """No axe-core violations; ``exempt`` maps a rule id to the reason it does not apply to this page."""
    # A page whose context runs no JavaScript (the journeys without it) is checked in a scripted copy.
    scripting = page.evaluate("matchMedia('(scripting: enabled)').matches")
    violations = axe_violations(page) if scripting else _axe_on_a_copy(page)
    violations = [v for v in violations if v["id"] not in (exempt or {})]
    assert violations == [], json.dumps(violations, indent=1, ensure_ascii=False)


def press_continue(page, heading="Einen Moment, bitte"):
    """Without JavaScript the SAML hand-over pages wait for the citizen to press "Weiter"."""
    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    page.get_by_role("button", name="Weiter").click()


def log_in_with_eid(page, person: str = "Erika Mustermann", *, check_pages: bool = False) -> None:
    """From the login page a "high" service sent the citizen to: the eID login through BundID (the demo
    identity provider, real SAML), back to where the citizen came from."""
    import re

    from playwright.sync_api import expect

    expect(page.get_by_role("heading", level=1)).to_have_text("Bitte melden Sie sich an")
    if check_pages:
        assert_accessible(page)
    page.get_by_role("button", name="Mit BundID anmelden").click()
    press_continue(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Demo-Identitätsanbieter")
    if check_pages:
        assert_accessible(page)
    page.get_by_label(re.compile(f"^{person}")).check()
    page.get_by_role("button", name="Weiter").click()
    press_continue(page, "Zurück zum Portal")
