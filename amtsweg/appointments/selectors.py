"""Reads: a location's plan for a day, and the free start times for a service."""

from __future__ import annotations

import datetime
import functools
import itertools

import holidays
from django.utils import timezone

from amtsweg.catalogue.models import Location

from . import engine
from .constants import ACTIVE, AppointmentStatus
from .models import Appointment, BookableService, BookingPolicy, Closure, CounterHours


@functools.lru_cache(maxsize=16)
def _hesse_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv="HE", years=year)


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def booking_window(*, policy: BookingPolicy, now: datetime.datetime) -> tuple[datetime.datetime, datetime.date]:
    """The earliest start (now plus the lead time) and the last bookable day (horizon, released daily)."""
    local = timezone.localtime(now)
    released = local.time() >= policy.release_time
    last_day = local.date() + datetime.timedelta(days=policy.horizon_days - (0 if released else 1))
    return now + datetime.timedelta(minutes=policy.lead_minutes), last_day


def day_plan(
    *, location: Location, policy: BookingPolicy, day: datetime.date, now: datetime.datetime
) -> engine.DayPlan:
    """The engine's view of one day at a location: opening, counters minus absences, closures, the quota."""
    day_start, day_end = _at(day, datetime.time.min), _at(day + datetime.timedelta(days=1), datetime.time.min)
    if day in _hesse_holidays(day.year):
        return engine.DayPlan(opening=(), counters=())
    opening = _merged(
        (_at(day, hours.opens), _at(day, hours.closes))
        for hours in location.opening_hours.all()
        if hours.weekday == day.weekday()
    )
    staffed = [
        (_at(day, row.start), _at(day, row.end), row.counters)
        for row in CounterHours.objects.filter(location=location, weekday=day.weekday())
    ]
    closures = Closure.objects.filter(starts_at__lt=day_end, ends_at__gt=day_start).filter(models_q_location(location))
    closed = tuple(engine.Interval(c.starts_at, c.ends_at) for c in closures if c.counters == 0)
    absences = [(c.starts_at, c.ends_at, c.counters) for c in closures if c.counters > 0]
    windows = _windows(staffed, absences)
    most = max((w.counters for w in windows), default=0)
    released = day <= timezone.localdate(now) + datetime.timedelta(days=1)
    held = 0 if released else most * policy.emergency_percent // 100
    return engine.DayPlan(
        opening=opening,
        counters=tuple(windows),
        closed=closed,
        capacity=policy.waiting_room_capacity,
        waiting_minutes=policy.waiting_minutes,
        slot_minutes=policy.slot_minutes,
        counters_held=held,
    )


def _merged(spans) -> tuple[engine.Interval, ...]:  # type: ignore[no-untyped-def]
    """Opening intervals without overlaps (e.g. general and appointment-only hours listed for the same time)."""
    merged: list[list[datetime.datetime]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return tuple(engine.Interval(start, end) for start, end in merged)


def models_q_location(location: Location):  # type: ignore[no-untyped-def]
    from django.db.models import Q

    return Q(location=location) | Q(location__isnull=True)


def _windows(staffed, absences) -> list[engine.CounterWindow]:  # type: ignore[no-untyped-def]
    """Non-overlapping counter windows: staffed counters minus absent ones, per stretch of time."""
    points = sorted({t for start, end, _n in staffed + absences for t in (start, end)})
    windows = []
    for start, end in itertools.pairwise(points):
        counters = sum(n for s, e, n in staffed if s <= start and end <= e)
        counters -= sum(n for s, e, n in absences if s <= start and end <= e)
        if counters > 0:
            windows.append(engine.CounterWindow(start, end, counters))
    return windows


def day_bookings(
    *, location: Location, day: datetime.date, now: datetime.datetime, excluding: int | None = None
) -> list[engine.Booking]:
    """The appointments that take a counter and waiting-room places on the day (expired holds do not)."""
    start = _at(day, datetime.time.min)
    rows = Appointment.objects.filter(
        location=location, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1), status__in=ACTIVE
    ).exclude(status=AppointmentStatus.HELD, hold_expires_at__lte=now)
    if excluding is not None:
        rows = rows.exclude(pk=excluding)
    return [
        engine.Booking(start=row.starts_at, end=row.ends_at, persons=row.persons, counter=row.counter)
        for row in rows.only("starts_at", "ends_at", "persons", "counter")
    ]


