"""The demo figures "Kassel, first half of 2020": anonymous records generated from a seed, for ``make run``.

The Bürgeramt's press release for the Digitaltag (19 June 2020) argues with four figures. A ``DemoPlan`` holds
them as totals per group of services, channel and period; ``demo_records_generate`` distributes exactly that many
transactions over the period's days and the group's services at random (a multinomial draw from a seeded
``random.Random``), so the figures on the dashboard come from records, not from a table of totals, and another
seed or plan gives other records that still add up to the plan's totals.

- Certificates (birth, marriage and death certificates, as the release names them): 6,279 issued January to
  June 2020, more than a third of them online.
- The Bürgerbüro's online services (the six the release lists): 1,838 uses January to May 2020.
- The immigration office's contact form: 2,248 uses March to May 2020 (the form was new then: none before).
- Online vehicle registration (all four i-Kfz services the release lists: new registration, deregistration,
  every kind of transfer, re-registration): 129 uses January to May 2020.

June for the last three groups is not in the release; it is a plausible continuation, in groups of its own, so
that the half-year has no gap and the release's periods still show exactly the release's figures.

The days are weighted: counter transactions only on Hesse's working days, online ones on any day but fewer at
weekends and on holidays, and from mid-March 2020 the lockdown (counters closed to all but urgent cases, more
online) and the gradual reopening from late April. Online cases close a few working days after receipt and
carry the service's online fee from the catalogue when completed (``paid_cents`` is what was paid online, so
counter transactions carry none); counter transactions are recorded as staff record them, one batch per service
and day with ``count`` > 1, closed the same day. Every record's ``details`` carries ``{"demo": plan.marker}``,
by which the next load finds and replaces the set.

The Bürgerbüro's appointments for the same half-year are generated as ``AppointmentRecord``s with about 10 %
no-shows; those rows have no ``details``, so the demo owns the appointment records of its location and services
in its period (no real appointment of 2020 exists in a demo installation).
"""

from __future__ import annotations

import dataclasses
import datetime
import random
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from amtsweg.catalogue.models import Fee, Location, Service
from amtsweg.core.workdays import add_working_days, is_public_holiday, is_working_day, working_days_between

from .constants import AppointmentOutcome, Channel
from .models import AppointmentRecord, CaseRecord

MARKER = "kassel-2020-h1"

# The lockdown of spring 2020 in Hesse: offices closed to all but urgent cases from 16 March, reopened step by
# step with appointments from 20 April. (first day, last day, factor for counter transactions, factor online)
COVID_PHASES: tuple[tuple[datetime.date, datetime.date, float, float], ...] = (
    (datetime.date(2020, 3, 16), datetime.date(2020, 4, 19), 0.3, 1.35),
    (datetime.date(2020, 4, 20), datetime.date(2020, 5, 31), 0.65, 1.2),
    (datetime.date(2020, 6, 1), datetime.date(2020, 6, 30), 0.85, 1.1),
)
# Monday is the busiest day at an office, Friday (open mornings only) the quietest.
WEEKDAY_FACTORS = (1.15, 1.0, 1.05, 1.05, 0.75)
# Online: citizens also send forms at weekends and on holidays, if fewer.
ONLINE_SATURDAY, ONLINE_SUNDAY_OR_HOLIDAY = 0.35, 0.25


@dataclass(frozen=True)
class DemoGroup:
    """The transactions of some services in one period: exactly ``online`` online cases and ``counter`` counter
    transactions, split at random over the services (by ``services``' weights) and the days.

    ``fees``: per service, what a completed online case paid, as the codes of its catalogue fee items joined
    by ``+`` (e.g. ``"first-copy+further-copy"`` for two copies; ``""`` free) with weights; a service not named
    is free.
    ``close_after``: working days from receipt to closing of an online case, with weights.
    ``target_days``: the processing target in working days (None: the service has none, within_target None).
    ``details``: a service module's codes to draw per online case, e.g. the immigration office's topic and
    outcome, ``{"topic": {"extend_permit": 30, ...}}``; ``contact_hours``: the median hours to the first
    contact (immigration), None for none."""

    key: str
    services: Mapping[str, float]
    start: datetime.date
    end: datetime.date
    online: int
    counter: int = 0
    fees: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    close_after: Mapping[int, float] = field(default_factory=lambda: {1: 50, 2: 30, 3: 12, 5: 6, 8: 2})
    target_days: int | None = None
    rejected: float = 0.02
    withdrawn: float = 0.01
    details: Mapping[str, Mapping[str, float]] = field(default_factory=dict)
    contact_hours: float | None = None

    @property
    def total(self) -> int:
        return self.online + self.counter


