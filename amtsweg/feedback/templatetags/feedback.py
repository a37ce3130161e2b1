from typing import Any

from django import template
from django.urls import reverse

from amtsweg.feedback.tokens import survey_token_for

register = template.Library()


@register.simple_tag
def feedback_survey_url(submission: Any) -> str:
    """The survey's address with this submission's one-time link (answered once for the submission)."""
    return reverse("feedback:survey") + "?t=" + survey_token_for(submission=submission)
