"""The fast day search (``free_starts``, which hands each start only the bookings near it) against the
straightforward one: ``is_free`` at every start of the grid with all the day's bookings.

The bookings here are random, not made through the engine: they may overlap, sit on any counter, run
outside the opening hours, be long or short and carry several persons, so that the narrowing is tried on
days the engine itself would never produce (walk-ins, data from before a change of the settings).
"""

import dataclasses
import datetime

from hypothesis import given
from hypothesis import strategies as st

from amtsweg.appointments.engine import MINUTE, Booking, DayPlan, free_starts, is_free, surely_full, surely_taken

from .test_engine import at as engine_at
from .test_engine import booking as engine_booking
from .test_engine import day_plan as engine_day_plan
from .test_engine_properties import SETTINGS, at, day_plans, earliests, minute_of, requests


def straightforward(
    plan: DayPlan, bookings: list[Booking], *, duration: int, persons: int, earliest: datetime.datetime | None
) -> list:
    """Every start of the grid of every opening interval, each checked with the whole day's bookings."""
    found = []
    for interval in sorted(plan.opening, key=lambda i: i.start):
        start = interval.start
        while start + duration * MINUTE <= interval.end:
            slot = is_free(plan, bookings, start=start, duration=duration, persons=persons, earliest=earliest)
            if slot is not None:
                found.append(slot)
            start += plan.slot_minutes * MINUTE
    return found


@st.composite
def random_bookings(draw, plan: DayPlan) -> list[Booking]:
    first, last = minute_of(plan.opening[0].start), minute_of(plan.opening[-1].end)
    bookings = []
    for _ in range(draw(st.integers(0, 40))):
        start = draw(st.integers(first - 120, last + 60))
        length = draw(st.one_of(st.integers(1, 30), st.integers(31, 300), st.integers(-60, 0)))  # and bad rows
        bookings.append(Booking(at(start), at(start + length), draw(st.integers(1, 4)), draw(st.integers(0, 9))))
    return bookings


@SETTINGS
@given(plan=day_plans(), data=st.data(), wanted=requests, limit=st.none() | st.integers(1, 5))
def test_the_fast_search_finds_exactly_what_checking_every_start_finds(plan, data, wanted, limit):
    bookings = data.draw(random_bookings(plan), label="bookings")
    (duration, persons), earliest = wanted, data.draw(earliests(plan), label="earliest")
    expected = straightforward(plan, bookings, duration=duration, persons=persons, earliest=earliest)
    found = free_starts(plan, bookings, duration=duration, persons=persons, earliest=earliest, limit=limit)
    assert found == (expected if limit is None else expected[:limit])


def test_the_search_sees_a_long_booking_that_started_hours_before():
    """The narrowing must reach back by the longest booking, not only by the waiting window."""
    plan = engine_day_plan(capacity=20)
    all_morning = [engine_booking("08:00", 180, counter) for counter in range(8)]  # every counter until 11:00
    assert [slot.start for slot in free_starts(plan, all_morning, duration=15)][:1] == [engine_at("11:00")]


def summary(bookings: list[Booking]) -> dict:
    """What selectors.starts_summary reads from the database: per start, distinct counters and the highest."""
    started: dict = {}
    for booking in bookings:
        if booking.end > booking.start:
            started.setdefault(booking.start, set()).add(booking.counter)
    return {start: (len(counters), max(counters)) for start, counters in started.items()}


@st.composite
def grid_bookings(draw, plan: DayPlan) -> list[Booking]:
    """Bookings on the grid, on many counters at most starts: days that are often booked out."""
    bookings = []
    for interval in plan.opening:
        start = interval.start
        while start < interval.end:
            length = draw(st.sampled_from([plan.slot_minutes, plan.slot_minutes * 2, 5, 60])) * MINUTE
            for counter in draw(st.sets(st.integers(0, 9), max_size=10)):
                bookings.append(Booking(start, start + length, draw(st.integers(1, 2)), counter))
            start += plan.slot_minutes * MINUTE
    return bookings


@SETTINGS
@given(plan=day_plans(), data=st.data(), wanted=requests)
def test_a_start_or_day_proven_taken_from_the_summary_is_not_free(plan, data, wanted):
    if data.draw(st.booleans(), label="roomy"):  # so that the counters, not the waiting room, decide
        plan = dataclasses.replace(plan, capacity=1000)
    bookings = data.draw(st.one_of(grid_bookings(plan), random_bookings(plan)), label="bookings")
    (duration, persons), earliest = wanted, data.draw(earliests(plan), label="earliest")
    started = summary(bookings)
    for interval in plan.opening:
        start = interval.start
        while start + duration * MINUTE <= interval.end:
            end = start + duration * MINUTE
            if surely_taken(plan, started, start=start, end=end, earliest=earliest):
                refused = is_free(plan, bookings, start=start, duration=duration, persons=persons, earliest=earliest)
                assert refused is None
            start += plan.slot_minutes * MINUTE
    if surely_full(plan, started, duration=duration, earliest=earliest):
        assert free_starts(plan, bookings, duration=duration, persons=persons, earliest=earliest) == []


def test_a_day_booked_out_on_the_grid_is_proven_full_and_one_free_place_is_not():
    plan = engine_day_plan(capacity=100)  # 08:00–12:00, 8 counters, 15-minute grid
    full = [engine_booking(f"{h:02d}:{m:02d}", 15, c) for h in range(8, 12) for m in (0, 15, 30, 45) for c in range(8)]
    assert surely_full(plan, summary(full), duration=15)
    assert not surely_full(plan, summary(full[:-1]), duration=15)  # 11:45, counter 7 is free
    assert free_starts(plan, full[:-1], duration=15)[0].start == engine_at("11:45")


def test_a_booking_on_a_counter_beyond_the_staffed_ones_proves_nothing():
    """Two counters staffed; bookings at 8:00 on counters 0 and 2 (2 was staffed before a change): counter 1
    is free, though two different counters have a booking then."""
    plan = engine_day_plan(counters=(("08:00", "12:00", 2),), capacity=100)
    bookings = [engine_booking("08:00", 15, 0), engine_booking("08:00", 15, 2)]
    at_eight = {"start": engine_at("08:00"), "end": engine_at("08:15")}
    assert not surely_taken(plan, summary(bookings), **at_eight)
    assert is_free(plan, bookings, start=engine_at("08:00"), duration=15, persons=1).counter == 1
    assert surely_taken(plan, summary([bookings[0], engine_booking("08:00", 15, 1)]), **at_eight)


def test_a_booking_that_ends_before_it_starts_counts_as_in_the_straightforward_search():
    plan = engine_day_plan(counters=(("08:00", "12:00", 1),), capacity=100)
    inverted = [Booking(engine_at("10:00"), engine_at("09:00"), 1, 0)]  # bad data, as it may come
    for duration in (15, 180):  # 180 minutes from 8:00 "overlap" it, as is_free sees it
        expected = straightforward(plan, inverted, duration=duration, persons=1, earliest=None)
        assert free_starts(plan, inverted, duration=duration) == expected