@dataclass(frozen=True)
class DemoAppointments:
    """``total`` confirmed appointments at one location in a period, split over its services and opening days;
    ``no_show`` and ``cancelled`` are the shares of those outcomes, the rest were kept."""

    location: str
    services: Mapping[str, float]
    start: datetime.date
    end: datetime.date
    total: int
    # Opening hours per weekday (Monday 0) as weights; a weekday without hours has no appointments.
    hours: Mapping[int, float]
    no_show: float = 0.10
    cancelled: float = 0.05


@dataclass(frozen=True)
class DemoPlan:
    """What to generate: the groups' totals, the appointments, the seed; ``marker`` goes into every record's
    ``details["demo"]`` and finds the set again."""

    groups: tuple[DemoGroup, ...]
    appointments: tuple[DemoAppointments, ...] = ()
    seed: int = 2020
    marker: str = MARKER


CERTIFICATE_SERVICES = {"geburtsurkunde": 48, "eheurkunde": 22, "sterbeurkunde": 30}
# A second copy ordered at once is common; a newborn's certificates for the benefits are free.
CERTIFICATE_FEES = {
    "geburtsurkunde": {"first-copy": 55, "first-copy+further-copy": 20, "": 25},
    "eheurkunde": {"first-copy": 65, "first-copy+further-copy": 35},
    "sterbeurkunde": {"first-copy": 45, "first-copy+further-copy": 55},
}
BUERGERBUERO_SERVICES = {
    "meldebescheinigung": 46,
    "melderegisterauskunft": 22,
    "auskunftssperre": 4,
    "uebermittlungssperre": 9,
    "untersuchungsberechtigungsschein": 7,
    "nebenwohnung-abmelden": 12,
}
BUERGERBUERO_FEES = {
    "meldebescheinigung": {"electronic": 60, "certificate": 40},  # electronic free, on paper for a fee
    "melderegisterauskunft": {"basic-query": 85, "extended-query": 15},
}
# i-Kfz in 2020: deregistration (online since 2015) was by far the most used, the rest came in 2017 and 2019.
VEHICLE_SERVICES = {
    "kfz-ausserbetriebsetzung": 55,
    "kfz-wiederzulassung": 15,
    "kfz-umschreibung": 18,
    "kfz-neuzulassung": 12,
}
VEHICLE_FEES = {
    "kfz-ausserbetriebsetzung": {"online-deregistration": 1},
    "kfz-wiederzulassung": {"online-reregistration": 1},
    "kfz-umschreibung": {
        "online-same-district-keep-plate": 35,
        "online-same-district-new-plate": 15,
        "online-other-district-new-plate": 30,
        "online-other-district-keep-plate": 20,
    },
    "kfz-neuzulassung": {"online-registration": 80, "online-registration+personalised-number+number-reservation": 20},
}
# The codes of immigration.triage_constants (Topic, Outcome), as data: statistics sits below the families.
IMMIGRATION_DETAILS = {
    "topic": {
        "extend_permit": 34,
        "fiktion": 12,
        "settlement": 10,
        "blue_card": 4,
        "family_reunification": 9,
        "obligation": 6,
        "card_change": 10,
        "question": 15,
    },
    "outcome": {"phone": 55, "appointment": 30, "documents": 15},
}

H1 = (datetime.date(2020, 1, 1), datetime.date(2020, 6, 30))
JAN_MAY = (datetime.date(2020, 1, 1), datetime.date(2020, 5, 31))
MAR_MAY = (datetime.date(2020, 3, 1), datetime.date(2020, 5, 31))
JUNE = (datetime.date(2020, 6, 1), datetime.date(2020, 6, 30))

