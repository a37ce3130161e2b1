"""The Voranzeige eines Sterbefalls: the reporter's duty, the deadline, and what the form tells citizen and staff.

Pure functions over the form's answers (answer keys: the header of ``forms/sterbefall-voranzeige.yaml``);
``rules.py`` turns the stops into field errors, ``hooks.py`` shows the notices and opens the free certificates'
order when the death is registered.

Sources (domain-facts-wave2.md A3):

- § 28 PStG: a death is reported to the Standesamt of the place of death by the third working day after it.
  Whether a Saturday counts is handled differently ("zu prüfen"): ``settings.CIVIL_STATUS_DEATH_NOTICE``.
- § 29(1) PStG: obliged, in this order, each only if an earlier one is missing or prevented: 1. every person
  who lived with the deceased in one household, 2. the person in whose home the death happened, 3. every other
  person present at the death or informed of it from their own knowledge.
- § 30 PStG: a hospital, care home or similar institution reports a death in it in writing.
- Certificates for the pension and health insurance are free of charge (catalogue fee note, to verify).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from amtsweg.core import dates
from amtsweg.core.workdays import add_working_days

SLUG = "sterbefall-voranzeige"

# The reporter's relation (answer ``relationship``, and ``principal_relationship`` for an undertaker's
# principal) and the rank of § 29(1) PStG it gives; an institution reports under § 30.
RANKS = {"household": 1, "flat_holder": 2, "present": 3}
INSTITUTION = "institution"
UNDERTAKER = "undertaker"
# The free certificates' purposes and their names on the order (the same in every language: the Standesamt's).
FREE_PURPOSES = {"pension": "Rentenversicherung", "health_insurance": "Kranken- oder Pflegekasse"}
# The answer of the free certificates' order that names the death notice it came from (its reference).
ORDER_LINK = "death_notice"


@dataclass(frozen=True)
class Duty:
    """Who reports, and under which rule: ``rank`` 1–3 of § 29(1) PStG, or 0 for an institution (§ 30)."""

    relation: str  # household | flat_holder | present | institution
    rank: int
    on_behalf: bool  # an undertaker reports for the person or institution of ``relation``

    @property
    def institution(self) -> bool:
        return self.relation == INSTITUTION


def reporter_duty(answers: Mapping[str, Any]) -> Duty | None:
    """The duty the reporter acts under: their own, or, for an undertaker, their principal's; None if unknown."""
    relation = answers.get("relationship")
    on_behalf = relation == UNDERTAKER
    if on_behalf:
        relation = answers.get("principal_relationship")
    if relation == INSTITUTION:
        return Duty(relation=INSTITUTION, rank=0, on_behalf=on_behalf)
    if isinstance(relation, str) and relation in RANKS:
        return Duty(relation=relation, rank=RANKS[relation], on_behalf=on_behalf)
    return None


def duty_text(duty: Duty) -> str:
    """The duty in words, for the citizen's pages and the case page."""
    if duty.institution:
        text = _(
            "Hospital or care home (section 30 of the Civil Status Act): a death in a hospital, care home or "
            "similar institution is reported by the institution, in writing."
        )
    elif duty.rank == 1:
        text = _(
            "Rank 1 of 3 (section 29 of the Civil Status Act): a person who lived with the deceased in one "
            "household. They are the first who must report the death."
        )
    elif duty.rank == 2:
        text = _(
            "Rank 2 of 3 (section 29 of the Civil Status Act): the person in whose home the death happened. They "
            "must report it only if nobody who lived with the deceased is there or able to."
        )
    else:
        text = _(
            "Rank 3 of 3 (section 29 of the Civil Status Act): a person who was there when the person died or "
            "knows of it themselves. They must report it only if nobody of ranks 1 and 2 is there or able to."
        )
    if duty.on_behalf:
        return _("A funeral director reports on behalf of: %(duty)s") % {"duty": text}
    return text


def notice_deadline(death_date: dt.date) -> dt.date:
    """The last day to report the death: the third working day after it (§ 28 PStG), with Hesse's holidays.

    The number of days and whether Saturdays count are configuration (``CIVIL_STATUS_DEATH_NOTICE``).
    """
    config = settings.CIVIL_STATUS_DEATH_NOTICE
    return add_working_days(death_date, int(config["working_days"]), saturdays=bool(config["saturdays"]))


def deadline_of(answers: Mapping[str, Any]) -> dt.date | None:
    died = dates.parse_iso_date(answers.get("death_date"))
    return notice_deadline(died) if died is not None else None


def is_late(answers: Mapping[str, Any], *, on: dt.date | None = None) -> bool:
    """Whether a notice given on ``on`` (default today) comes after the deadline; it is accepted all the same."""
    deadline = deadline_of(answers)
    return deadline is not None and (on or dates.today()) > deadline


def time_in_future(answers: Mapping[str, Any], *, now: dt.datetime | None = None) -> bool:
    """A death today at a time that has not come yet (in the portal's time zone)."""
    from django.utils import timezone

    died, time = dates.parse_iso_date(answers.get("death_date")), answers.get("death_time")
    if died is None or not isinstance(time, str):
        return False
    now = timezone.localtime(now)
    return died == now.date() and time > now.strftime("%H:%M")


def free_purposes(answers: Mapping[str, Any]) -> list[str]:
    """The purposes of the free certificates asked for (known ones only), in the form's order."""
    if answers.get("free_certificates") is not True:
        return []
    chosen = answers.get("free_purposes")
    chosen = chosen if isinstance(chosen, list) else []
    return [purpose for purpose in FREE_PURPOSES if purpose in chosen]


def deadline_text(answers: Mapping[str, Any], *, sent_on: dt.date | None) -> tuple[str, bool] | None:
    """The deadline in words and whether the notice is late (on ``sent_on``, or today while being filled in)."""
    deadline = deadline_of(answers)
    if deadline is None:
        return None
    day = dates.format_day(deadline)
    saturdays = (
        ""
        if settings.CIVIL_STATUS_DEATH_NOTICE["saturdays"]
        else " "
        + _("Saturdays are not counted here; whether they count is still being checked with the registry office.")
    )
    if is_late(answers, on=sent_on):
        return (
            _(
                "The deadline to report this death ended on %(date)s (the third working day after it, section 28 "
                "of the Civil Status Act). We still accept your notice. Please contact the registry office soon "
                "and say why the notice is late."
            )
            % {"date": day}
            + saturdays,
            True,
        )
    return (
        _(
            "The death must be reported to the registry office by %(date)s: the third working day after it "
            "(section 28 of the Civil Status Act)."
        )
        % {"date": day}
        + saturdays,
        False,
    )
