"""Reads: a location's plan for a day, and the free start times for a service."""

from __future__ import annotations

import dataclasses
import datetime
import functools
import itertools
from collections.abc import Sequence
from typing import Any

import holidays
from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, F, Max, Min, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from amtsweg.cases.constants import CLOSED_STATUSES
from amtsweg.catalogue.models import Location, OpeningHours, Service
from amtsweg.core import dates
from amtsweg.core.memo import MISSING, Memo

from . import engine
from .constants import ACTIVE, AppointmentStatus
from .models import Appointment, BookableService, BookingInvitation, BookingPolicy, Closure, CounterHours


@functools.lru_cache(maxsize=16)
def _hesse_holidays(year: int) -> holidays.HolidayBase:
    return holidays.country_holidays("DE", subdiv="HE", years=year)


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


def appointment_days(*, policy: BookingPolicy) -> dates.DateRange:
    """The days a date or time sent to the booking or back-office pages of a location may name:
    ``APPOINTMENTS_DAY_WINDOW_DAYS`` before and after today (staff look back at past days and block days
    ahead), and at least the location's whole booking horizon."""
    window = settings.APPOINTMENTS_DAY_WINDOW_DAYS
    return dates.days_around(before=window, after=max(window, policy.horizon_days + 1))


def booking_window(*, policy: BookingPolicy, now: datetime.datetime) -> tuple[datetime.datetime, datetime.date]:
    """The earliest start (now plus the lead time) and the last bookable day (horizon, released daily)."""
    local = timezone.localtime(now)
    released = local.time() >= policy.release_time
    last_day = local.date() + datetime.timedelta(days=policy.horizon_days - (0 if released else 1))
    return now + datetime.timedelta(minutes=policy.lead_minutes), last_day


class Calendar:
    """A location's settings for a stretch of days, read once (opening hours, counters, closures), from which
    ``plan(day)`` builds each day's ``engine.DayPlan``. A search over the horizon makes three queries for the
    settings instead of three per day."""

    def __init__(
        self,
        *,
        location: Location,
        policy: BookingPolicy,
        first: datetime.date,
        last: datetime.date,
        now: datetime.datetime,
    ) -> None:
        self.policy = policy
        self.today = timezone.localdate(now)
        since = min(first, self.today)
        self.opening, self.staffed, closures = location_settings(location=location, policy=policy, since=since)
        begins, ends = _at(first, datetime.time.min), _at(last + datetime.timedelta(days=1), datetime.time.min)
        self.closures = [c for c in closures if c[0] < ends and c[1] > begins]

    def plan(self, day: datetime.date) -> engine.DayPlan:
        """The engine's view of one day: opening, counters minus absences, closures, the quota."""
        if day in _hesse_holidays(day.year):
            return engine.DayPlan(opening=(), counters=())
        day_start, day_end = _at(day, datetime.time.min), _at(day + datetime.timedelta(days=1), datetime.time.min)
        opening = _merged((_at(day, opens), _at(day, closes)) for opens, closes in self.opening.get(day.weekday(), []))
        staffed = [(_at(day, start), _at(day, end), n) for start, end, n in self.staffed.get(day.weekday(), [])]
        closures = [c for c in self.closures if c[0] < day_end and c[1] > day_start]
        closed = tuple(engine.Interval(start, end) for start, end, n in closures if n == 0)
        absences = [c for c in closures if c[2] > 0]
        windows = _windows(staffed, absences)
        most = max((w.counters for w in windows), default=0)
        released = day <= self.today + datetime.timedelta(days=1)
        held = 0 if released else most * self.policy.emergency_percent // 100
        return engine.DayPlan(
            opening=opening,
            counters=tuple(windows),
            closed=closed,
            capacity=self.policy.waiting_room_capacity,
            waiting_minutes=self.policy.waiting_minutes,
            slot_minutes=self.policy.slot_minutes,
            counters_held=held,
        )


SETTINGS_KEY = "appt:settings:{location}:{version}:{since}"


