"""The login link email; the notifications module sends it, with its outbox and retries."""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from amtsweg.core.i18n import language_or_default
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.kinds import EmailKind
from amtsweg.notifications.services import notification_queue

if TYPE_CHECKING:
    from amtsweg.notifications.models import Notification


def login_link_send(*, email: str, url: str, language: str | None) -> None:
    """Queue the login link to ``email``. The link (a signed login) is kept encrypted until it is sent."""
    notification_queue(
        kind=NotificationKind.LOGIN_LINK,
        to=email,
        language=language_or_default(language),
        occasion_of=uuid.uuid4(),  # every request sends a fresh link
        sealed={"url": url},
    )


class LoginLinkEmail(EmailKind):
    """About nothing we keep: the row (with the address) is deleted once the email is sent or given up."""

    forget_when_done = True

    def build(self, *, notification: Notification, sealed: dict[str, str]) -> EmailMessage:
        minutes = settings.IDENTITY["providers"]["email"]["max_age_minutes"]
        with translation.override(notification.language):
            body = render_to_string(
                "identity/email_link.txt", {"url": sealed["url"], "minutes": minutes, "PORTAL": settings.PORTAL}
            )
            subject = _("Your login link for the online services of %(city)s") % {"city": settings.PORTAL["city"]}
        return EmailMessage(subject, body, to=[notification.to])
