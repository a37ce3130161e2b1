"""Reads of the immigration office's staff triage: who may see it, the triage list, the day's call list, the
inbox lines and the figures."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import F, QuerySet
from django.utils import formats, timezone
from django.utils.translation import get_language_info, gettext, ngettext

from amtsweg.cases.constants import CLOSED_STATUSES
from amtsweg.cases.models import Case
from amtsweg.cases.selectors import case_department_ids
from amtsweg.catalogue.models import Department

from .models import ImmigrationTriage
from .triage_constants import DEPARTMENT, SERVICE, CallTime, ContactPreference, Outcome, Topic

# --- who may see it -------------------------------------------------------------------------------------------


def triage_department_ids(*, user: Any) -> set[int]:
    """The immigration department's id if the user works there (any superuser does), else nothing."""
    allowed = case_department_ids(user=user)
    ids = set(Department.objects.filter(slug=DEPARTMENT).values_list("pk", flat=True))
    return ids if allowed is None else ids & set(allowed)


def triage_check_access(*, user: Any) -> set[int]:
    """The immigration department's id; 403 for staff of other departments."""
    departments = triage_department_ids(user=user)
    if not departments:
        raise PermissionDenied
    return departments


# --- labels ------------------------------------------------------------------------------------------------------


def language_label(code: str | None) -> str:
    """The name of a language in the staff member's language ("Englisch"), or the code if Django does not know it."""
    if not code:
        return ""
    try:
        return str(get_language_info(code)["name_translated"])
    except KeyError:
        return code


def choice_label(choices: Any, value: str | None) -> str:
    return str(choices(value).label) if value in choices.values else (value or "")


def days_left(expiry: datetime.date | None, *, today: datetime.date | None = None) -> int | None:
    if expiry is None:
        return None
    return (expiry - (today or timezone.localdate())).days


def expiry_text(expiry: datetime.date | None, *, today: datetime.date | None = None) -> str:
    """ "valid until 12.01.2027 (36 days left)", "expired on … (3 days ago)", or "" without a date."""
    left = days_left(expiry, today=today)
    if expiry is None or left is None:
        return ""
    date = formats.date_format(expiry, "SHORT_DATE_FORMAT")
    if left < 0:
        ago = ngettext("%(count)d day ago", "%(count)d days ago", -left) % {"count": -left}
        return gettext("expired on %(date)s (%(ago)s)") % {"date": date, "ago": ago}
    if left == 0:
        return gettext("expires today (%(date)s)") % {"date": date}
    rest = ngettext("%(count)d day left", "%(count)d days left", left) % {"count": left}
    return gettext("valid until %(date)s (%(left)s)") % {"date": date, "left": rest}


# --- the inbox ----------------------------------------------------------------------------------------------------


def inbox_lines(*, cases: Sequence[Any]) -> dict[str, str]:
    """For the contact requests among the inbox rows: topic, language, preferred contact and the residence
    permit's expiry with the days left, and the outcome once decided. One query; nothing else is read."""
    uuids = [row.uuid for row in cases]
    rows = ImmigrationTriage.objects.filter(case__uuid__in=uuids).values_list(
        "case__uuid", "topic", "permit_expiry", "contact_preference", "outcome", "case__submission__language"
    )
    today = timezone.localdate()
    lines = {}
    for uuid, topic, expiry, contact, outcome, language in rows:
        parts = [choice_label(Topic, topic) or gettext("Topic not given")]
        parts.append(gettext("Language: %(language)s") % {"language": language_label(language)})
        if contact:
            parts.append(gettext("Contact: %(contact)s") % {"contact": choice_label(ContactPreference, contact)})
        if expiry is not None:
            parts.append(gettext("Residence permit %(expiry)s") % {"expiry": expiry_text(expiry, today=today)})
        if outcome:
            parts.append(gettext("Outcome: %(outcome)s") % {"outcome": choice_label(Outcome, outcome)})
        lines[str(uuid)] = " · ".join(parts)
    return lines


