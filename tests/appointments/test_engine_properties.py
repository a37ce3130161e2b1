"""Property-based tests of the slot engine against an independent minute-by-minute oracle.

However the bookings are made (hypothesis picks any offered slot, again and again), no counter is
double-booked, no booking runs on an unstaffed or held-back counter, and the waiting room never
holds more than its capacity. The engine offers exactly the starts the oracle finds feasible.

The oracle knows nothing of the engine's helpers: it paints the day minute by minute into lists
(counters staffed, closed, persons on site, bookings per counter) and reads the rules off them.
All plan boundaries fall on whole minutes, so minute resolution is exact.
"""

import datetime
from dataclasses import dataclass

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amtsweg.appointments.engine import Booking, CounterWindow, DayPlan, Interval, Slot, free_starts, is_free

DAY = datetime.datetime(2025, 3, 3)  # a Monday, 00:00
MINUTE = datetime.timedelta(minutes=1)
OPENS_FROM = 7 * 60  # the first opening interval starts at 07:00 or later

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def at(minute: int) -> datetime.datetime:
    return DAY + minute * MINUTE


def minute_of(moment: datetime.datetime) -> int:
    return (moment - DAY) // MINUTE


# Strategies


@st.composite
def day_plans(draw) -> DayPlan:
    # 1–3 opening intervals in time order; a gap of 0 makes two touching intervals.
    opening, cursor = [], OPENS_FROM
    for _ in range(draw(st.integers(1, 3))):
        start = cursor + draw(st.integers(0, 90))
        cursor = start + draw(st.integers(5, 180))
        opening.append((start, cursor))
    first, last = opening[0][0], opening[-1][1]

    # 1–4 counter windows in time order, mostly touching, covering parts of the day (0 counters: none staffed).
    windows, cursor = [], first - draw(st.integers(0, 30))
    for _ in range(draw(st.integers(1, 4))):
        start = cursor + draw(st.one_of(st.just(0), st.integers(1, 60)))
        cursor = start + draw(st.integers(1, 240))
        windows.append(CounterWindow(at(start), at(cursor), draw(st.integers(0, 8))))

    closed = [
        (start, start + draw(st.integers(1, 120)))
        for start in draw(st.lists(st.integers(first - 30, last), max_size=2))
    ]
    return DayPlan(
        opening=tuple(Interval(at(start), at(end)) for start, end in opening),
        counters=tuple(draw(st.permutations(windows))),  # the engine must not rely on their order
        closed=tuple(Interval(at(start), at(end)) for start, end in closed),
        capacity=draw(st.integers(1, 15)),
        waiting_minutes=draw(st.integers(0, 30)),
        slot_minutes=draw(st.sampled_from([5, 10, 15, 30])),
        counters_held=draw(st.integers(0, 2)),
    )


requests = st.tuples(st.integers(5, 90), st.integers(1, 3))  # (duration, persons)


def earliests(plan: DayPlan):
    first, last = minute_of(plan.opening[0].start), minute_of(plan.opening[-1].end)
    return st.none() | st.integers(first - 10, last).map(at)


# The oracle


@dataclass
class Request:
    duration: int
    persons: int
    earliest: datetime.datetime | None = None


class Oracle:
    """The day painted minute by minute from the first possible arrival to the last closing."""

    def __init__(self, plan: DayPlan):
        self.plan = plan
        self.opening = [(minute_of(i.start), minute_of(i.end)) for i in plan.opening]
        self.first = min(start for start, _ in self.opening) - plan.waiting_minutes
        self.last = max(end for _, end in self.opening)
        self.staffed = [0] * (self.last - self.first)  # counters bookable at each minute
        self.closed = [False] * (self.last - self.first)
        for window in plan.counters:
            for m in self.minutes(minute_of(window.start), minute_of(window.end)):
                self.staffed[m] = max(window.counters - plan.counters_held, 0)
        for interval in plan.closed:
            for m in self.minutes(minute_of(interval.start), minute_of(interval.end)):
                self.closed[m] = True

    def minutes(self, start: int, end: int) -> range:
        """Indexes into the day's lists for the minutes ``[start, end)``, clipped to the day."""
        return range(max(start, self.first) - self.first, min(end, self.last) - self.first)

    def paint(self, bookings: list[Booking]) -> tuple[list[int], dict[int, list[int]]]:
        """Persons on site at each minute, and how many bookings hold each counter at each minute."""
        on_site = [0] * (self.last - self.first)
        held: dict[int, list[int]] = {}
        for booking in bookings:
            start, end = minute_of(booking.start), minute_of(booking.end)
            assert self.first <= start - self.plan.waiting_minutes and end <= self.last, booking
            for m in self.minutes(start - self.plan.waiting_minutes, end):
                on_site[m] += booking.persons
            row = held.setdefault(booking.counter, [0] * (self.last - self.first))
            for m in self.minutes(start, end):
                row[m] += 1
        return on_site, held

    def in_opening_on_grid(self, start: int, end: int) -> bool:
        return any(
            opens <= start and end <= closes and (start - opens) % self.plan.slot_minutes == 0
            for opens, closes in self.opening
        )

    def feasible_starts(self, bookings: list[Booking], request: Request) -> dict[datetime.datetime, int]:
        """Every start at which the request fits, with the lowest counter free for it."""
        on_site, held = self.paint(bookings)
        earliest = None if request.earliest is None else minute_of(request.earliest)
        found = {}
        for start in range(self.first, self.last):
            end = start + request.duration
            if earliest is not None and start < earliest:
                continue
            if not self.in_opening_on_grid(start, end):
                continue
            span = self.minutes(start, end)
            if any(self.closed[m] for m in span):
                continue
            arrival = self.minutes(start - self.plan.waiting_minutes, end)
            if max(on_site[m] for m in arrival) + request.persons > self.plan.capacity:
                continue
            bookable = min(self.staffed[m] for m in span)
            for counter in range(bookable):
                if counter not in held or not any(held[counter][m] for m in span):
                    found[at(start)] = counter
                    break
        return found

    def assert_safe(self, bookings: list[Booking], earliest: datetime.datetime | None) -> None:
        on_site, held = self.paint(bookings)
        for counter, row in held.items():
            assert max(row) <= 1, f"counter {counter} double-booked at {at(self.first + row.index(max(row)))}"
        assert max(on_site) <= self.plan.capacity, (
            f"{max(on_site)} on site at {at(self.first + on_site.index(max(on_site)))}, capacity {self.plan.capacity}"
        )
        for booking in bookings:
            start, end = minute_of(booking.start), minute_of(booking.end)
            span = self.minutes(start, end)
            assert len(span) == end - start > 0, booking
            assert all(booking.counter < self.staffed[m] for m in span), f"{booking} on an unstaffed counter"
            assert self.in_opening_on_grid(start, end), f"{booking} outside the opening hours or off the grid"
            assert not any(self.closed[m] for m in span), f"{booking} during a closure"
            assert earliest is None or booking.start >= earliest, f"{booking} before {earliest}"


