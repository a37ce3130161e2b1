"""The "continue later" email with the signed link back to a draft.

Built here rather than in ``applications``, as the emails about a submission are: ``applications`` sits
below the notifications module and queues it through ``services.notify_draft_resume_link``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from amtsweg.applications.models import Draft
from amtsweg.applications.services import draft_resume_token

from .kinds import EmailKind

if TYPE_CHECKING:
    from .models import Notification


class DraftResumeLinkEmail(EmailKind):
    """The link is signed when the email is built, so it expires RESUME_LINK_MAX_AGE_HOURS after it was sent."""

    def build(self, *, notification: Notification, sealed: dict[str, str]) -> EmailMessage:
        assert notification.draft_id is not None, "a resume link is about a draft"
        draft = Draft.objects.select_related("service").get(pk=notification.draft_id)
        with translation.override(notification.language):
            path = reverse("applications:resume", kwargs={"token": draft_resume_token(draft=draft)})
            context = {
                "service": draft.service,
                "url": settings.PORTAL["base_url"].rstrip("/") + path,
                "hours": settings.RESUME_LINK_MAX_AGE_HOURS,
                "PORTAL": settings.PORTAL,
            }
            subject = _("Continue your application: %(service)s") % {"service": draft.service.name}
            body = render_to_string("applications/email/resume_link.txt", context)
        return EmailMessage(subject, body, to=[notification.to])
