"""Every email exists in every portal language, as plain text, HTML and subject."""

import pytest
from django.conf import settings
from django.template.loader import get_template

from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.kinds import EMAIL_KINDS

# The emails built from these templates; the others are built by their own modules (notifications.kinds).
BUILT_HERE = [kind for kind in NotificationKind.values if kind not in EMAIL_KINDS]


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
@pytest.mark.parametrize("kind", BUILT_HERE)
def test_every_email_has_text_html_and_subject_templates_in_every_language(kind, language):
    for name in (f"{kind}.{language}.txt", f"{kind}.{language}.html", f"{kind}_subject.{language}.txt"):
        get_template(f"notifications/{name}")
