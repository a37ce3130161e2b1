"""The slot engine: at which start times may one more appointment be booked on a day?

Pure functions over plain data, so that the rules can be tested exhaustively
(tests/appointments/test_engine_properties.py) and the database code only has
to collect the day's plan and bookings and call ``free_starts`` under a lock.

A start ``s`` for an appointment of ``duration`` minutes for ``persons`` people
is free when all of these hold:

1. **Opening hours**: ``[s, s + duration)`` lies inside one opening interval,
   and ``s`` is on the slot grid (every ``slot_minutes`` from the interval's start).
2. **Closures**: it overlaps no closed interval (a holiday, a closure day, a
   staff absence).
3. **Time**: ``s >= earliest`` (now plus the lead time); the caller checks the
   horizon and the daily release of new days.
4. **A counter**: some counter number ``c`` is free for the whole duration:
   ``c`` is below the number of counters staffed at every moment of it (minus
   the counters held back for the emergency quota), and no booking on ``c``
   overlaps it. The lowest such ``c`` is given.
5. **The waiting room**: a person is on site from ``waiting_minutes`` before
   their start until their end. At no moment of ``[s - waiting, s + duration)``
   may the persons on site, counting the new ones, exceed ``capacity``.

Times are naive or aware ``datetime`` values, but all of one kind per call.
The caller guarantees that opening intervals do not overlap each other and
that counter windows do not overlap each other (``selectors.day_plan`` builds
non-overlapping counter windows from the staffed hours minus absences).
"""

from __future__ import annotations

import bisect
import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

MINUTE = datetime.timedelta(minutes=1)


@dataclass(frozen=True)
class Interval:
    start: datetime.datetime
    end: datetime.datetime

    def overlaps(self, start: datetime.datetime, end: datetime.datetime) -> bool:
        return self.start < end and start < self.end


@dataclass(frozen=True)
class CounterWindow:
    """From ``start`` to ``end``, ``counters`` desks are staffed."""

    start: datetime.datetime
    end: datetime.datetime
    counters: int


@dataclass(frozen=True)
class Booking:
    start: datetime.datetime
    end: datetime.datetime
    persons: int
    counter: int


@dataclass(frozen=True)
class DayPlan:
    opening: tuple[Interval, ...]
    counters: tuple[CounterWindow, ...]
    closed: tuple[Interval, ...] = ()
    capacity: int = 8  # the most persons on site at once
    waiting_minutes: int = 15  # on site this long before the start
    slot_minutes: int = 15
    counters_held: int = 0  # held back for the emergency quota (released the day before)


@dataclass(frozen=True)
class Slot:
    start: datetime.datetime
    end: datetime.datetime
    counter: int


def counters_at(plan: DayPlan, start: datetime.datetime, end: datetime.datetime) -> int:
    """The fewest counters staffed at any moment of ``[start, end)``; 0 if a moment has no window."""
    cursor, fewest = start, None
    # Walk the windows in time order; a gap before ``end`` means no counter at that moment.
    for window in sorted(plan.counters, key=lambda w: w.start):
        if window.end <= cursor or window.counters <= 0:
            continue
        if window.start > cursor:
            return 0
        fewest = window.counters if fewest is None else min(fewest, window.counters)
        cursor = window.end
        if cursor >= end:
            return max(fewest - plan.counters_held, 0)
    return 0


def on_site_peak(bookings: Iterable[Booking], start: datetime.datetime, end: datetime.datetime, waiting: int) -> int:
    """The most persons on site at any moment of ``[start, end)``."""
    before = datetime.timedelta(minutes=waiting)
    events: list[tuple[datetime.datetime, int]] = []
    for booking in bookings:
        arrive, leave = booking.start - before, booking.end
        if arrive < end and start < leave:
            events.append((max(arrive, start), booking.persons))
            events.append((min(leave, end), -booking.persons))
    # Departures before arrivals at the same moment: [arrive, leave) is half-open.
    events.sort(key=lambda event: (event[0], event[1]))
    peak = current = 0
    for _moment, change in events:
        current += change
        peak = max(peak, current)
    return peak


def free_counter(plan: DayPlan, bookings: Sequence[Booking], start: datetime.datetime, end: datetime.datetime) -> int:
    """The lowest counter free for the whole of ``[start, end)``, or -1."""
    staffed = counters_at(plan, start, end)
    taken = {b.counter for b in bookings if b.start < end and start < b.end}
    return next((c for c in range(staffed) if c not in taken), -1)


