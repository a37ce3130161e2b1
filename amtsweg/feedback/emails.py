"""The raffle winner's email; the notifications module sends it, with its outbox and retries."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone, translation

from amtsweg.notifications.emails import email_render
from amtsweg.notifications.kinds import EmailKind

from .models import RaffleEntry

if TYPE_CHECKING:
    from amtsweg.notifications.models import Notification


class RaffleWonEmail(EmailKind):
    """ "You have won": sent once to each winner who left an email address, in the entry's language."""

    def wanted(self, *, notification: Notification) -> bool:
        if notification.raffle_entry_id is None:
            return False
        entry = RaffleEntry.objects.filter(pk=notification.raffle_entry_id).first()
        return entry is not None and entry.won and bool(entry.email) and entry.notified_at is None

    def build(self, *, notification: Notification, sealed: dict[str, str]) -> EmailMultiAlternatives:
        assert notification.raffle_entry_id is not None, "a winner's email is about a raffle entry"
        entry = RaffleEntry.objects.select_related("campaign").get(pk=notification.raffle_entry_id)
        with translation.override(notification.language):
            rendered = email_render(
                name="feedback_raffle_won",
                language=notification.language,
                context={
                    "city": settings.PORTAL["city"],
                    "hotline": settings.PORTAL.get("hotline", "115"),
                    "campaign": entry.campaign,
                    "prize": entry.campaign.prize,
                    "code": entry.code,
                    "delete_on": entry.campaign.contact_data_delete_on,
                    "for_citizen": False,
                    "raffle_notice": True,
                },
            )
        return rendered.message(to=notification.to)

    def sent(self, *, notification: Notification) -> None:
        if notification.raffle_entry_id is None:
            return
        RaffleEntry.objects.filter(pk=notification.raffle_entry_id).update(notified_at=timezone.now())