def free_slots(
    *, location: Location, service_duration: int, persons: int, day: datetime.date, now: datetime.datetime | None = None
) -> list[engine.Slot]:
    now = now or timezone.now()
    policy = BookingPolicy.objects.get(location=location)
    earliest, last_day = booking_window(policy=policy, now=now)
    if day > last_day or day < timezone.localdate(now):
        return []
    plan = day_plan(location=location, policy=policy, day=day, now=now)
    bookings = day_bookings(location=location, day=day, now=now)
    return engine.free_starts(plan, bookings, duration=service_duration, persons=persons, earliest=earliest)


def next_free(
    *,
    location: Location,
    bookable: BookableService,
    persons: int = 1,
    now: datetime.datetime | None = None,
    count: int = 3,
) -> list[engine.Slot]:
    """The next ``count`` free starts from now within the horizon."""
    now = now or timezone.now()
    policy = BookingPolicy.objects.get(location=location)
    _earliest, last_day = booking_window(policy=policy, now=now)
    found: list[engine.Slot] = []
    day = timezone.localdate(now)
    while day <= last_day and len(found) < count:
        found += free_slots(
            location=location, service_duration=bookable.duration_minutes, persons=persons, day=day, now=now
        )[: count - len(found)]
        day += datetime.timedelta(days=1)
    return found


def appointments_of_day(*, location: Location, day: datetime.date) -> list[Appointment]:
    start = _at(day, datetime.time.min)
    return list(
        Appointment.objects.filter(
            location=location, starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=1)
        )
        .exclude(status__in=[AppointmentStatus.EXPIRED])
        .select_related("service", "case")
        .prefetch_related("extra_services")
        .order_by("starts_at", "counter")
    )


def waiting_room_count(*, location: Location, now: datetime.datetime | None = None) -> int:
    """Persons on site now: checked in and not yet finished."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    start = _at(today, datetime.time.min)
    rows = Appointment.objects.filter(
        location=location,
        status=AppointmentStatus.CHECKED_IN,
        starts_at__gte=start,
        starts_at__lt=start + datetime.timedelta(days=1),
    )
    return sum(rows.values_list("persons", flat=True))


def calls_shown(*, location: Location, now: datetime.datetime | None = None, count: int = 8) -> list[Appointment]:
    """The latest calls of today for the waiting-room screen, newest first."""
    now = now or timezone.now()
    start = _at(timezone.localdate(now), datetime.time.min)
    return list(
        Appointment.objects.filter(location=location, called_at__gte=start, status=AppointmentStatus.CHECKED_IN)
        .order_by("-called_at")
        .only("booking_code", "counter", "called_at")[:count]
    )


def appointments_for_case(*, case) -> list[Appointment]:  # type: ignore[no-untyped-def]
    if case is None:
        return []
    return list(case.appointments.exclude(status=AppointmentStatus.EXPIRED).select_related("location", "service"))


def booking_offers(*, case) -> list[dict]:  # type: ignore[no-untyped-def]
    """Where the case's service can be booked, with a link that ties the booking to the case."""
    from django.urls import reverse

    from .tokens import case_token

    if case is None or any(a.status in ACTIVE for a in appointments_for_case(case=case)):
        return []
    token = case_token(case=case)
    return [
        {
            "location": bookable.location,
            "url": reverse("appointments:times", args=[bookable.location.slug, bookable.service.slug])
            + f"?vorgang={token}",
        }
        for bookable in BookableService.objects.filter(
            service_id=case.service_id, location__booking_policy__enabled=True
        ).select_related("location", "service")
    ]


def earliest_anywhere(*, service_slug: str, persons: int = 1, now: datetime.datetime | None = None) -> list[dict]:
    """For a service offered at several places (e.g. vehicle registration at four offices): each place's
    next free time, earliest first; places with nothing free within their horizon come last."""
    now = now or timezone.now()
    found = []
    for bookable in BookableService.objects.filter(
        service__slug=service_slug, location__booking_policy__enabled=True
    ).select_related("location", "service"):
        slots = next_free(location=bookable.location, bookable=bookable, persons=persons, now=now, count=1)
        found.append({"bookable": bookable, "slot": slots[0] if slots else None})
    return sorted(found, key=lambda item: (item["slot"] is None, item["slot"].start if item["slot"] else now))