# --- the triage list -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One contact request as the triage list and the call list show it."""

    case: Case
    triage: ImmigrationTriage | None
    answers: Mapping[str, Any]

    @property
    def topic(self) -> str:
        return choice_label(Topic, self.triage.topic if self.triage else self.answers.get("topic"))

    @property
    def language(self) -> str:
        return language_label(self.case.submission.language)

    @property
    def interpreter(self) -> str:
        """The interpreter's language the citizen asked for, or ""."""
        if not self.answers.get("interpreter"):
            return ""
        return str(self.answers.get("interpreter_language") or gettext("yes, language not given"))

    @property
    def contact(self) -> str:
        return choice_label(
            ContactPreference, self.triage.contact_preference if self.triage else self.answers.get("contact_preference")
        )

    @property
    def call_times(self) -> list[str]:
        times = self.answers.get("call_times") or []
        return [choice_label(CallTime, value) for value in times if isinstance(value, str)]

    @property
    def phone(self) -> str:
        return str(self.answers.get("phone") or "")

    @property
    def email(self) -> str:
        return str(self.answers.get("email") or self.case.submission.email or "")

    @property
    def name(self) -> str:
        return str(self.answers.get("applicant_name") or self.case.applicant_name or "")

    @property
    def expiry(self) -> datetime.date | None:
        return self.triage.permit_expiry if self.triage else None

    @property
    def days_left(self) -> int | None:
        return days_left(self.expiry)

    @property
    def expiry_text(self) -> str:
        return expiry_text(self.expiry)

    @property
    def outcome(self) -> str:
        return choice_label(Outcome, self.triage.outcome if self.triage else "")


def request_of(case: Case) -> Request:
    triage = getattr(case, "immigration_triage", None) if _has_triage(case) else None
    return Request(case=case, triage=triage, answers=case.submission.answers or {})


def _has_triage(case: Case) -> bool:
    try:
        case.immigration_triage  # noqa: B018  (a reverse one-to-one raises when there is none)
    except ImmigrationTriage.DoesNotExist:
        return False
    return True


def triage_list(*, user: Any, include_closed: bool = False) -> QuerySet[Case]:
    """The contact requests of the user's immigration department, the residence permit that expires soonest
    first, requests without an expiry date last, then the oldest first."""
    departments = triage_check_access(user=user)
    cases = Case.objects.filter(service__slug=SERVICE, department_id__in=departments)
    if not include_closed:
        cases = cases.exclude(status__in=CLOSED_STATUSES)
    return cases.select_related("submission", "immigration_triage", "service").order_by(
        F("immigration_triage__permit_expiry").asc(nulls_last=True), "created_at", "pk"
    )


def call_list(*, user: Any, day: datetime.date) -> list[Request]:
    """The phone consultations planned for ``day`` in the user's immigration department, by time."""
    departments = triage_check_access(user=user)
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
    rows = (
        ImmigrationTriage.objects.filter(
            outcome=Outcome.PHONE,
            call_starts_at__gte=start,
            call_starts_at__lt=start + datetime.timedelta(days=1),
            case__department_id__in=departments,
        )
        .select_related("case", "case__submission")
        .order_by("call_starts_at", "pk")
    )
    return [Request(case=row.case, triage=row, answers=row.case.submission.answers or {}) for row in rows]


# --- the figures -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TriageFigures:
    """Of the closed contact requests: how many per topic and outcome, and the hours to the first contact."""

    closed: int
    by_topic: list[tuple[str, dict[str, int], int]]  # (topic label, {outcome: count}, total)
    outcomes: list[tuple[str, str]]  # (outcome key, label), the columns
    contacted: int
    median_hours: float | None
    mean_hours: float | None


def triage_figures(*, records: Iterable[Mapping[str, Any]]) -> TriageFigures:
    """The figures from the closed requests' anonymous ``details`` (``triage.triage_statistics``)."""
    records = list(records)
    counts: Counter[tuple[str, str]] = Counter()
    hours = []
    for details in records:
        counts[(str(details.get("topic") or ""), str(details.get("outcome") or ""))] += 1
        value = details.get("hours_to_first_contact")
        if isinstance(value, int | float):
            hours.append(float(value))
    outcomes = [(key, str(label)) for key, label in Outcome.choices] + [("", gettext("None"))]
    topics = [(key, str(label)) for key, label in Topic.choices] + [("", gettext("Topic not given"))]
    by_topic = []
    for key, label in topics:
        row = {outcome: counts[(key, outcome)] for outcome, _label in outcomes}
        total = sum(row.values())
        if total:
            by_topic.append((label, row, total))
    hours.sort()
    median = None
    if hours:
        middle = len(hours) // 2
        median = hours[middle] if len(hours) % 2 else (hours[middle - 1] + hours[middle]) / 2
    return TriageFigures(
        closed=len(records),
        by_topic=by_topic,
        outcomes=outcomes,
        contacted=len(hours),
        median_hours=round(median, 1) if median is not None else None,
        mean_hours=round(sum(hours) / len(hours), 1) if hours else None,
    )
