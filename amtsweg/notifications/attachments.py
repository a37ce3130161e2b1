"""Files a service family attaches to the citizen's confirmation email, besides the summary PDF.

A family registers a function for its service's slug::

    @confirmation_attachments.register("zuwanderung-kontakt")
    def receipt(*, submission: Submission) -> list[Attachment]:
        ...  # e.g. the receipt of an extension request; [] when there is none

The function runs when the email is built (in the email's language), so nothing is stored for it. It reads
only: the email is built again when its sending is retried.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from amtsweg.core.registry import Registry


@dataclass(frozen=True)
class Attachment:
    title: str  # named in the email's text, in its language ("Your receipt")
    filename: str
    content: bytes
    mimetype: str = "application/pdf"


confirmation_attachments: Registry[Callable[..., list[Attachment]]] = Registry(
    kind="confirmation attachment", unique=False
)


def confirmation_attachments_for(*, submission: Any) -> list[Attachment]:
    """Every attachment the submission's service registers, in the order registered."""
    attachments: list[Attachment] = []
    for function in confirmation_attachments.entries(submission.service.slug):
        attachments.extend(function(submission=submission))
    return attachments
