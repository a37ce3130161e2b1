"""Who may order a civil-status certificate online, and when an entry is in the archive.

Pure functions over a form's answers (answer keys: the header of
``forms/geburtsurkunde.yaml``); ``rules.py`` turns their results into
field errors with the text the citizen sees.

Sources (see /work/shared/domain-facts.md and docs/civil-status.md):

- § 62 PStG: the person of the entry, their spouse or civil partner, ancestors
  and descendants without a reason; siblings with a legitimate interest (birth
  and death entries only); everyone else with a legal interest, shown by proof.
  The applicant must be at least 16.
- § 63 PStG: after an adoption the birth entry goes only to the adopters, their
  parents, the child's legal representative and the child from 16. Online we
  accept only the adoptee and adoptive parents or their parents (who say so);
  everyone else, including a legal representative, is sent to the Standesamt,
  which can check the adoption papers.
- § 5(5) PStG: entries are kept 110 (births), 80 (marriages) and 30 (deaths)
  years, then go to the city archive. The year counts are configuration
  (``settings.CIVIL_STATUS_RETENTION_YEARS``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.utils import timezone

from amtsweg.core import dates

MIN_AGE = 16
WITHOUT_REASON = frozenset({"self", "spouse", "ancestor", "descendant"})
# § 62(1) PStG: siblings with a legitimate interest only for birth and death entries.
SIBLING_KINDS = frozenset({"birth", "death"})
ENTRY_KINDS = ("birth", "marriage", "partnership", "death")


def needs_manual_review(answers: Mapping[str, Any]) -> bool:
    """Whether the Standesamt must check the order by hand (a legal interest of another person)."""
    return answers.get("relationship") == "other"


def missing_interest(answers: Mapping[str, Any], *, kind: str) -> str | None:
    """The answer key of the missing reason or proof, or None if the relationship needs none or it is given."""
    relationship = answers.get("relationship")
    if relationship is None or relationship in WITHOUT_REASON:
        return None
    if relationship == "sibling" and kind in SIBLING_KINDS:
        return None if _text(answers.get("reason")) else "reason"
    if not _text(answers.get("legal_reason")):
        return "legal_reason"
    if not answers.get("proof"):
        return "proof"
    return None


def too_young(answers: Mapping[str, Any], *, on: dt.date | None = None) -> bool:
    born = dates.parse_iso_date(answers.get("applicant_birth_date"))
    if born is None:
        return False
    return dates.age_on(born, on or dates.today()) < MIN_AGE


def adoption_blocks(answers: Mapping[str, Any]) -> bool:
    """Whether a birth entry after an adoption cannot be ordered online by this applicant (§ 63 PStG)."""
    if answers.get("adopted") is not True:
        return False
    relationship = answers.get("relationship")
    if relationship == "self":
        return False  # the adoptee; the age of 16 is checked for every applicant
    if relationship == "ancestor":
        return answers.get("adoptive_parent") is False  # None: not asked yet (its own step follows)
    return True


def retention_years(kind: str) -> int | None:
    years = settings.CIVIL_STATUS_RETENTION_YEARS.get(kind)
    return years if isinstance(years, int) and not isinstance(years, bool) and years > 0 else None


def in_archive(answers: Mapping[str, Any], *, kind: str, on: dt.date | None = None) -> bool:
    """Whether the entry (by its event date) is older than the Standesamt keeps it."""
    event = dates.parse_iso_date(answers.get("event_date"))
    years = retention_years(kind)
    if event is None or years is None:
        return False
    return dates.age_on(event, on or dates.today()) >= years


def in_registry_district(place: Any) -> bool:
    """Whether a place name typed by the citizen is the city (its registry office's district).

    Accepts "Kassel", "kassel", "Kassel-Wilhelmshöhe", "Kassel (Hessen)", "34117 Kassel".
    """
    text = _text(place)
    if not text:
        return True  # nothing to check yet; the field itself is required
    city = settings.PORTAL["city"].casefold()
    words = text.casefold().replace(",", " ").split()
    if words and words[0].isdigit():
        words = words[1:]
    if not words:
        return False
    first = words[0]
    return first == city or first.startswith((f"{city}-", f"{city}(", f"{city}/"))


def copies_split(answers: Mapping[str, Any]) -> tuple[list[str], int]:
    """(the purposes of the free certificates, the number of paid ones) of an order: a newborn's, or the free
    death certificates ordered with a death notice (``free_purposes`` without ``copies``)."""
    free = answers.get("free_purposes") or []
    free = [str(p) for p in free] if isinstance(free, list) else []
    if answers.get("newborn") is True:
        return free, _int(answers.get("extra_copies"))
    return free, _int(answers.get("copies"))


def total_copies(answers: Mapping[str, Any]) -> int:
    """All certificates of the order: free newborn copies plus paid ones."""
    free, paid = copies_split(answers)
    return len(free) + paid


def _int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ""


def is_newborn(birth: dt.date, *, today: dt.date | None = None) -> bool:
    """Whether a child born on ``birth`` still gets the free first certificates of a newborn order
    (``CIVIL_STATUS_NEWBORN_MAX_DAYS`` after the birth, in the portal's time zone)."""
    today = today or timezone.localdate()
    return 0 <= (today - birth).days <= settings.CIVIL_STATUS_NEWBORN_MAX_DAYS
