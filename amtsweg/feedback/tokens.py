"""Survey links and raffle tickets: signed, carrying a nonce, used once.

A survey link carries the service, the channel and a nonce derived from the
submission with a keyed hash. Every link for one submission (confirmation
page, emails, status page) has the same nonce, so it is answered once. The
nonce does not name the submission, and only ``SHA-256(nonce)`` is stored once
it is used (``UsedToken``), in a table that cannot be paired with responses.
"""

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import signing

SURVEY_SALT = "amtsweg.feedback.survey"
TICKET_SALT = "amtsweg.feedback.raffle-ticket"
ENTRY_SALT = "amtsweg.feedback.raffle-entry"
TICKET_MAX_AGE = 24 * 3600


@dataclass(frozen=True)
class SurveyLink:
    service_id: int | None
    channel: str
    nonce: str


@dataclass(frozen=True)
class RaffleTicket:
    campaign_id: int
    eligible: bool
    nonce: str
    reason: str = ""  # why not eligible: "idea" (no improvement idea) or "link" (general survey, no one-time link)


def _keyed(purpose: str, value: str) -> str:
    key = hashlib.sha256(f"amtsweg.feedback.{purpose}:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def nonce_digest(*, kind: str, nonce: str) -> str:
    """What is stored for a used link or ticket."""
    return hashlib.sha256(f"{kind}:{nonce}".encode()).hexdigest()


def survey_token_for(*, submission: Any) -> str:
    nonce = _keyed("survey-nonce", str(submission.uuid))[:32]
    return signing.dumps({"s": submission.service_id, "c": submission.channel, "n": nonce}, salt=SURVEY_SALT)


def survey_token_read(*, token: str) -> SurveyLink | None:
    """The link's content, or None when the token was not made by us."""
    try:
        data = signing.loads(token, salt=SURVEY_SALT)
        return SurveyLink(service_id=data.get("s"), channel=str(data["c"]), nonce=str(data["n"]))
    except (signing.BadSignature, KeyError, TypeError, AttributeError, ValueError):
        return None


def raffle_ticket_make(*, campaign_id: int, eligible: bool, reason: str = "") -> str:
    return signing.dumps({"c": campaign_id, "e": eligible, "n": secrets.token_hex(16), "r": reason}, salt=TICKET_SALT)


def raffle_ticket_read(*, ticket: str) -> RaffleTicket | None:
    try:
        data = signing.loads(ticket, salt=TICKET_SALT, max_age=TICKET_MAX_AGE)
        return RaffleTicket(
            campaign_id=int(data["c"]), eligible=bool(data["e"]), nonce=str(data["n"]), reason=str(data.get("r", ""))
        )
    except (signing.BadSignature, KeyError, TypeError, AttributeError, ValueError):
        return None


def entry_number_sign(*, code: str) -> str:
    return signing.dumps(code, salt=ENTRY_SALT)


def entry_number_read(*, value: str) -> str | None:
    try:
        return str(signing.loads(value, salt=ENTRY_SALT, max_age=TICKET_MAX_AGE))
    except signing.BadSignature:
        return None


def contact_hash(*, campaign_uuid: str, normalised: str) -> str:
    return _keyed("raffle-contact", f"{campaign_uuid}:{normalised}")
