"""Fairness against bots on the hold step: an ALTCHA proof of work, with a wait as the no-JavaScript fallback.

With JavaScript, the ALTCHA widget solves a signed challenge in the browser (a PBKDF2 search that takes
a phone a second or two) and posts the solution with the form. Without JavaScript, or with a screen
reader that the widget does not suit, the form still works: it carries a signed, single-use start
token, and the hold is accepted once the form has been open for a few seconds, which any person
filling in a name and an email address takes anyway. The fallback path has its own, lower rate
limit per IP address. Either proof can be used once only.

``APPOINTMENTS_PROOF_OF_WORK["enabled"] = False`` switches both off for a deployment.
"""

from __future__ import annotations

import datetime
import json
import secrets
from dataclasses import dataclass

import altcha
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

SALT = "amtsweg.appointments.proof"


def _config() -> dict:
    return settings.APPOINTMENTS_PROOF_OF_WORK


def proof_enabled() -> bool:
    return bool(_config()["enabled"])


def _secret(purpose: str) -> str:
    # Derived from SECRET_KEY, which production requires: no secret of its own to leave at a default.
    return salted_hmac(f"{SALT}.{purpose}", "altcha", algorithm="sha256").hexdigest()


def challenge_json(*, now: datetime.datetime | None = None) -> str:
    """A fresh signed challenge for the widget, as the JSON its ``challenge`` attribute takes."""
    config = _config()
    now = now or datetime.datetime.now(datetime.UTC)
    challenge = altcha.create_challenge(
        config["algorithm"],
        config["cost"],
        counter=secrets.randbelow(config["max_counter"]),
        expires_at=now + datetime.timedelta(seconds=config["expires_seconds"]),
        hmac_secret=_secret("challenge"),
        hmac_key_secret=_secret("key"),
    )
    return json.dumps(challenge.to_dict(), separators=(",", ":"))


def start_token() -> str:
    """The signed, timestamped token of the no-JavaScript path; the form carries it from the first view."""
    return signing.TimestampSigner(salt=f"{SALT}.start").sign(secrets.token_urlsafe(12))


@dataclass(frozen=True)
class ProofResult:
    ok: bool
    path: str = ""  # "altcha" or "wait"
    message: str = ""
    wait_seconds: int = 0


def _first_use(kind: str, key: str, seconds: int) -> bool:
    return cache.add(f"appt:proof:{kind}:{key}", 1, timeout=seconds)


def proof_check(*, altcha_payload: str, start: str) -> ProofResult:
    """Whether the posted form carries a proof: a verified ALTCHA solution, or a start token old enough.

    Does not consume anything when it fails, so the citizen can simply send the form again.
    """
    config = _config()
    if altcha_payload:
        try:
            result = altcha.verify_solution(altcha_payload[:4000], _secret("challenge"), hmac_key_secret=_secret("key"))
            verified = result.verified
        except (ValueError, TypeError, AttributeError, KeyError):
            verified = False
        if verified and _first_use("altcha", altcha_payload[-64:], config["expires_seconds"] + 60):
            return ProofResult(ok=True, path="altcha")
    try:
        nonce = signing.TimestampSigner(salt=f"{SALT}.start").unsign(start, max_age=config["start_max_age_seconds"])
    except signing.SignatureExpired:
        return ProofResult(
            ok=False, message=_("The form was open too long. Please check your details and send it again.")
        )
    except (signing.BadSignature, ValueError):
        return ProofResult(ok=False, message=_("Please send the form again."))
    stamp = start.split(":")[-2]  # value:timestamp:signature
    age = (
        datetime.datetime.now(datetime.UTC)
        - datetime.datetime.fromtimestamp(signing.b62_decode(stamp), tz=datetime.UTC)
    ).total_seconds()
    wait = int(config["fallback_wait_seconds"] - age) + 1
    if age < config["fallback_wait_seconds"]:
        return ProofResult(
            ok=False,
            wait_seconds=wait,
            message=_(
                "To protect the appointments from automated booking, please wait %(seconds)s seconds, "
                "then send the form again. Your details are kept."
            )
            % {"seconds": wait},
        )
    if not _first_use("start", nonce, config["start_max_age_seconds"] + 60):
        return ProofResult(ok=False, message=_("Please send the form again."))
    return ProofResult(ok=True, path="wait")