KASSEL_2020_H1 = DemoPlan(
    groups=(
        DemoGroup(
            key="certificates",
            services=CERTIFICATE_SERVICES,
            start=H1[0],
            end=H1[1],
            online=2_260,  # 36 %: "mehr als ein Drittel online"
            counter=4_019,
            fees=CERTIFICATE_FEES,
            # "innerhalb von nur ein bis zwei Tagen direkt versendet"
            close_after={1: 62, 2: 31, 3: 5, 4: 2},
            target_days=2,
        ),
        DemoGroup(
            key="buergerbuero-online",
            services=BUERGERBUERO_SERVICES,
            start=JAN_MAY[0],
            end=JAN_MAY[1],
            online=1_838,
            fees=BUERGERBUERO_FEES,
            close_after={0: 45, 1: 30, 2: 15, 3: 7, 5: 3},
        ),
        DemoGroup(
            key="buergerbuero-online-june",
            services=BUERGERBUERO_SERVICES,
            start=JUNE[0],
            end=JUNE[1],
            online=402,
            fees=BUERGERBUERO_FEES,
            close_after={0: 45, 1: 30, 2: 15, 3: 7, 5: 3},
        ),
        DemoGroup(
            key="immigration-contact",
            services={"zuwanderung-kontakt": 1},
            start=MAR_MAY[0],
            end=MAR_MAY[1],
            online=2_248,
            close_after={1: 35, 2: 30, 3: 18, 5: 12, 8: 5},
            rejected=0.0,
            withdrawn=0.02,
            details=IMMIGRATION_DETAILS,
            contact_hours=22.0,
        ),
        DemoGroup(
            key="immigration-contact-june",
            services={"zuwanderung-kontakt": 1},
            start=JUNE[0],
            end=JUNE[1],
            online=694,
            close_after={1: 35, 2: 30, 3: 18, 5: 12, 8: 5},
            rejected=0.0,
            withdrawn=0.02,
            details=IMMIGRATION_DETAILS,
            contact_hours=22.0,
        ),
        DemoGroup(
            key="vehicles-online",
            services=VEHICLE_SERVICES,
            start=JAN_MAY[0],
            end=JAN_MAY[1],
            online=129,
            fees=VEHICLE_FEES,
            close_after={0: 40, 1: 35, 2: 15, 3: 10},
            rejected=0.05,
        ),
        DemoGroup(
            key="vehicles-online-june",
            services=VEHICLE_SERVICES,
            start=JUNE[0],
            end=JUNE[1],
            online=33,
            fees=VEHICLE_FEES,
            close_after={0: 40, 1: 35, 2: 15, 3: 10},
            rejected=0.05,
        ),
    ),
    appointments=(
        DemoAppointments(
            location="buergerbuero-rathaus",
            services={slug: weight for slug, weight in BUERGERBUERO_SERVICES.items() if slug != "uebermittlungssperre"},
            start=H1[0],
            end=H1[1],
            total=4_800,
            # The Bürgerbüro's counter hours (appointments seed): Mon 8, Tue 6, Wed 10, Thu 6, Fri 4.5, Sat 3.
            hours={0: 8, 1: 6, 2: 10, 3: 6, 4: 4.5, 5: 3},
        ),
    ),
)


@dataclass(frozen=True)
class DemoRecords:
    """The generated, unsaved records."""

    cases: list[CaseRecord]
    appointments: list[AppointmentRecord]


class DemoPlanError(ValueError):
    """The plan names a service or location that is not in the catalogue, or a period without a possible day."""


def _days(start: datetime.date, end: datetime.date) -> list[datetime.date]:
    return [start + datetime.timedelta(days=offset) for offset in range((end - start).days + 1)]


def _covid_factor(day: datetime.date, *, online: bool) -> float:
    for first, last, counter_factor, online_factor in COVID_PHASES:
        if first <= day <= last:
            return online_factor if online else counter_factor
    return 1.0


def day_weight(day: datetime.date, *, channel: str) -> float:
    """How likely a transaction of ``channel`` falls on ``day``, relative to an ordinary Tuesday before 2020's
    lockdown: counter transactions only on working days, online ones every day, fewer at weekends."""
    online = channel == Channel.ONLINE
    if is_working_day(day):
        base = WEEKDAY_FACTORS[day.weekday()]
    elif not online:
        return 0.0
    elif day.weekday() == 5 and not is_public_holiday(day):
        base = ONLINE_SATURDAY
    else:
        base = ONLINE_SUNDAY_OR_HOLIDAY
    return base * _covid_factor(day, online=online)


def _draw[T](rng: random.Random, weights: Mapping[T, float], count: int, *, what: str) -> Counter[T]:
    """A multinomial draw: ``count`` items, each one of ``weights``' keys with their weight; exactly ``count``."""
    keys = [key for key, weight in weights.items() if weight > 0]
    if count and not keys:
        raise DemoPlanError(f"{what}: no possible value for {count} transactions")
    return Counter(rng.choices(keys, weights=[weights[key] for key in keys], k=count)) if count else Counter()


