"""Stand-ins for the outside mail server, as Django mail backends.

They fake the SMTP server's answers, not our code: the notifications module
runs unchanged and meets the same exceptions smtplib raises in production.
"""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend

UNREACHABLE_DOMAIN = "unreachable.example"


class DisconnectingSMTPBackend(BaseEmailBackend):
    """A mail server that is down: every connection drops."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class RecipientRefusingSMTPBackend(LocmemBackend):
    """A mail server that refuses recipients at one domain and delivers the rest to the test outbox."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        for message in email_messages:
            refused = {to: (550, b"5.1.1 mailbox unavailable") for to in message.to if to.endswith(UNREACHABLE_DOMAIN)}
            if refused:
                raise smtplib.SMTPRecipientsRefused(refused)
        return super().send_messages(email_messages)
