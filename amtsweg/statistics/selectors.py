"""Reads of the anonymous usage figures."""

from __future__ import annotations

import datetime
import math
from collections import Counter
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.http import Http404

from amtsweg.catalogue.models import Service

from .constants import AppointmentOutcome, Channel, FunnelKind
from .counter import CounterService
from .models import AppointmentRecord, CaseRecord, FunnelCount


@dataclass(frozen=True)
class AppointmentShare:
    """Of one service's closed cases with a checklist: how many ended without an appointment."""

    service_id: int
    closed: int
    without_appointment: int

    @property
    def percent(self) -> int:
        """The share without an appointment, in whole percent (0 for no cases)."""
        return round(100 * self.without_appointment / self.closed) if self.closed else 0


def appointment_shares(*, department_ids: Iterable[int] | None) -> list[AppointmentShare]:
    """Per service of these departments (``None``: all), the closed cases whose form had a checklist and how
    many of them ended without an appointment (``CaseRecord.without_appointment``), most cases first."""
    records = CaseRecord.objects.filter(without_appointment__isnull=False)
    if department_ids is not None:
        records = records.filter(department_id__in=list(department_ids))
    rows = (
        records.order_by()
        .values("service_id")
        .annotate(closed=Count("id"), without=Count("id", filter=Q(without_appointment=True)))
        .order_by("-closed", "service_id")
    )
    return [
        AppointmentShare(service_id=row["service_id"], closed=row["closed"], without_appointment=row["without"])
        for row in rows
    ]


def case_record_details(*, service_id: int, department_ids: Iterable[int] | None) -> list[dict]:
    """The ``details`` of the closed cases of one service in these departments (``None``: all), for a service
    module's own figures (e.g. the immigration office's counts per topic and outcome)."""
    records = CaseRecord.objects.filter(service_id=service_id)
    if department_ids is not None:
        records = records.filter(department_id__in=list(department_ids))
    return [details for details in records.order_by().values_list("details", flat=True) if details]


@dataclass(frozen=True)
class AppointmentFigures:
    """One service's appointments on the days of a period: every one booked, and what became of them.

    ``booked`` counts every recorded appointment of the period, whatever became of it; ``kept``, ``no_show``
    and ``cancelled`` are parts of it, and the rest (``booked`` minus those) is still ahead or not yet marked."""

    service_id: int
    booked: int
    kept: int
    no_show: int
    cancelled: int

    @property
    def due(self) -> int:
        """The appointments whose time came and whose outcome is known: kept or missed."""
        return self.kept + self.no_show

    @property
    def no_show_share(self) -> float | None:
        """The share of the due appointments that were missed, 0 to 1 (``None`` when none was due)."""
        return self.no_show / self.due if self.due else None

    @property
    def no_show_percent(self) -> int | None:
        """``no_show_share`` in whole percent (``None`` when none was due)."""
        share = self.no_show_share
        return None if share is None else round(100 * share)


def appointment_figures(
    *,
    department_ids: Iterable[int] | None,
    service_ids: Iterable[int] | None = None,
    date_from: datetime.date,
    date_to: datetime.date,
) -> list[AppointmentFigures]:
    """Per service, the appointments of the days ``date_from`` to ``date_to`` (both included): booked, kept,
    missed and cancelled, from the anonymous records (they outlive the appointments).

    ``department_ids``: the departments in scope (``None``: all); ``service_ids``: only these services
    (``None``: every service). Services without an appointment in the period are left out; most booked first."""
    records = AppointmentRecord.objects.filter(day__gte=date_from, day__lte=date_to)
    if department_ids is not None:
        records = records.filter(department_id__in=list(department_ids))
    if service_ids is not None:
        records = records.filter(service_id__in=list(service_ids))
    rows = (
        records.order_by()
        .values("service_id")
        .annotate(
            booked=Count("id"),
            kept=Count("id", filter=Q(outcome=AppointmentOutcome.KEPT)),
            no_show=Count("id", filter=Q(outcome=AppointmentOutcome.NO_SHOW)),
            cancelled=Count("id", filter=Q(outcome=AppointmentOutcome.CANCELLED)),
        )
        .order_by("-booked", "service_id")
    )
    return [
        AppointmentFigures(
            service_id=row["service_id"],
            booked=row["booked"],
            kept=row["kept"],
            no_show=row["no_show"],
            cancelled=row["cancelled"],
        )
        for row in rows
    ]


# --- the usage dashboard ---------------------------------------------------------------------------------------