def _pick[T](rng: random.Random, weights: Mapping[T, float]) -> T:
    keys = list(weights)
    return rng.choices(keys, weights=[weights[key] for key in keys])[0]


def _services(slugs: Sequence[str]) -> dict[str, Service]:
    found = {service.slug: service for service in Service.objects.filter(slug__in=list(slugs))}
    missing = sorted(set(slugs) - set(found))
    if missing:
        raise DemoPlanError(f"not in the catalogue (run load_kassel_demo first): {', '.join(missing)}")
    return found


def _fee_cents(service: Service, codes: str) -> int:
    """The sum of the service's fee items ``codes`` (joined by ``+``; empty: free) in the catalogue, each in its
    newest version. The catalogue holds today's fees, not 2020's; the demo uses them as they are."""
    total = 0
    for code in filter(None, codes.split("+")):
        fee = Fee.objects.filter(service=service, code=code).order_by("-valid_from").first()
        if fee is None:
            raise DemoPlanError(f"{service.slug}: no fee {code!r} in the catalogue")
        total += fee.amount_cents
    return total


def _group_records(
    rng: random.Random, group: DemoGroup, services: Mapping[str, Service], marker: str
) -> list[CaseRecord]:
    days = _days(group.start, group.end)
    fees: dict[str, dict[int, float]] = {}
    for slug, variants in group.fees.items():
        amounts: dict[int, float] = {}
        for codes, weight in variants.items():
            amount = _fee_cents(services[slug], codes)
            amounts[amount] = amounts.get(amount, 0) + weight
        fees[slug] = amounts
    records: list[CaseRecord] = []
    for channel, count in ((Channel.ONLINE, group.online), (Channel.COUNTER, group.counter)):
        day_weights = {day: day_weight(day, channel=channel) for day in days}
        per_day = _draw(rng, day_weights, count, what=f"{group.key} {channel}")
        for day in sorted(per_day):
            per_service = _draw(rng, group.services, per_day[day], what=f"{group.key} services")
            for slug in sorted(per_service):
                service = services[slug]
                if channel == Channel.COUNTER:
                    records.append(_counter_batch(group, service, day, per_service[slug], marker))
                else:
                    records.extend(
                        _online_case(rng, group, service, day, fees.get(slug) or {0: 1}, marker)
                        for _ in range(per_service[slug])
                    )
    return records


def _counter_batch(group: DemoGroup, service: Service, day: datetime.date, count: int, marker: str) -> CaseRecord:
    """One day's counter transactions of a service, as staff record them: done on the spot."""
    return CaseRecord(
        service=service,
        department_id=service.department_id,
        channel=Channel.COUNTER,
        count=count,
        submitted_on=day,
        closed_on=day,
        final_status="completed",
        working_days=0,
        within_target=None if group.target_days is None else True,
        paid_cents=0,
        details={"demo": marker},
    )


def _online_case(
    rng: random.Random, group: DemoGroup, service: Service, day: datetime.date, fees: Mapping[int, float], marker: str
) -> CaseRecord:
    roll = rng.random()
    if roll < group.rejected:
        status = "rejected"
    elif roll < group.rejected + group.withdrawn:
        status = "withdrawn"
    else:
        status = "completed"
    working_days = _pick(rng, group.close_after)
    if status == "withdrawn":
        working_days = min(working_days, 1)
    closed_on = add_working_days(day, working_days)
    # Counted as cases count them (cases.services): working days after receipt up to the closing day.
    taken = working_days_between(day, closed_on)
    details: dict[str, Any] = {"demo": marker}
    if status != "withdrawn":
        for key, weights in group.details.items():
            details[key] = _pick(rng, weights)
        if group.contact_hours is not None:
            details["hours_to_first_contact"] = round(rng.lognormvariate(0, 0.6) * group.contact_hours, 1)
    return CaseRecord(
        service=service,
        department_id=service.department_id,
        channel=Channel.ONLINE,
        count=1,
        submitted_on=day,
        closed_on=closed_on,
        final_status=status,
        working_days=taken,
        within_target=None if group.target_days is None else taken <= group.target_days,
        # What was paid online and kept: the fee of a completed case (a rejected order is refunded).
        paid_cents=_pick(rng, fees) if status == "completed" else 0,
        details=details,
    )


