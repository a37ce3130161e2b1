"""The development mailbox: emails kept as files and shown at ``/demo-postfach/`` instead of sent.

In development and demo mode nothing leaves the machine, yet a tester must be able to open the
link in a confirmation email. The console printed the emails among thousands of log lines, with
links broken by quoted-printable line ends. ``MailboxBackend`` keeps each message as an ``.eml``
file in ``settings.DEV_MAILBOX_DIR`` (the newest ``KEEP`` only: they hold test persons' data),
and the functions below read them back decoded for the mailbox page.
"""

from __future__ import annotations

import email
import email.policy
import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage as ParsedMessage
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend

KEEP = 200
_NAME = re.compile(r"^\d{8}T\d{12}Z-[0-9a-f]{32}\.eml$")


class MailboxBackend(BaseEmailBackend):
    """Writes each message to ``<folder>/<UTC time>-<random>.eml``; Django's MAILERS option ``folder``."""

    def __init__(self, *, folder: str | Path, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.folder = Path(folder)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        self.folder.mkdir(parents=True, exist_ok=True)
        for message in email_messages:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")
            (self.folder / f"{stamp}-{uuid.uuid4().hex}.eml").write_bytes(message.message().as_bytes())
        for old in sorted(self.folder.glob("*.eml"), reverse=True)[KEEP:]:
            old.unlink(missing_ok=True)
        return len(email_messages)


@dataclass(frozen=True)
class Attachment:
    number: int
    filename: str
    content_type: str
    size: int


@dataclass(frozen=True)
class MailboxEntry:
    name: str
    subject: str
    to: str
    sent_at: datetime | None
    text: str
    attachments: tuple[Attachment, ...]


def mailbox_folder() -> Path | None:
    """The folder, when the development mailbox is on (demo mode and a folder configured)."""
    folder = getattr(settings, "DEV_MAILBOX_DIR", None)
    return Path(folder) if folder and settings.DEMO_MODE else None


def _parse(path: Path) -> ParsedMessage:
    with path.open("rb") as file:
        return email.message_from_binary_file(file, policy=email.policy.default)


def _attachments(message: ParsedMessage) -> list[ParsedMessage]:
    return list(message.iter_attachments())


def _entry(path: Path, *, with_text: bool) -> MailboxEntry:
    message = _parse(path)
    try:
        sent_at = parsedate_to_datetime(str(message["Date"])) if message["Date"] else None
    except (TypeError, ValueError):
        sent_at = None
    body = message.get_body(preferencelist=("plain", "html")) if with_text else None
    return MailboxEntry(
        name=path.name,
        subject=str(message["Subject"] or ""),
        to=str(message["To"] or ""),
        sent_at=sent_at,
        text=body.get_content() if body is not None else "",
        attachments=tuple(
            Attachment(
                number=number,
                filename=part.get_filename() or f"anhang-{number}",
                content_type=part.get_content_type(),
                size=len(part.get_payload(decode=True) or b""),
            )
            for number, part in enumerate(_attachments(message), start=1)
        ),
    )


def mailbox_entries() -> list[MailboxEntry]:
    """The kept emails, newest first, without their text."""
    folder = mailbox_folder()
    if folder is None or not folder.is_dir():
        return []
    return [_entry(path, with_text=False) for path in sorted(folder.glob("*.eml"), reverse=True)]


def _path(name: str) -> Path | None:
    folder = mailbox_folder()
    if folder is None or not _NAME.match(name):  # a name from the URL, never a path
        return None
    path = folder / name
    return path if path.is_file() else None


def mailbox_entry(name: str) -> MailboxEntry | None:
    """One email with its text, or None for a name that is not in the mailbox."""
    path = _path(name)
    return None if path is None else _entry(path, with_text=True)


def mailbox_attachment(name: str, number: int) -> tuple[str, str, bytes] | None:
    """(file name, content type, bytes) of an email's attachment, counted from 1; None if there is none."""
    path = _path(name)
    if path is None:
        return None
    parts = _attachments(_parse(path))
    if not 1 <= number <= len(parts):
        return None
    part = parts[number - 1]
    data = part.get_payload(decode=True)
    return part.get_filename() or f"anhang-{number}", part.get_content_type(), data if isinstance(data, bytes) else b""
