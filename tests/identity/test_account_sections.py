"""Other apps' sections in Mein Amtsweg (identity/account.py)."""

import pytest

from amtsweg.identity.account import AccountSection, account_sections

from .helpers import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def section_template(settings, tmp_path):
    (tmp_path / "test_section.html").write_text('<p id="test-section">{{ section.text }}</p>', encoding="utf-8")
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], tmp_path]}]
    return "test_section.html"


def test_an_apps_section_is_shown_to_the_citizen_it_is_for(client, kassel, section_template):
    seen = []

    def blockings(*, request, identity, account):
        seen.append((identity.given_names, account))
        return AccountSection(template=section_template, context={"text": "Ihre Sperren"})

    def not_for_this_citizen(*, request, identity, account):
        return None

    account_sections.add("tests", not_for_this_citizen)
    account_sections.add("tests", blockings)
    try:
        account = log_in(client)
        html = client.get("/mein-amtsweg/").content.decode()
    finally:
        account_sections.remove("tests", blockings)
        account_sections.remove("tests", not_for_this_citizen)
    assert seen == [("Erika", account)]
    assert '<p id="test-section">Ihre Sperren</p>' in html
    assert html.index("Ihre Anträge") < html.index("test-section") < html.index("Ihr Konto")