def book_offered(data, plan: DayPlan, bookings: list[Booking], request: Request) -> list[Slot]:
    """Offer the request and, if anything is free, book whichever slot hypothesis picks."""
    offered = free_starts(plan, bookings, duration=request.duration, persons=request.persons, earliest=request.earliest)
    if offered:
        slot = data.draw(st.sampled_from(offered), label="booked slot")
        assert slot.end - slot.start == request.duration * MINUTE
        bookings.append(Booking(slot.start, slot.end, request.persons, slot.counter))
    return offered


def existing_bookings(data, plan: DayPlan) -> list[Booking]:
    """A day's bookings, made only from slots the engine offered."""
    bookings: list[Booking] = []
    for duration, persons in data.draw(st.lists(requests, max_size=15), label="earlier requests"):
        book_offered(data, plan, bookings, Request(duration, persons))
    return bookings


# Properties


@SETTINGS
@given(plan=day_plans(), data=st.data())
def test_however_the_bookings_are_made_no_counter_or_waiting_room_is_overbooked(plan, data):
    oracle = Oracle(plan)
    earliest = data.draw(earliests(plan), label="earliest")
    bookings: list[Booking] = []
    for duration, persons in data.draw(st.lists(requests, min_size=10, max_size=40), label="requests"):
        book_offered(data, plan, bookings, Request(duration, persons, earliest))
        oracle.assert_safe(bookings, earliest)


@SETTINGS
@given(plan=day_plans(), data=st.data())
def test_the_engine_offers_exactly_the_starts_the_oracle_finds_feasible(plan, data):
    oracle = Oracle(plan)
    bookings: list[Booking] = []
    for duration, persons in data.draw(st.lists(requests, min_size=1, max_size=10), label="requests"):
        request = Request(duration, persons, data.draw(earliests(plan), label="earliest"))
        expected = oracle.feasible_starts(bookings, request)
        offered = book_offered(data, plan, bookings, request)  # compared before the booking is made
        assert {slot.start: slot.counter for slot in offered} == expected
        assert [slot.start for slot in offered] == sorted(expected), "not in time order"


@SETTINGS
@given(plan=day_plans(), data=st.data())
def test_is_free_agrees_with_free_starts(plan, data):
    bookings = existing_bookings(data, plan)
    first, last = minute_of(plan.opening[0].start), minute_of(plan.opening[-1].end)
    for duration, persons in data.draw(st.lists(requests, min_size=1, max_size=5), label="requests"):
        earliest = data.draw(earliests(plan), label="earliest")
        offered = {
            slot.start: slot
            for slot in free_starts(plan, bookings, duration=duration, persons=persons, earliest=earliest)
        }
        for start in data.draw(st.lists(st.integers(first - 10, last + 10), min_size=1, max_size=10)):
            slot = is_free(plan, bookings, start=at(start), duration=duration, persons=persons, earliest=earliest)
            assert slot == offered.get(at(start))
        for start, slot in offered.items():
            assert is_free(plan, bookings, start=start, duration=duration, persons=persons, earliest=earliest) == slot


@SETTINGS
@given(plan=day_plans(), data=st.data(), wanted=requests, limit=st.integers(0, 40))
def test_a_limit_gives_a_prefix_of_all_free_starts(plan, data, wanted, limit):
    bookings = existing_bookings(data, plan)
    (duration, persons), earliest = wanted, data.draw(earliests(plan), label="earliest")
    everything = free_starts(plan, bookings, duration=duration, persons=persons, earliest=earliest)
    first = free_starts(plan, bookings, duration=duration, persons=persons, earliest=earliest, limit=limit)
    assert first == everything[:limit]