def location_settings(*, location: Location, policy: BookingPolicy, since: datetime.date) -> tuple[dict, dict, list]:
    """A location's opening hours and counters by weekday, and its closures from ``since`` on, cached under the
    policy's ``settings_version`` (replaced in the transaction of every change of them, models.py). The hold
    reads ``policy`` under its lock, so it always sees the current version."""
    key = SETTINGS_KEY.format(location=location.pk, version=policy.settings_version, since=since.isoformat())
    found = cache.get(key)
    if found is not None:
        return found
    opening: dict[int, list[tuple[datetime.time, datetime.time]]] = {}
    for weekday, opens, closes in OpeningHours.objects.filter(location_id=location.pk).values_list(
        "weekday", "opens", "closes"
    ):
        opening.setdefault(weekday, []).append((opens, closes))
    staffed: dict[int, list[tuple[datetime.time, datetime.time, int]]] = {}
    for weekday, start, end, counters in CounterHours.objects.filter(location_id=location.pk).values_list(
        "weekday", "start", "end", "counters"
    ):
        staffed.setdefault(weekday, []).append((start, end, counters))
    closures = list(
        Closure.objects.filter(ends_at__gt=_at(since, datetime.time.min))
        .filter(models_q_location(location))
        .values_list("starts_at", "ends_at", "counters")
    )
    cache.set(key, (opening, staffed, closures), timeout=24 * 3600)
    return opening, staffed, closures