def _appointment_records(rng: random.Random, plan: DemoAppointments) -> list[AppointmentRecord]:
    location = Location.objects.filter(slug=plan.location).first()
    if location is None:
        raise DemoPlanError(f"location not in the catalogue (run load_kassel_demo first): {plan.location}")
    services = _services(list(plan.services))
    weights = {
        day: plan.hours.get(day.weekday(), 0) * _covid_factor(day, online=False)
        for day in _days(plan.start, plan.end)
        if not is_public_holiday(day)
    }
    outcomes = {
        AppointmentOutcome.NO_SHOW: plan.no_show,
        AppointmentOutcome.CANCELLED: plan.cancelled,
        AppointmentOutcome.KEPT: 1 - plan.no_show - plan.cancelled,
    }
    records: list[AppointmentRecord] = []
    per_day = _draw(rng, weights, plan.total, what=f"appointments at {plan.location}")
    for day in sorted(per_day):
        for slug, count in sorted(_draw(rng, plan.services, per_day[day], what="appointment services").items()):
            records.extend(
                AppointmentRecord(
                    service=services[slug],
                    department_id=services[slug].department_id,
                    location=location,
                    day=day,
                    outcome=_pick(rng, outcomes),
                )
                for _ in range(count)
            )
    return records


def demo_records_generate(*, plan: DemoPlan = KASSEL_2020_H1, seed: int | None = None) -> DemoRecords:
    """The plan's records, unsaved: per group exactly its ``online`` and ``counter`` transactions (the sum of
    ``count``), spread at random by ``seed`` (default: the plan's) over the group's days and services."""
    rng = random.Random(plan.seed if seed is None else seed)  # noqa: S311 - demo figures, reproducible by seed
    services = _services(sorted({slug for group in plan.groups for slug in group.services}))
    cases: list[CaseRecord] = []
    for group in plan.groups:
        cases.extend(_group_records(rng, group, services, plan.marker))
    appointments: list[AppointmentRecord] = []
    for appointment_plan in plan.appointments:
        appointments.extend(_appointment_records(rng, appointment_plan))
    return DemoRecords(cases=cases, appointments=appointments)


@dataclass(frozen=True)
class DemoLoadReport:
    deleted_cases: int
    deleted_appointments: int
    case_rows: int
    transactions: int
    appointments: int
    per_group: tuple[tuple[str, int, int], ...]  # (key, online, counter)


def demo_records_delete(*, plan: DemoPlan = KASSEL_2020_H1) -> tuple[int, int]:
    """Delete an earlier load of the plan: the case records marked with its marker, and the appointment records
    of its locations and services in its periods. How many of each were deleted."""
    with transaction.atomic():
        cases, _per_model = CaseRecord.objects.filter(details__demo=plan.marker).delete()
        appointments = 0
        for part in plan.appointments:
            deleted, _per_model = AppointmentRecord.objects.filter(
                location__slug=part.location,
                service__slug__in=list(part.services),
                day__gte=part.start,
                day__lte=part.end,
            ).delete()
            appointments += deleted
    return cases, appointments


def demo_records_load(*, plan: DemoPlan = KASSEL_2020_H1, seed: int | None = None) -> DemoLoadReport:
    """Replace the plan's demo records with freshly generated ones, in one transaction."""
    records = demo_records_generate(plan=plan, seed=seed)
    with transaction.atomic():
        deleted_cases, deleted_appointments = demo_records_delete(plan=plan)
        CaseRecord.objects.bulk_create(records.cases, batch_size=2000)
        AppointmentRecord.objects.bulk_create(records.appointments, batch_size=2000)
    return DemoLoadReport(
        deleted_cases=deleted_cases,
        deleted_appointments=deleted_appointments,
        case_rows=len(records.cases),
        transactions=sum(record.count for record in records.cases),
        appointments=len(records.appointments),
        per_group=tuple((group.key, group.online, group.counter) for group in plan.groups),
    )


def demo_plan_with(
    *, plan: DemoPlan = KASSEL_2020_H1, seed: int | None = None, **totals: int | tuple[int, int]
) -> DemoPlan:
    """The plan with other totals per group, e.g. ``demo_plan_with(certificates=(500, 900))`` for 500 online and
    900 counter certificates, or ``vehicles_online=40`` (a group's key with ``_`` for ``-``) for online only."""
    groups = []
    for group in plan.groups:
        total = totals.get(group.key.replace("-", "_"))
        if isinstance(total, tuple):
            group = dataclasses.replace(group, online=total[0], counter=total[1])
        elif total is not None:
            group = dataclasses.replace(group, online=total)
        groups.append(group)
    return dataclasses.replace(plan, groups=tuple(groups), seed=plan.seed if seed is None else seed)
