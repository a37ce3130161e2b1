"""Links that open a submission's status page without typing the access code."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from .models import Submission
from .selectors import STATUS_SALT


def status_token(submission: Submission) -> str:
    return signing.dumps(str(submission.uuid), salt=STATUS_SALT)


def status_url(submission: Submission, *, absolute: bool = True) -> str:
    with translation.override(submission.language or settings.LANGUAGE_CODE):
        path = reverse("applications:status_link", kwargs={"token": status_token(submission)})
    if not absolute:
        return path
    return settings.PORTAL.get("base_url", "http://127.0.0.1:8000").rstrip("/") + path