def day_plan(
    *, location: Location, policy: BookingPolicy, day: datetime.date, now: datetime.datetime
) -> engine.DayPlan:
    """The engine's view of one day at a location: opening, counters minus absences, closures, the quota."""
    return Calendar(location=location, policy=policy, first=day, last=day, now=now).plan(day)


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
    # Plain tuples, not model instances: a booked-out day has a hundred rows, read on every hold attempt.
    return [
        engine.Booking(start=starts, end=ends, persons=persons, counter=counter)
        for starts, ends, persons, counter in rows.values_list("starts_at", "ends_at", "persons", "counter")
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


def bookings_by_day(
    *, location: Location, first: datetime.date, last: datetime.date, now: datetime.datetime
) -> tuple[dict[datetime.date, list[engine.Booking]], datetime.datetime | None]:
    """``day_bookings`` for every day from ``first`` to ``last`` in one query (only the columns the engine
    needs), and the moment the first of these holds expires (then the answer changes).

    The times are in UTC, as the database gives them (see ``_utc``)."""
    start, end = _at(first, datetime.time.min), _at(last + datetime.timedelta(days=1), datetime.time.min)
    rows = (
        Appointment.objects.filter(location=location, starts_at__gte=start, starts_at__lt=end, status__in=ACTIVE)
        .exclude(status=AppointmentStatus.HELD, hold_expires_at__lte=now)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at", "persons", "counter", "hold_expires_at")
    )
    found: dict[datetime.date, list[engine.Booking]] = {}
    expires = None
    day, day_end = first, _utc(_at(first + datetime.timedelta(days=1), datetime.time.min))
    bookings: list[engine.Booking] = []
    for starts_at, ends_at, persons, counter, hold_expires_at in rows:
        while starts_at >= day_end:  # rows come in time order: move on to the row's day
            found[day], bookings = bookings, []
            day += datetime.timedelta(days=1)
            day_end = _utc(_at(day + datetime.timedelta(days=1), datetime.time.min))
        bookings.append(engine.Booking(start=starts_at, end=ends_at, persons=persons, counter=counter))
        if hold_expires_at is not None and (expires is None or hold_expires_at < expires):
            expires = hold_expires_at
    found[day] = bookings
    return found, expires


def _utc(moment: datetime.datetime) -> datetime.datetime:
    """The same moment with ``datetime.UTC``, the time zone the database rows come in. Comparing two aware
    times of the same tzinfo object is a plain comparison; Europe/Berlin against UTC asks the zone for its
    offset every time, which made most of a search's time over many booked-out days."""
    return moment.astimezone(datetime.UTC)


def _plan_in_utc(plan: engine.DayPlan) -> engine.DayPlan:
    return dataclasses.replace(
        plan,
        opening=tuple(engine.Interval(_utc(i.start), _utc(i.end)) for i in plan.opening),
        counters=tuple(engine.CounterWindow(_utc(w.start), _utc(w.end), w.counters) for w in plan.counters),
        closed=tuple(engine.Interval(_utc(i.start), _utc(i.end)) for i in plan.closed),
    )


def _search(
    *,
    location: Location,
    policy: BookingPolicy,
    duration: int,
    persons: int,
    now: datetime.datetime,
    count: int,
    first: datetime.date | None = None,
) -> tuple[list[engine.Slot], datetime.datetime | None]:
    """The next ``count`` free starts from now (or from the day ``first``) within the horizon, and when the
    first counted hold expires.

    The settings are read once. A summary of the bookings (one row per start time) is read a week at a
    time, then two, four … weeks; a day it proves full (``engine.surely_full``) is skipped, the bookings of
    any other day are read and searched. A search through weeks that are booked out on the grid thus reads
    a few thousand summary rows instead of every booking, and makes a few queries, not four per day."""
    earliest, last_day = booking_window(policy=policy, now=now)
    day = max(first, timezone.localdate(now)) if first else timezone.localdate(now)
    if day > last_day:
        return [], None
    calendar = Calendar(location=location, policy=policy, first=day, last=last_day, now=now)
    found: list[engine.Slot] = []
    expires = None
    days = 7
    while day <= last_day and len(found) < count:
        until = min(day + datetime.timedelta(days=days - 1), last_day)
        started, first_expiry = starts_summary(location=location, first=day, last=until, now=now)
        if first_expiry is not None and (expires is None or first_expiry < expires):
            expires = first_expiry
        while day <= until and len(found) < count:
            plan = _plan_in_utc(calendar.plan(day))
            if plan.opening and not engine.surely_full(plan, started, duration=duration, earliest=_utc(earliest)):
                booked, _expiry = bookings_by_day(location=location, first=day, last=day, now=now)
                found += [
                    engine.Slot(timezone.localtime(slot.start), timezone.localtime(slot.end), slot.counter)
                    for slot in engine.free_starts(
                        plan, booked[day], duration=duration, persons=persons, earliest=_utc(earliest),
                        limit=count - len(found),
                    )
                ]  # fmt: skip
            day += datetime.timedelta(days=1)
        days *= 2
    return found, expires


def starts_summary(
    *, location: Location, first: datetime.date, last: datetime.date, now: datetime.datetime
) -> tuple[dict[datetime.datetime, tuple[int, int]], datetime.datetime | None]:
    """For each start time from ``first`` to ``last``: how many different counters have a counted booking
    starting then, and the highest of them (``engine.surely_full``); and when the first counted hold expires.
    One grouped query: a row per start time, not per booking."""
    start, end = _at(first, datetime.time.min), _at(last + datetime.timedelta(days=1), datetime.time.min)
    rows = (
        Appointment.objects.filter(
            location=location, starts_at__gte=start, starts_at__lt=end, status__in=ACTIVE, ends_at__gt=F("starts_at")
        )
        .exclude(status=AppointmentStatus.HELD, hold_expires_at__lte=now)
        .order_by()
        .values_list("starts_at")
        .annotate(Count("counter", distinct=True), Max("counter"), Min("hold_expires_at"))
    )
    started, expires = {}, None
    for starts_at, counters, highest, expiry in rows:
        started[starts_at] = (counters, highest)
        if expiry is not None and (expires is None or expiry < expires):
            expires = expiry
    return started, expires


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
    return _search(
        location=location, policy=policy, duration=bookable.duration_minutes, persons=persons, now=now, count=count
    )[0]


EARLIEST_KEY = "appt:earliest:{location}:{service}:{duration}:{persons}:{version}"


def earliest_free(
    *, bookable: BookableService, policy: BookingPolicy, persons: int = 1, now: datetime.datetime | None = None
) -> engine.Slot | None:
    """The next free start for the bookable service, cached until something changes it.

    The key carries the policy's ``version``, which every booking, cancellation, closure and change of the
    settings replaces in its own transaction (models.free_times_changed): ``policy`` must be read before the
    search reads the bookings, so an answer is never stored under a version newer than what it saw. Time
    changes the answer too, so an answer is used only from when it was computed until the first of: the found
    time comes within the lead time, a counted hold expires, midnight (the quota, today's times), the next
    daily release (the horizon).
    """
    now = now or timezone.now()
    key = EARLIEST_KEY.format(
        location=bookable.location_id, service=bookable.service_id, duration=bookable.duration_minutes,
        persons=persons, version=policy.version,
    )  # fmt: skip
    entry = cache.get(key)
    if entry is not None and entry["from"] <= now < entry["until"]:
        return entry["slot"]
    slots, expires = _search(
        location=bookable.location, policy=policy, duration=bookable.duration_minutes, persons=persons, now=now,
        count=1,
    )  # fmt: skip
    slot = slots[0] if slots else None
    moments = [_next_release(policy=policy, now=now)]
    if slot is not None:
        moments.append(slot.start - datetime.timedelta(minutes=policy.lead_minutes))
    until = _valid_until(now=now, expires=expires, also=moments)
    if until > now:
        cache.set(key, {"from": now, "until": until, "slot": slot}, timeout=(until - now).total_seconds())
    return slot


def _next_release(*, policy: BookingPolicy, now: datetime.datetime) -> datetime.datetime:
    """The next daily release of a new day (the horizon moves on)."""
    local = timezone.localtime(now)
    release = _at(local.date(), policy.release_time)
    if release <= now:
        release = _at(local.date() + datetime.timedelta(days=1), policy.release_time)
    return release


def _valid_until(
    *, now: datetime.datetime, expires: datetime.datetime | None, also: Sequence[datetime.datetime] = ()
) -> datetime.datetime:
    """How long an answer computed at ``now`` holds without any write: until midnight (the emergency quota and
    today's times change then), the first counted hold expires (its place is free again), or any of ``also``."""
    local = timezone.localtime(now)
    moments = [_at(local.date() + datetime.timedelta(days=1), datetime.time.min), *also]
    if expires is not None:
        moments.append(expires)
    return min(moments)


# The free times of a day change with every booking and are read by every attempt to book: each process keeps
# them in its own memory (core.memo; a read from the file cache or Redis would cost as much as the rest of a
# refusal). The policy's ``version`` is the memo's stamp, so every process is exact after a booking; the memo's
# expiry heals a change made without a new version within a minute.
_free_times = Memo("appointments.free_times")


def _free_times_get(key: tuple, *, version: int, now: datetime.datetime) -> tuple[engine.Slot, ...] | None:
    entry = _free_times.find(key, stamp=version)
    if entry is MISSING:
        return None
    valid_from, until, free = entry
    return free if valid_from <= now < until else None


def _free_times_put(
    key: tuple, *, version: int, free: Sequence[engine.Slot], now: datetime.datetime, until: datetime.datetime
) -> tuple[engine.Slot, ...]:
    free = tuple(free)
    if until > now:
        _free_times.keep(key, (now, until, free), stamp=version)
    return free


def day_free(
    *,
    location: Location,
    policy: BookingPolicy,
    day: datetime.date,
    duration: int,
    persons: int,
    now: datetime.datetime,
) -> list[engine.Slot]:
    """Every free start of the day for a booking of ``duration`` minutes for ``persons`` (from the earliest
    bookable start on), from the committed bookings: what the hold answers a taken time from at once.

    Kept in the process's memory (``_free_times``) under the policy's ``version``, which every booking,
    cancellation, deletion, closure and change of the settings replaces in its own transaction, and
    ``policy`` must have been read before this reads the bookings, so an answer is never stored under a version
    newer than what it saw. An answer is used only from when it was computed until midnight or the first
    counted hold of the day expires, whichever comes first (then a place may be free again without any
    write). Starts that have come within the lead time since stay in the list: the caller checks the time
    rules itself.
    """
    key = ("day", location.pk, day, duration, persons)
    found = _free_times_get(key, version=policy.version, now=now)
    if found is not None:
        return list(found)
    earliest, _last_day = booking_window(policy=policy, now=now)
    plan = _plan_in_utc(day_plan(location=location, policy=policy, day=day, now=now))
    booked, expires = bookings_by_day(location=location, first=day, last=day, now=now)
    free = [
        engine.Slot(timezone.localtime(slot.start), timezone.localtime(slot.end), slot.counter)
        for slot in engine.free_starts(plan, booked[day], duration=duration, persons=persons, earliest=_utc(earliest))
    ]
    _free_times_put(key, version=policy.version, free=free, now=now, until=_valid_until(now=now, expires=expires))
    return free


def next_free_after(
    *,
    location: Location,
    policy: BookingPolicy,
    day: datetime.date,
    free_that_day: Sequence[engine.Slot],
    duration: int,
    persons: int,
    now: datetime.datetime,
    count: int = 3,
) -> list[engine.Slot]:
    """The next free times to offer for a time that was just taken: the day's own free starts first, then
    the following days' (``_search``, cached like ``day_free``), ``count`` in all."""
    found = list(free_that_day[:count])
    if len(found) >= count:
        return found
    key = ("later", location.pk, day, duration, persons)
    later = _free_times_get(key, version=policy.version, now=now)
    if later is None:
        searched, expires = _search(
            location=location, policy=policy, duration=duration, persons=persons, now=now, count=count,
            first=day + datetime.timedelta(days=1),
        )  # fmt: skip
        later = _free_times_put(
            key, version=policy.version, free=searched, now=now, until=_valid_until(now=now, expires=expires)
        )
    return found + list(later[: count - len(found)])


def staff_locations(*, user: Any) -> QuerySet[Location]:
    """The places that take appointments in the staff member's departments (every place for a superuser)."""
    from amtsweg.cases.selectors import case_department_ids

    places = Location.objects.filter(booking_policy__isnull=False)
    allowed = case_department_ids(user=user)
    return places if allowed is None else places.filter(department_id__in=allowed)


def booking_start_url(*, service: Service) -> str:
    """Where a citizen books the service: its place's times, the earliest free time at each of its places,
    or "" when no place takes online bookings for it. Shown on the service page."""
    places = list(
        BookableService.objects.filter(service=service, location__booking_policy__enabled=True, case_link_only=False)
        .values_list("location__slug", flat=True)
        .order_by("location__slug")[:2]
    )
    if not places:
        return ""
    if len(places) == 1:
        return reverse("appointments:times", kwargs={"location": places[0], "service": service.slug})
    return reverse("appointments:earliest", kwargs={"service": service.slug})


def bookable_open(*, location: str, service: str) -> BookableService | None:
    """The service bookable at the place, with its location, service and policy, if the place takes online
    bookings; else None. Read on every booking page: the policy's ``version`` must be fresh (the free times
    are kept under it)."""
    return (
        BookableService.objects.select_related("location", "service", "location__booking_policy")
        .filter(location__slug=location, service__slug=service, location__booking_policy__enabled=True)
        .first()
    )


def booking_invited(*, case: Any, bookable: BookableService) -> bool:
    """Whether ``case`` may book ``bookable``: any case where the public may book, an invited one where the
    place keeps its times for cases (``BookableService.case_link_only``)."""
    if not bookable.case_link_only:
        return True
    return case is not None and BookingInvitation.objects.filter(case=case, bookable=bookable).exists()


def _offered_to(case: Any) -> Q:
    """The bookable services a case's link may offer: the public ones and those its case was invited to."""
    return Q(case_link_only=False) | Q(invitations__case=case)


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


@dataclasses.dataclass(frozen=True)
class Call:
    """What the public waiting-room screen shows of a called appointment: its booking code and counter (0-based).
    Nothing that names the person or what they came for: the screen faces a room full of people."""

    booking_code: str
    counter: int


def calls_shown(*, location: Location, now: datetime.datetime | None = None, count: int = 8) -> list[Call]:
    """The latest calls of today for the waiting-room screen, newest first: only the booking code and the
    counter are read, so the page cannot show anything else."""
    now = now or timezone.now()
    start = _at(timezone.localdate(now), datetime.time.min)
    rows = (
        Appointment.objects.filter(location=location, called_at__gte=start, status=AppointmentStatus.CHECKED_IN)
        .order_by("-called_at")
        .values_list("booking_code", "counter")[:count]
    )
    return [Call(booking_code=code, counter=counter) for code, counter in rows]


def appointments_for_case(*, case) -> list[Appointment]:  # type: ignore[no-untyped-def]
    if case is None:
        return []
    return list(case.appointments.exclude(status=AppointmentStatus.EXPIRED).select_related("location", "service"))


def appointment_required(*, service) -> bool:  # type: ignore[no-untyped-def]
    """Whether the service is prepared online and finished at an appointment on site (its "how it works"
    in the catalogue); other bookable services only offer one."""
    from amtsweg.catalogue.constants import OnlineMode

    return service is not None and service.online_mode == OnlineMode.ONLINE_THEN_APPOINTMENT


def appointment_missing(*, case) -> bool:  # type: ignore[no-untyped-def]
    """A case whose service requires an appointment, with none active yet (shown to staff and citizen)."""
    if case is None or not appointment_required(service=case.service):
        return False
    return not any(a.status in ACTIVE for a in appointments_for_case(case=case))


def booking_offers(*, case) -> list[dict]:  # type: ignore[no-untyped-def]
    """Where the case's service can be booked, with a link that ties the booking to the case."""
    from django.urls import reverse

    from .tokens import case_token

    if case is None or case.status in CLOSED_STATUSES:  # nothing to book for a finished case
        return []
    # Most services have no bookable place: then one query answers, without looking at appointments.
    bookables = list(
        BookableService.objects.filter(
            _offered_to(case), service_id=case.service_id, location__booking_policy__enabled=True
        )
        .select_related("location", "service")
        .distinct()
    )
    if not bookables or case.appointments.filter(status__in=ACTIVE).exists():
        return []
    token = case_token(case=case)
    return [
        {
            "location": bookable.location,
            "url": reverse("appointments:times", args=[bookable.location.slug, bookable.service.slug])
            + f"?vorgang={token}",
        }
        for bookable in bookables
    ]


def booking_offers_at(*, case, location: str, service: str) -> list[dict]:  # type: ignore[no-untyped-def]
    """The booking link of a checklist's appointment (applications.formengine.checklist): the ``service`` at the
    ``location`` it names, tied to the case if there is one, with the duration booked there; where it names no
    place, wherever the case's service is booked (``booking_offers``). Empty when the place takes no online
    bookings for it, the case is closed or it already has an active appointment."""
    if not location:
        return booking_offers(case=case)
    from .tokens import case_token

    if case is not None and (case.status in CLOSED_STATUSES or case.appointments.filter(status__in=ACTIVE).exists()):
        return []
    bookable = (
        BookableService.objects.filter(
            location__slug=location, service__slug=service, location__booking_policy__enabled=True
        )
        .select_related("location")
        .first()
    )
    if bookable is None or not booking_invited(case=case, bookable=bookable):
        return []
    url = reverse("appointments:times", args=[location, service])
    if case is not None:
        url += f"?vorgang={case_token(case=case)}"
    return [{"location": bookable.location, "url": url, "duration": bookable.duration_minutes}]


def booking_at_once_url(*, submission) -> str | None:  # type: ignore[no-untyped-def]
    """Where the citizen goes straight after sending (after paying, for a fee): the booking page of the next
    step, tied to the case, when the form's outcome says ``book_at_once`` (formengine.checklist); else None
    (the confirmation page). None too while the case is not open yet (a payment whose "paid" has not
    arrived): a booking must be tied to its case."""
    from amtsweg.applications.selectors import submission_checklist

    # The outcome stored with the submission answers without a query for every form that books nothing.
    if (submission.outcome or {}).get("kind") != "appointment":
        return None
    case = getattr(submission, "case", None)
    if case is None:
        return None
    step = submission_checklist(submission=submission).next_step
    if step is None or step.kind != "appointment" or not step.book_at_once:
        return None
    offers = booking_offers_at(case=case, location=step.location, service=step.service)
    return str(offers[0]["url"]) if offers else None


def earliest_anywhere(*, service_slug: str, persons: int = 1, now: datetime.datetime | None = None) -> list[dict]:
    """For a service offered at several places (e.g. vehicle registration at the four Kfz offices): each place's
    next free time, earliest first; places with nothing free within their horizon come last."""
    now = now or timezone.now()
    found = []
    for bookable in BookableService.objects.filter(
        service__slug=service_slug, location__booking_policy__enabled=True, case_link_only=False
    ).select_related("location", "service", "location__booking_policy"):
        slot = earliest_free(bookable=bookable, policy=bookable.location.booking_policy, persons=persons, now=now)
        found.append({"bookable": bookable, "slot": slot})
    return sorted(found, key=lambda item: (item["slot"] is None, item["slot"].start if item["slot"] else now))


def booking_holds_summary(*, now: datetime.datetime) -> tuple[int, datetime.datetime | None]:
    """The places held right now (a hold that has not run out and is not confirmed yet), and when the oldest of
    them was taken (``None`` when none is held): the monitoring's view of a booking rush (core/metrics.py)."""
    figures = Appointment.objects.filter(status=AppointmentStatus.HELD, hold_expires_at__gt=now).aggregate(
        held=Count("pk"), oldest=Min("created_at")
    )
    return figures["held"], figures["oldest"]