def percentile_of(histogram: Mapping[int, int], share: float) -> int | None:
    """The nearest-rank percentile of values given as {value: how often}: the smallest value that at least
    ``share`` (0–1) of all are at or below. None for no values."""
    total = sum(histogram.values())
    if not total:
        return None
    rank = max(1, math.ceil(share * total))
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return max(histogram)  # pragma: no cover - the loop always reaches the rank


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class UsageFigures:
    """The figures of one service (or a department, or all) over a period, from the anonymous records.

    Cases count by their day of receipt; counter transactions by their day. Processing times are of the online
    cases closed so far, in working days (Hesse); ``days`` holds them as {working days: cases}."""

    received: int = 0
    online: int = 0
    counter: int = 0
    completed: int = 0
    rejected: int = 0
    withdrawn: int = 0
    still_open: int = 0
    within_target: int = 0
    with_target: int = 0
    paid: int = 0
    revenue_cents: int = 0
    without_appointment: int = 0
    with_checklist: int = 0
    days: Counter[int] = field(default_factory=Counter)

    def add(self, other: UsageFigures) -> None:
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.days.update(other.days)

    @property
    def online_percent(self) -> float | None:
        return _percent(self.online, self.online + self.counter)

    @property
    def median_days(self) -> int | None:
        return percentile_of(self.days, 0.5)

    @property
    def p90_days(self) -> int | None:
        return percentile_of(self.days, 0.9)

    @property
    def within_target_percent(self) -> float | None:
        return _percent(self.within_target, self.with_target)

    @property
    def without_appointment_percent(self) -> float | None:
        return _percent(self.without_appointment, self.with_checklist)


_SUMMED = (
    "received",
    "online",
    "counter",
    "completed",
    "rejected",
    "withdrawn",
    "still_open",
    "within_target",
    "with_target",
    "paid",
    "revenue_cents",
    "without_appointment",
    "with_checklist",
)


def _records(
    *,
    department_ids: Iterable[int] | None,
    service_ids: Iterable[int] | None,
    first: datetime.date,
    last: datetime.date,
) -> QuerySet[CaseRecord]:
    records = CaseRecord.objects.filter(submitted_on__gte=first, submitted_on__lte=last)
    if department_ids is not None:
        records = records.filter(department_id__in=list(department_ids))
    if service_ids is not None:
        records = records.filter(service_id__in=list(service_ids))
    return records.order_by()


def _sum(condition: Q | None = None) -> Coalesce:
    return Coalesce(Sum("count", filter=condition), 0)


def usage_figures(
    *,
    department_ids: Iterable[int] | None,
    first: datetime.date,
    last: datetime.date,
    service_ids: Iterable[int] | None = None,
) -> dict[tuple[int, int], UsageFigures]:
    """Per (department id, service id): the figures of the records received from ``first`` to ``last`` in these
    departments (``None``: all), optionally of these services only. Two grouped queries, whatever the number of
    records: the counts, and the processing times as a histogram of working days."""
    records = _records(department_ids=department_ids, service_ids=service_ids, first=first, last=last)
    online = Q(channel=Channel.ONLINE)
    # Annotated under names of their own: an annotation named like a field (within_target) would shadow the field
    # in the filters of the annotations after it.
    sums = {
        "received": _sum(),
        "online": _sum(online),
        "counter": _sum(Q(channel=Channel.COUNTER)),
        "completed": _sum(Q(final_status="completed")),
        "rejected": _sum(Q(final_status="rejected")),
        "withdrawn": _sum(Q(final_status="withdrawn")),
        "still_open": _sum(Q(closed_on__isnull=True)),
        "within_target": _sum(online & Q(within_target=True)),
        "with_target": _sum(online & Q(within_target__isnull=False)),
        "paid": _sum(Q(paid_cents__gt=0)),
        "revenue_cents": Coalesce(Sum("paid_cents"), 0),
        "without_appointment": _sum(Q(without_appointment=True)),
        "with_checklist": _sum(Q(without_appointment__isnull=False)),
    }
    rows = records.values("department_id", "service_id").annotate(**{f"sum_{name}": sums[name] for name in _SUMMED})
    figures: dict[tuple[int, int], UsageFigures] = {}
    for row in rows:
        key = (row["department_id"], row["service_id"])
        figures[key] = UsageFigures(**{name: row[f"sum_{name}"] for name in _SUMMED})  # type: ignore[literal-required]
    times = (
        records.filter(online, working_days__isnull=False)
        .values("department_id", "service_id", "working_days")
        .annotate(cases=_sum())
    )
    for time in times:
        key = (time["department_id"], time["service_id"])
        figures.setdefault(key, UsageFigures()).days[time["working_days"] or 0] += time["cases"]
    return figures


