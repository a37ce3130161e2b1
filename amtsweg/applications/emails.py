"""The "continue later" email with the signed link back to a draft; the notifications module sends it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from amtsweg.notifications.kinds import EmailKind

from .models import Draft
from .services import draft_resume_token

if TYPE_CHECKING:
    from amtsweg.notifications.models import Notification


class DraftResumeLinkEmail(EmailKind):
    """The link is signed when the email is built, so it expires RESUME_LINK_MAX_AGE_HOURS after it was sent."""

    def build(self, *, notification: Notification, sealed: dict[str, str]) -> EmailMessage:
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
