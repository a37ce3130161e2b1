"""Stand-ins for the outside mail server, as Django mail backends.

They fake the SMTP server's answers, not our code: the notifications module
runs unchanged and meets the same exceptions smtplib raises in production.
"""

import queue
import smtplib
import threading

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


class AcceptedThenDisconnectedBackend(LocmemBackend):
    """A mail server that accepts the message, then the connection drops before its "250 OK" reaches us.

    The email is delivered (the test outbox has it), yet the sender sees an error, as when a worker dies
    between the server's acceptance and the commit that marks the email sent.
    """

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        super().send_messages(email_messages)
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class HeldSMTPBackend(LocmemBackend):
    """A slow mail server: each message waits until the test calls ``release()``; ``arrivals`` gets one
    item per message that reached the server. Call ``reset()`` before use."""

    arrivals: queue.Queue[str] = queue.Queue()
    gate = threading.Event()

    @classmethod
    def reset(cls) -> type["HeldSMTPBackend"]:
        cls.arrivals = queue.Queue()
        cls.gate = threading.Event()
        return cls

    @classmethod
    def release(cls) -> None:
        cls.gate.set()

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        self.arrivals.put("message")
        if not self.gate.wait(timeout=60):
            raise smtplib.SMTPServerDisconnected("the test never released the held message")
        return super().send_messages(email_messages)
