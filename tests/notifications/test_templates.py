"""Every email exists in German and English, as plain text, HTML and subject; a further language (Turkish,
Arabic, ...) has the emails of the journey of the services that offer it (core.catalogues), and any other
email is sent in English."""

import pytest
from django.conf import settings
from django.template.loader import get_template

from amtsweg.core.catalogues import FURTHER_LANGUAGE_EMAILS
from amtsweg.core.i18n import further_language_codes
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.emails import email_language
from amtsweg.notifications.kinds import EMAIL_KINDS

# The emails built from these templates; the others are built by their own modules (notifications.kinds).
BUILT_HERE = [kind for kind in NotificationKind.values if kind not in EMAIL_KINDS]


def _templates(kind: str, language: str) -> tuple[str, ...]:
    return (f"{kind}.{language}.txt", f"{kind}.{language}.html", f"{kind}_subject.{language}.txt")


@pytest.mark.parametrize("language", settings.BASE_LANGUAGES)
@pytest.mark.parametrize("kind", BUILT_HERE)
def test_every_email_has_text_html_and_subject_templates_in_german_and_english(kind, language):
    for name in _templates(kind, language):
        get_template(f"notifications/{name}")


@pytest.mark.parametrize("language", further_language_codes())
@pytest.mark.parametrize("kind", FURTHER_LANGUAGE_EMAILS)
def test_the_journey_emails_are_written_in_every_further_language(kind, language):
    assert kind in BUILT_HERE
    for name in (*_templates(kind, language), f"header.{language}.html", f"footer.{language}.txt"):
        get_template(f"notifications/{name}")
    assert email_language(name=kind, language=language) == language


@pytest.mark.parametrize("language", further_language_codes())
def test_another_email_in_a_further_language_is_written_in_english(language):
    others = [kind for kind in BUILT_HERE if kind not in FURTHER_LANGUAGE_EMAILS]
    assert others  # e.g. the payment receipt
    for kind in others:
        assert email_language(name=kind, language=language) == "en"
