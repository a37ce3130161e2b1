"""The Standesamt's emails that the notifications module sends for it: the partner's own link of a notice of
marriage (``marriage.partner_link_send``). The token travels sealed with the notification and is blanked
once the email is sent."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from amtsweg.core.i18n import language_or_default
from amtsweg.notifications.kinds import EmailKind

if TYPE_CHECKING:
    from amtsweg.notifications.models import Notification


class PartnerLinkEmail(EmailKind):
    """To the partner: a link of their own to give their part of the notice of marriage."""

    def build(self, *, notification: Notification, sealed: dict[str, str]) -> EmailMessage:
        language = language_or_default(notification.language)
        submission = notification.submission
        assert submission is not None, "the partner's link belongs to a submission"
        expires = parse_datetime(sealed.get("expires_at", ""))
        with translation.override(language):
            path = reverse("civil_status:partner", kwargs={"token": sealed.get("token", "")})
            name = submission.answers.get("a_name") or {}
            context = {
                "PORTAL": settings.PORTAL,
                "applicant": " ".join(filter(None, [name.get("given_names"), name.get("family_name")])),
                "url": settings.PORTAL["base_url"].rstrip("/") + path,
                "expires": formats.date_format(timezone.localtime(expires), "DATE_FORMAT") if expires else "",
            }
            body = render_to_string("civil_status/email/partner_link.txt", context)
            subject = _("Notice of marriage: please give your details")
        return EmailMessage(subject, body, to=[notification.to], headers={"Auto-Submitted": "auto-generated"})
