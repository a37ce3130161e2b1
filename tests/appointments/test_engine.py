"""The slot engine's rules 1–5 (amtsweg/appointments/engine.py), one behaviour per test."""

import datetime

from amtsweg.appointments.engine import Booking, CounterWindow, DayPlan, Interval, Slot, free_starts, is_free

DAY = datetime.date(2025, 3, 3)  # a Monday


def at(hhmm: str) -> datetime.datetime:
    hour, minute = hhmm.split(":")
    return datetime.datetime.combine(DAY, datetime.time(int(hour), int(minute)))


def day_plan(
    opening=(("08:00", "12:00"),),
    counters=(("08:00", "12:00", 8),),
    closed=(),
    **kwargs,
) -> DayPlan:
    return DayPlan(
        opening=tuple(Interval(at(start), at(end)) for start, end in opening),
        counters=tuple(CounterWindow(at(start), at(end), number) for start, end, number in counters),
        closed=tuple(Interval(at(start), at(end)) for start, end in closed),
        **kwargs,
    )


def booking(start: str, minutes: int, counter: int, persons: int = 1) -> Booking:
    return Booking(at(start), at(start) + datetime.timedelta(minutes=minutes), persons, counter)


def starts(slots: list[Slot]) -> list[str]:
    return [slot.start.strftime("%H:%M") for slot in slots]


def book_until_refused(plan: DayPlan, start: str, minutes: int, persons: int = 1) -> list[Booking]:
    """Book ``start`` again and again, as the engine allows, until it refuses."""
    bookings: list[Booking] = []
    while slot := is_free(plan, bookings, start=at(start), duration=minutes, persons=persons):
        bookings.append(Booking(slot.start, slot.end, persons, slot.counter))
    return bookings


# Rule 1: opening hours and the slot grid


def test_a_45_minute_appointment_does_not_fit_15_minutes_before_closing():
    plan = day_plan()
    assert is_free(plan, [], start=at("11:45"), duration=45, persons=1) is None
    assert is_free(plan, [], start=at("11:30"), duration=45, persons=1) is None
    assert is_free(plan, [], start=at("11:15"), duration=45, persons=1) == Slot(at("11:15"), at("12:00"), 0)
    assert starts(free_starts(plan, [], duration=45))[-1] == "11:15"
    assert starts(free_starts(plan, [], duration=15))[-1] == "11:45"


def test_a_start_off_the_slot_grid_is_not_offered():
    plan = day_plan()
    assert is_free(plan, [], start=at("09:05"), duration=15, persons=1) is None
    assert is_free(plan, [], start=at("09:15"), duration=15, persons=1) is not None
    assert starts(free_starts(plan, [], duration=15))[:3] == ["08:00", "08:15", "08:30"]


def test_the_slot_grid_starts_afresh_at_each_opening_interval():
    plan = day_plan(opening=(("08:00", "10:00"), ("13:05", "14:00")), counters=(("08:00", "14:00", 1),))
    offered = starts(free_starts(plan, [], duration=15))
    morning = ["08:00", "08:15", "08:30", "08:45", "09:00", "09:15", "09:30", "09:45"]
    assert offered == [*morning, "13:05", "13:20", "13:35"]
    assert is_free(plan, [], start=at("13:00"), duration=15, persons=1) is None


def test_an_appointment_may_not_span_two_touching_opening_intervals():
    plan = day_plan(opening=(("08:00", "10:00"), ("10:00", "12:00")))
    assert is_free(plan, [], start=at("09:30"), duration=60, persons=1) is None
    assert is_free(plan, [], start=at("09:00"), duration=60, persons=1) is not None
    assert is_free(plan, [], start=at("10:00"), duration=60, persons=1) is not None


def test_a_zero_or_negative_duration_or_party_is_never_free():
    plan = day_plan()
    assert is_free(plan, [], start=at("09:00"), duration=0, persons=1) is None
    assert is_free(plan, [], start=at("09:00"), duration=15, persons=0) is None


# Rule 2: closures


def test_a_holiday_closure_offers_nothing():
    plan = day_plan(closed=(("00:00", "23:59"),))
    assert free_starts(plan, [], duration=15) == []


def test_an_absence_removes_the_slots_it_overlaps():
    plan = day_plan(closed=(("09:00", "09:30"),))
    offered = starts(free_starts(plan, [], duration=15))
    assert "08:45" in offered and "09:30" in offered
    assert "09:00" not in offered and "09:15" not in offered
    # A 30-minute appointment at 08:45 would run into the absence; one ending at 09:00 does not.
    offered = starts(free_starts(plan, [], duration=30))
    assert "08:30" in offered and "08:45" not in offered and "09:30" in offered