def usage_series(
    *,
    department_ids: Iterable[int] | None,
    first: datetime.date,
    last: datetime.date,
    by: str,
    service_ids: Iterable[int] | None = None,
) -> dict[datetime.date, tuple[int, int]]:
    """Per month (``by="month"``, keyed by its first day) or day: (online, counter) transactions received."""
    records = _records(department_ids=department_ids, service_ids=service_ids, first=first, last=last)
    bucket = TruncMonth("submitted_on") if by == "month" else F("submitted_on")
    rows = (
        records.annotate(bucket=bucket)
        .values("bucket")
        .annotate(online=_sum(Q(channel=Channel.ONLINE)), counter=_sum(Q(channel=Channel.COUNTER)))
    )
    series = {}
    for row in rows:
        day = row["bucket"]
        if isinstance(day, datetime.datetime):  # TruncMonth of a date gives a date; some backends a datetime
            day = day.date()
        series[day] = (row["online"], row["counter"])
    return series


def usage_first_year() -> int | None:
    """The year of the oldest record, for the periods to offer; None without records."""
    oldest = CaseRecord.objects.order_by("submitted_on").values_list("submitted_on", flat=True).first()
    return oldest.year if oldest else None


@dataclass(frozen=True)
class FederalRow:
    leika_key: str
    month: datetime.date
    transactions: int


def federal_usage_rows(
    *, first: datetime.date, last: datetime.date, department_ids: Iterable[int] | None = None
) -> list[FederalRow]:
    """The federal usage metric (Zentrale Statistik-Komponente): per month and online service with a LeiKa key,
    the online transactions received (applications, notices, reports). Counter transactions do not count."""
    records = _records(department_ids=department_ids, service_ids=None, first=first, last=last).filter(
        channel=Channel.ONLINE
    )
    rows = (
        records.exclude(service__leika_key="")
        .annotate(month=TruncMonth("submitted_on"))
        .values("month", "service__leika_key")
        .annotate(transactions=_sum())
        .order_by("month", "service__leika_key")
    )
    result = []
    for row in rows:
        month = row["month"]
        if isinstance(month, datetime.datetime):
            month = month.date()
        result.append(FederalRow(row["service__leika_key"], month, row["transactions"]))
    return result


# --- counter transactions ---------------------------------------------------------------------

COUNTER_RECENT_BATCHES = 20


def counter_services(*, department_ids: Collection[int] | None) -> QuerySet[Service]:
    """The services whose counter transactions a staff member of these departments (``None``: all) may record,
    by name."""
    queryset = Service.objects.select_related("department").order_by("name_de", "slug")
    if department_ids is not None:
        queryset = queryset.filter(department_id__in=list(department_ids))
    return queryset


def counter_service_catalogue() -> list[CounterService]:
    """Every service as the import file's reader needs it (slug, LeiKa key, department)."""
    rows = Service.objects.order_by("pk").values_list("pk", "slug", "leika_key", "department_id")
    return [CounterService(pk=pk, slug=slug, leika_key=leika, department_id=dep) for pk, slug, leika, dep in rows]


def counter_batches_recent(
    *, department_ids: Collection[int] | None, limit: int = COUNTER_RECENT_BATCHES
) -> list[CaseRecord]:
    """The counter batches of these departments (``None``: all) entered last, newest first."""
    queryset = CaseRecord.objects.filter(channel=Channel.COUNTER).select_related("service")
    if department_ids is not None:
        queryset = queryset.filter(department_id__in=list(department_ids))
    return list(queryset.order_by("-pk")[:limit])


def counter_batch_get(
    *, record_id: Any, department_ids: Collection[int] | None, for_update: bool = False
) -> CaseRecord:
    """One counter batch of these departments (``None``: all); ``Http404`` for anything else (an online case's
    record, another department's batch, a malformed id)."""
    try:
        pk = int(record_id)
    except (TypeError, ValueError):
        raise Http404("No such counter batch.") from None
    queryset = CaseRecord.objects.filter(channel=Channel.COUNTER)
    if department_ids is not None:
        queryset = queryset.filter(department_id__in=list(department_ids))
    if for_update:
        queryset = queryset.select_for_update()
    record = queryset.select_related("service").filter(pk=pk).first() if 0 < pk < 2**63 else None
    if record is None:
        raise Http404("No such counter batch.")
    return record


def counter_batches_on(*, pairs: Iterable[tuple[int, datetime.date]]) -> list[CaseRecord]:
    """The counter batches already recorded for these (service id, day) pairs, by day and service."""
    wanted = set(pairs)
    if not wanted:
        return []
    queryset = CaseRecord.objects.filter(
        channel=Channel.COUNTER,
        service_id__in={service_id for service_id, _day in wanted},
        submitted_on__in={day for _service_id, day in wanted},
    ).select_related("service")
    return [
        record
        for record in queryset.order_by("submitted_on", "service_id", "pk")
        if (record.service_id, record.submitted_on) in wanted
    ]


# --- the form funnels ----------------------------------------------------------------------------------


def _whole_percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


@dataclass(frozen=True)
class FunnelError:
    """How many drafts met an error of one field on a step (``field`` "": the step's own rule)."""

    field: str
    count: int


