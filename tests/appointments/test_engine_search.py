"""The fast day search (``free_starts``, which hands each start only the bookings near it) against the
straightforward one: ``is_free`` at every start of the grid with all the day's bookings.

The bookings here are random, not made through the engine: they may overlap, sit on any counter, run
outside the opening hours, be long or short and carry several persons, so that the narrowing is tried on
days the engine itself would never produce (walk-ins, data from before a change of the settings).
"""

import datetime

from hypothesis import given
from hypothesis import strategies as st

from amtsweg.appointments.engine import MINUTE, Booking, DayPlan, free_starts, is_free

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
        length = draw(st.one_of(st.integers(1, 30), st.integers(31, 300)))
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