# Rule 3: the earliest start


def test_the_lead_time_hides_starts_before_earliest():
    plan = day_plan()
    assert starts(free_starts(plan, [], duration=15, earliest=at("09:10")))[0] == "09:15"
    assert starts(free_starts(plan, [], duration=15, earliest=at("09:15")))[0] == "09:15"
    assert is_free(plan, [], start=at("09:00"), duration=15, persons=1, earliest=at("09:10")) is None


# Rule 4: a counter for the whole duration


def test_the_ninth_parallel_appointment_with_eight_counters_is_refused():
    plan = day_plan(capacity=20)
    bookings = book_until_refused(plan, "09:00", 15)
    assert [b.counter for b in bookings] == [0, 1, 2, 3, 4, 5, 6, 7]
    assert "09:00" not in starts(free_starts(plan, bookings, duration=15))
    # The counters are free again when those appointments end.
    assert is_free(plan, bookings, start=at("09:15"), duration=15, persons=1) == Slot(at("09:15"), at("09:30"), 0)


def test_the_lowest_free_counter_is_given():
    plan = day_plan(capacity=20)
    bookings = [booking("09:00", 30, 0), booking("09:00", 15, 1), booking("09:15", 15, 2)]
    assert is_free(plan, bookings, start=at("09:15"), duration=15, persons=1).counter == 1
    assert is_free(plan, bookings, start=at("09:00"), duration=30, persons=1).counter == 3


def test_counters_held_for_the_emergency_quota_are_not_offered():
    plan = day_plan(capacity=20, counters_held=2)
    bookings = book_until_refused(plan, "09:00", 15)
    assert [b.counter for b in bookings] == [0, 1, 2, 3, 4, 5]


def test_fewer_counters_in_the_afternoon_limit_long_appointments_spanning_the_change():
    plan = day_plan(
        opening=(("08:00", "16:00"),),
        counters=(("08:00", "12:00", 8), ("12:00", "16:00", 2)),
        capacity=20,
        waiting_minutes=0,
    )
    bookings = book_until_refused(plan, "12:00", 15)
    assert [b.counter for b in bookings] == [0, 1]
    # At 11:30 six morning counters are idle, but none of the two afternoon counters is free at 12:00.
    assert is_free(plan, bookings, start=at("11:30"), duration=60, persons=1) is None
    assert is_free(plan, bookings, start=at("11:30"), duration=30, persons=1) == Slot(at("11:30"), at("12:00"), 0)
    # On an idle day: eight hour-long appointments fit at 11:00 (ending at 12:00), only two at 11:30.
    assert len(book_until_refused(plan, "11:00", 60)) == 8
    assert [b.counter for b in book_until_refused(plan, "11:30", 60)] == [0, 1]


def test_a_gap_between_counter_windows_offers_nothing_across_it():
    plan = day_plan(counters=(("08:00", "10:00", 8), ("10:30", "12:00", 8)))
    offered = starts(free_starts(plan, [], duration=15))
    assert "09:45" in offered and "10:30" in offered
    assert "10:00" not in offered and "10:15" not in offered
    assert is_free(plan, [], start=at("09:30"), duration=60, persons=1) is None
    assert is_free(plan, [], start=at("09:00"), duration=60, persons=1) is not None


def test_a_window_with_no_counters_offers_nothing():
    plan = day_plan(counters=(("08:00", "10:00", 8), ("10:00", "11:00", 0), ("11:00", "12:00", 8)))
    offered = starts(free_starts(plan, [], duration=15))
    assert "09:45" in offered and "11:00" in offered
    assert not {"10:00", "10:15", "10:30", "10:45"} & set(offered)


# Rule 5: the waiting room


def test_the_waiting_room_limit_counts_persons_arriving_early():
    plan = day_plan(capacity=2, waiting_minutes=15)
    bookings = [booking("09:00", 15, 0), booking("09:00", 15, 1)]  # both on site 08:45–09:15
    # Someone booked for 09:15 arrives at 09:00, while both are still there: three on site.
    assert is_free(plan, bookings, start=at("09:15"), duration=15, persons=1) is None
    # Someone booked for 08:45 is still there at 08:45, when the 09:00 pair arrives.
    assert is_free(plan, bookings, start=at("08:45"), duration=15, persons=1) is None
    # 09:30 arrives at 09:15, when the pair has left; 08:30 leaves at 08:45, when the pair arrives.
    assert is_free(plan, bookings, start=at("09:30"), duration=15, persons=1) is not None
    assert is_free(plan, bookings, start=at("08:30"), duration=15, persons=1) is not None
    # Without the waiting window the 09:15 appointment would fit.
    no_waiting = day_plan(capacity=2, waiting_minutes=0)
    assert is_free(no_waiting, bookings, start=at("09:15"), duration=15, persons=1) is not None