def is_free(
    plan: DayPlan,
    bookings: Sequence[Booking],
    *,
    start: datetime.datetime,
    duration: int,
    persons: int,
    earliest: datetime.datetime | None = None,
) -> Slot | None:
    """The slot at ``start`` if rules 1–5 allow it, else None."""
    end = start + duration * MINUTE
    if duration <= 0 or persons <= 0 or (earliest is not None and start < earliest):
        return None
    on_grid = any(
        interval.start <= start
        and end <= interval.end
        and (start - interval.start) % (plan.slot_minutes * MINUTE) == datetime.timedelta(0)
        for interval in plan.opening
    )
    if not on_grid or any(closed.overlaps(start, end) for closed in plan.closed):
        return None
    counter = free_counter(plan, bookings, start, end)
    if counter < 0:
        return None
    arrive = start - plan.waiting_minutes * MINUTE
    if on_site_peak(bookings, arrive, end, plan.waiting_minutes) + persons > plan.capacity:
        return None
    return Slot(start=start, end=end, counter=counter)


class Nearby:
    """The bookings sorted by start, to hand each start only the bookings that can matter to it.

    A booking matters to ``[start, end)`` if it holds a counter then (``b.start < end`` and ``start < b.end``)
    or has persons on site during the waiting room window ``[start - waiting, end)`` (``b.start - waiting <
    end`` and ``start - waiting < b.end``). Both imply ``start - waiting - longest < b.start < end + waiting``,
    where ``longest`` is the longest booking: a bisection finds that stretch. The rules in ``is_free`` then
    see the same overlapping bookings as with the whole day, so the answer is the same, only the work per start
    no longer grows with the bookings of the whole day.
    """

    def __init__(self, bookings: Sequence[Booking], waiting_minutes: int) -> None:
        self.bookings = sorted(bookings, key=lambda b: b.start)
        self.starts = [b.start for b in self.bookings]
        # Not below 0 (a booking ending before it starts, bad data, must not shrink the reach).
        self.longest = max([datetime.timedelta(0), *(b.end - b.start for b in self.bookings)])
        self.waiting = waiting_minutes * MINUTE

    def around(self, start: datetime.datetime, end: datetime.datetime) -> list[Booking]:
        low = bisect.bisect_right(self.starts, start - self.waiting - self.longest)
        high = bisect.bisect_left(self.starts, end + self.waiting)
        return self.bookings[low:high]


def free_starts(
    plan: DayPlan,
    bookings: Sequence[Booking],
    *,
    duration: int,
    persons: int = 1,
    earliest: datetime.datetime | None = None,
    limit: int | None = None,
) -> list[Slot]:
    """Every free start of the day in time order (at most ``limit``).

    The same answers as ``is_free`` at every start of the grid with all the day's bookings (tested against
    that in tests/appointments/test_engine_properties.py), but each start looks only at the bookings near it.
    """
    slots: list[Slot] = []
    if limit is not None and limit <= 0:
        return slots
    step = plan.slot_minutes * MINUTE
    length = duration * MINUTE
    nearby = Nearby(bookings, plan.waiting_minutes)
    for interval in sorted(plan.opening, key=lambda i: i.start):
        start = interval.start
        if earliest is not None and start < earliest:  # jump to the first start of the grid not before earliest
            start += -((interval.start - earliest) // step) * step
        while start + length <= interval.end:
            slot = is_free(
                plan, nearby.around(start, start + length), start=start, duration=duration, persons=persons,
                earliest=earliest,
            )  # fmt: skip
            if slot is not None:
                slots.append(slot)
                if limit is not None and len(slots) >= limit:
                    return slots
            start += step
    return slots


def surely_full(
    plan: DayPlan,
    started: Mapping[datetime.datetime, tuple[int, int]],
    *,
    duration: int,
    earliest: datetime.datetime | None = None,
) -> bool:
    """True if no start of the day can be free, proven from a summary of the bookings alone.

    ``started`` maps a start time to (how many different counters have a booking starting then, the highest
    of those counters), counting only bookings that end after they start. A booking starting at ``s``
    overlaps ``[s, s + duration)``, so if the bookings starting at ``s`` hold every counter below the number
    staffed then, rule 4 refuses ``s``. A start is also refused before ``earliest``, during a closure or
    without counters. False means only "maybe": ``free_starts`` on the bookings decides. (On a day booked out
    on the grid this proves it full without reading its bookings; the search over many days skips it.)
    """
    step, length = plan.slot_minutes * MINUTE, duration * MINUTE
    for interval in plan.opening:
        start = interval.start
        while start + length <= interval.end:
            if not surely_taken(plan, started, start=start, end=start + length, earliest=earliest):
                return False
            start += step
    return True


def surely_taken(
    plan: DayPlan,
    started: Mapping[datetime.datetime, tuple[int, int]],
    *,
    start: datetime.datetime,
    end: datetime.datetime,
    earliest: datetime.datetime | None = None,
) -> bool:
    """True if ``[start, end)`` is refused by rule 3 (earliest), 2 (a closure) or 4 (every counter taken
    by a booking starting at ``start``), proven from the summary ``started`` (see ``surely_full``)."""
    if (earliest is not None and start < earliest) or any(closed.overlaps(start, end) for closed in plan.closed):
        return True
    staffed = counters_at(plan, start, end)
    counters, highest = started.get(start, (0, -1))
    return staffed == 0 or highest < staffed <= counters
