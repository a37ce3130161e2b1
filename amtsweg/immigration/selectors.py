"""Reads of the immigration office's contact form: the receipt of an extension request (§ 81 Abs. 4 AufenthG).

A residence permit whose extension is applied for before it expires counts as continuing until the office
decides (§ 81 Abs. 4 Satz 1 AufenthG, the "Fiktionswirkung"); an online request has that effect from its
receipt. So a request about an extension or a Fiktionsbescheinigung with an expiry date gets a receipt at
once: timely when the permit was still valid on the day the request arrived (the expiry day itself counts),
late otherwise. A late request keeps nothing in force: the office may order that the permit continues, to
avoid undue hardship (§ 81 Abs. 4 Satz 3 AufenthG).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from amtsweg.core import dates

from .constants import SERVICE, TOPICS_WITH_RECEIPT


@dataclass(frozen=True)
class Receipt:
    """What the receipt says: when the request arrived, about which permit, and whether it was in time."""

    reference: str
    received_at: datetime.datetime  # the submission's time, in the portal's time zone (Europe/Berlin)
    permit_expiry: datetime.date
    topic: str

    @property
    def timely(self) -> bool:
        """Received on or before the permit's last day of validity."""
        return self.received_at.date() <= self.permit_expiry


def receipt_for(*, submission: Any) -> Receipt | None:
    """The receipt of the submission, or None when it is not an extension request with an expiry date."""
    if submission.service.slug != SERVICE:
        return None
    answers = submission.answers or {}
    topic = answers.get("topic")
    expiry = dates.parse_iso_date(answers.get("permit_expiry"))
    if topic not in TOPICS_WITH_RECEIPT or expiry is None or submission.submitted_at is None:
        return None
    return Receipt(
        reference=submission.reference,
        received_at=timezone.localtime(submission.submitted_at),
        permit_expiry=expiry,
        topic=str(topic),
    )