@dataclass(frozen=True)
class FunnelStep:
    """How many drafts reached one step, and the errors met on it, most frequent first."""

    key: str
    position: int
    count: int
    started: int
    errors: list[FunnelError] = field(default_factory=list)

    @property
    def percent(self) -> int:
        """The share of the started drafts that reached the step, in whole percent."""
        return _whole_percent(self.count, self.started)


@dataclass(frozen=True)
class Funnel:
    """One form's funnel in a period: started, each step reached (in the form's order), check page, sent."""

    service_id: int
    form_version: int | None  # None: every version together
    started: int
    steps: list[FunnelStep]
    check: int
    submitted: int

    @property
    def check_percent(self) -> int:
        return _whole_percent(self.check, self.started)

    @property
    def submitted_percent(self) -> int:
        return _whole_percent(self.submitted, self.started)

    @property
    def errors(self) -> int:
        """How many field errors were counted on all steps together."""
        return sum(error.count for step in self.steps for error in step.errors)


def funnel(
    *, service_id: int, form_version: int | None = None, date_from: datetime.date, date_to: datetime.date
) -> Funnel:
    """The funnel of a service's form from ``date_from`` to ``date_to`` (both included), of one form version
    or (``None``) of every version together, the steps matched by their keys. Steps are in the form's order
    (their position, then key); each step's errors are the fields most often wrong first."""
    counts = FunnelCount.objects.filter(service_id=service_id, day__gte=date_from, day__lte=date_to)
    if form_version is not None:
        counts = counts.filter(form_version=form_version)
    rows = counts.order_by().values("kind", "step", "field").annotate(total=Sum("count"), position=Min("position"))
    totals: dict[str, int] = {}
    reached: dict[str, tuple[int, int]] = {}  # step key: (position, count)
    errors: dict[str, list[FunnelError]] = {}
    for row in rows:
        kind, step, total = row["kind"], row["step"], row["total"] or 0
        if kind == FunnelKind.STEP:
            reached[step] = (row["position"], total)
        elif kind == FunnelKind.ERROR:
            errors.setdefault(step, []).append(FunnelError(field=row["field"], count=total))
            reached.setdefault(step, (row["position"], 0))  # the step's own row, if any, replaces it
        else:
            totals[kind] = totals.get(kind, 0) + total
    started = totals.get(FunnelKind.STARTED, 0)
    steps = [
        FunnelStep(
            key=key,
            position=position,
            count=count,
            started=started,
            errors=sorted(errors.get(key, []), key=lambda error: (-error.count, error.field)),
        )
        for key, (position, count) in sorted(reached.items(), key=lambda item: (item[1][0], item[0]))
    ]
    return Funnel(
        service_id=service_id,
        form_version=form_version,
        started=started,
        steps=steps,
        check=totals.get(FunnelKind.CHECK, 0),
        submitted=totals.get(FunnelKind.SUBMITTED, 0),
    )


@dataclass(frozen=True)
class FunnelService:
    """A service whose form has funnel counts: its versions, and the drafts started and sent in the period."""

    service_id: int
    slug: str
    name: str
    department_id: int
    department: str
    versions: list[int]
    started: int
    submitted: int

    @property
    def submitted_percent(self) -> int:
        return _whole_percent(self.submitted, self.started)


def funnel_services(
    *,
    department_ids: Iterable[int] | None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> list[FunnelService]:
    """The services of these departments (``None``: all) that have funnel counts, with their form versions,
    ordered by department and name; ``started`` and ``submitted`` count the period (any day when not given)."""
    counts = FunnelCount.objects.all()
    if department_ids is not None:
        counts = counts.filter(service__department_id__in=list(department_ids))
    versions: dict[int, set[int]] = {}
    for service_id, version in counts.order_by().values_list("service_id", "form_version").distinct():
        versions.setdefault(service_id, set()).add(version)
    if date_from is not None:
        counts = counts.filter(day__gte=date_from)
    if date_to is not None:
        counts = counts.filter(day__lte=date_to)
    figures: dict[int, tuple[int, int]] = {
        row["service_id"]: (row["started"] or 0, row["submitted"] or 0)
        for row in counts.order_by()
        .values("service_id")
        .annotate(
            started=Sum("count", filter=Q(kind=FunnelKind.STARTED)),
            submitted=Sum("count", filter=Q(kind=FunnelKind.SUBMITTED)),
        )
    }
    services = (
        Service.objects.filter(pk__in=list(versions)).select_related("department").order_by("department__name", "name")
    )
    return [
        FunnelService(
            service_id=service.pk,
            slug=service.slug,
            name=service.name,
            department_id=service.department_id,
            department=service.department.name,
            versions=sorted(versions[service.pk], reverse=True),
            started=figures.get(service.pk, (0, 0))[0],
            submitted=figures.get(service.pk, (0, 0))[1],
        )
        for service in services
    ]