def test_two_persons_in_one_booking_count_twice_in_the_waiting_room():
    plan = day_plan(capacity=3)
    bookings = [booking("09:00", 15, 0, persons=2)]
    assert is_free(plan, bookings, start=at("09:00"), duration=15, persons=2) is None
    assert is_free(plan, bookings, start=at("09:00"), duration=15, persons=1) == Slot(at("09:00"), at("09:15"), 1)
    # A party larger than the room never fits, even on an empty day.
    assert free_starts(day_plan(capacity=1), [], duration=15, persons=2) == []


def test_worked_example_fifteen_minute_slots_eight_counters_a_waiting_room_of_twelve():
    # 15-minute slots, 8 counters, room for 12, everyone on site 15 minutes before their start.
    # A 1-person 09:00 appointment is on site 08:45–09:15.
    plan = day_plan(capacity=12, waiting_minutes=15, slot_minutes=15)

    # (a) An empty day: the counters bind first. 8 at 09:00 are 8 on site (<= 12), the 9th has no counter.
    assert len(book_until_refused(plan, "09:00", 15)) == 8

    # (b) 08:45 fully booked: those 8 are on site 08:30–09:00 and overlap 08:45–09:00 with anyone for 09:00.
    #     12 - 8 = 4 fit at 09:00, although 8 counters are free (the 08:45 ones end at 09:00).
    at_0845 = book_until_refused(plan, "08:45", 15)
    assert len(at_0845) == 8
    fits_at_0900 = 0
    bookings = list(at_0845)
    while slot := is_free(plan, bookings, start=at("09:00"), duration=15, persons=1):
        bookings.append(Booking(slot.start, slot.end, 1, slot.counter))
        fits_at_0900 += 1
    assert fits_at_0900 == 4

    # (c) 6 at 08:45 (on site 08:30–09:00) and 6 at 09:15 (on site 09:00–09:30) are never on site together,
    #     since the first six leave at 09:00 just as the others arrive. Anyone for 09:00 (08:45–09:15)
    #     overlaps each group in turn: at most 12 - 6 = 6 fit.
    bookings = [booking("08:45", 15, c) for c in range(6)] + [booking("09:15", 15, c) for c in range(6)]
    fits_at_0900 = 0
    while slot := is_free(plan, bookings, start=at("09:00"), duration=15, persons=1):
        bookings.append(Booking(slot.start, slot.end, 1, slot.counter))
        fits_at_0900 += 1
    assert fits_at_0900 == 6

    # (d) Booked greedily slot after slot from opening, the day alternates 8, 4, 8, 4, ...: each slot's
    #     people overlap only the previous slot's for 15 minutes (and the next slot's, booked later).
    #     08:00 → 8, 08:15 → 12 - 8 = 4, 08:30 → min(8 counters, 12 - 4) = 8, 08:45 → 4, 09:00 → 8.
    bookings = []
    per_slot = {}
    for start in ("08:00", "08:15", "08:30", "08:45", "09:00", "09:15"):
        count = 0
        while slot := is_free(plan, bookings, start=at(start), duration=15, persons=1):
            bookings.append(Booking(slot.start, slot.end, 1, slot.counter))
            count += 1
        per_slot[start] = count
    assert per_slot == {"08:00": 8, "08:15": 4, "08:30": 8, "08:45": 4, "09:00": 8, "09:15": 4}
    # In the long run the room, not the counters, sets the pace: 12 persons / 2 overlapping slots = 6 per slot.
    assert sum(per_slot.values()) / len(per_slot) == 6


# The interface


def test_a_limit_returns_the_first_free_starts():
    plan = day_plan()
    full = free_starts(plan, [], duration=15)
    assert free_starts(plan, [], duration=15, limit=3) == full[:3]
    assert free_starts(plan, [], duration=15, limit=1000) == full


def test_a_limit_of_zero_offers_nothing():
    # "Every free start of the day in time order (at most ``limit``)".
    assert free_starts(day_plan(), [], duration=15, limit=0) == []


def test_aware_datetimes_work_alike():
    tz = datetime.timezone(datetime.timedelta(hours=1))
    plan = DayPlan(
        opening=(Interval(at("08:00").replace(tzinfo=tz), at("09:00").replace(tzinfo=tz)),),
        counters=(CounterWindow(at("08:00").replace(tzinfo=tz), at("09:00").replace(tzinfo=tz), 1),),
    )
    assert [slot.start.strftime("%H:%M%z") for slot in free_starts(plan, [], duration=30)] == [
        "08:00+0100",
        "08:15+0100",
        "08:30+0100",
    ]
