"""The searches over many days (``selectors.next_free``, ``earliest_free``, ``earliest_anywhere``) against the
straightforward way: each day's plan and bookings read on their own (``free_slots``), day after day.

The optimised search reads the settings once and the bookings in a few queries, and caches the earliest
time until something changes it; these tests make sure it still gives the same answers, on random
bookings and after every kind of change.
"""

import datetime
import random

import pytest
from django.utils import timezone

from amtsweg.appointments import selectors
from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.models import Appointment, BookingPolicy, Closure, CounterHours
from amtsweg.appointments.services import appointment_cancel, appointment_release
from amtsweg.catalogue.models import OpeningHours

from .test_booking import DAY, NOW, at, hold, make_office


def straightforward_next(bookable, *, persons=1, now=NOW, count=3):
    """Day after day with ``free_slots``: a plan and the bookings read for each day on its own."""
    policy = BookingPolicy.objects.get(location=bookable.location)
    _earliest, last_day = selectors.booking_window(policy=policy, now=now)
    found, day = [], timezone.localdate(now)
    while day <= last_day and len(found) < count:
        found += selectors.free_slots(
            location=bookable.location, service_duration=bookable.duration_minutes, persons=persons, day=day, now=now
        )
        day += datetime.timedelta(days=1)
    return found[:count]


def earliest(bookable, *, persons=1, now=NOW):
    policy = BookingPolicy.objects.get(location=bookable.location)  # read first, as earliest_anywhere does
    return selectors.earliest_free(bookable=bookable, policy=policy, persons=persons, now=now)


def scatter(bookable, rng: random.Random, *, days: int, count: int) -> None:
    """Random bookings over the first ``days`` days: any status, any counter, overlapping, several persons,
    live and expired holds, off the grid, as walk-ins and old data can be."""
    statuses = list(AppointmentStatus)
    for number in range(count):
        day = NOW.date() + datetime.timedelta(days=rng.randrange(days))
        start = at(day, 7, 50) + datetime.timedelta(minutes=rng.randrange(0, 250, rng.choice([5, 15])))
        status = rng.choice(statuses)
        Appointment.objects.create(
            booking_code=f"R{number:05d}",
            location=bookable.location,
            service=bookable.service,
            starts_at=start,
            ends_at=start + datetime.timedelta(minutes=rng.choice([10, 15, 30, 60])),
            counter=rng.randrange(4),
            persons=rng.randint(1, 3),
            status=status,
            hold_expires_at=NOW + datetime.timedelta(minutes=rng.choice([-5, 5])) if status == "held" else None,
            name="Zufall",
            email=f"r{number}@example.org",
        )


@pytest.mark.django_db
@pytest.mark.parametrize("seed", range(12))
def test_the_search_over_many_days_finds_what_the_day_by_day_search_finds(seed):
    rng = random.Random(seed)
    bookable = make_office(
        counters=rng.randint(1, 3), capacity=rng.randint(2, 8), waiting=rng.choice([0, 10]), lead=rng.choice([0, 120])
    )
    if rng.random() < 0.5:  # an absence on a random day
        day = NOW.date() + datetime.timedelta(days=rng.randrange(10))
        Closure.objects.create(
            location=bookable.location, starts_at=at(day, 8), ends_at=at(day, 10), counters=rng.choice([0, 1])
        )
    scatter(bookable, rng, days=rng.choice([3, 12]), count=rng.randint(20, 160))
    persons = rng.randint(1, 2)
    for now in (NOW, NOW + datetime.timedelta(minutes=7)):  # some holds live, then expired
        expected = straightforward_next(bookable, persons=persons, now=now, count=5)
        found = selectors.next_free(location=bookable.location, bookable=bookable, persons=persons, now=now, count=5)
        assert found == expected
        assert earliest(bookable, persons=persons, now=now) == (expected[0] if expected else None)
        assert earliest(bookable, persons=persons, now=now) == (expected[0] if expected else None)  # from the cache


def fill(bookable, day, *, until_hour, from_hour=8):
    """Confirmed appointments on every counter from ``from_hour`` until ``until_hour`` on ``day``."""
    start = at(day, from_hour)
    number = (from_hour - 8) * 8
    while start < at(day, until_hour):
        for counter in range(2):
            Appointment.objects.create(
                booking_code=f"F{day:%d}{number:04d}", location=bookable.location, service=bookable.service,
                starts_at=start, ends_at=start + datetime.timedelta(minutes=15), counter=counter,
                status=AppointmentStatus.CONFIRMED, name="Voll", email=f"f{number}@example.org",
            )  # fmt: skip
            number += 1
        start += datetime.timedelta(minutes=15)


@pytest.fixture
def busy():
    """Two counters, 15-minute times; tomorrow is booked out until 11:00: the earliest time is 11:00."""
    bookable = make_office(counters=2, lead=0)
    fill(bookable, DAY, until_hour=11)
    # Today (Wednesday 2 December, from 8:00) is full too.
    fill(bookable, NOW.date(), until_hour=12)
    assert earliest(bookable).start == at(DAY, 11)
    return bookable


@pytest.mark.django_db
def test_a_cached_earliest_time_is_read_without_searching_again(busy, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the policy; the answer comes from the cache
        assert earliest(busy).start == at(DAY, 11)


@pytest.mark.django_db
def test_a_hold_on_the_earliest_time_moves_it_and_its_cancellation_brings_it_back(busy):
    first = hold(busy, at(DAY, 11), email="a@example.org")
    hold(busy, at(DAY, 11), email="b@example.org")
    assert earliest(busy).start == at(DAY, 11, 15)
    appointment_cancel(appointment=first)
    assert earliest(busy).start == at(DAY, 11)


@pytest.mark.django_db
def test_a_released_or_expired_hold_gives_the_time_back(busy):
    first = hold(busy, at(DAY, 11), email="a@example.org")
    hold(busy, at(DAY, 11), email="b@example.org")
    assert earliest(busy).start == at(DAY, 11, 15)
    appointment_release(appointment=first)
    assert earliest(busy).start == at(DAY, 11)
    hold(busy, at(DAY, 11), email="c@example.org")
    assert earliest(busy).start == at(DAY, 11, 15)
    # Nobody confirms: ten minutes later both holds no longer count, without any write.
    assert earliest(busy, now=NOW + datetime.timedelta(minutes=10)).start == at(DAY, 11)


@pytest.mark.django_db
def test_a_closure_or_a_change_of_the_settings_changes_the_cached_answer(busy):
    closure = Closure.objects.create(starts_at=at(DAY, 11), ends_at=at(DAY, 11, 30))  # every location
    assert earliest(busy).start == at(DAY, 11, 30)
    closure.delete()
    assert earliest(busy).start == at(DAY, 11)
    CounterHours.objects.filter(location=busy.location).update(counters=3)  # no signal: nothing changes yet
    assert earliest(busy).start == at(DAY, 11)
    CounterHours.objects.filter(location=busy.location).first().save()
    assert earliest(busy).start == at(NOW.date(), 8)  # a third counter, from today
    today = OpeningHours.objects.filter(location=busy.location, weekday=NOW.weekday())
    today.update(opens=datetime.time(9))
    today.first().save()
    assert earliest(busy).start == at(NOW.date(), 9)


@pytest.mark.django_db
def test_time_passing_drops_a_time_inside_the_lead_time(busy):
    BookingPolicy.objects.filter(location=busy.location).update(lead_minutes=60)
    BookingPolicy.objects.get(location=busy.location).save()
    assert earliest(busy).start == at(DAY, 11)
    assert earliest(busy, now=at(DAY, 10, 1)).start == at(DAY, 11, 15)


@pytest.mark.django_db
def test_earliest_anywhere_orders_the_places_by_their_cached_earliest_time(busy):
    other = make_office(counters=1, lead=0)
    other.service = busy.service
    other.save()
    places = selectors.earliest_anywhere(service_slug=busy.service.slug, now=NOW)
    assert [(p["bookable"], p["slot"].start) for p in places] == [(other, NOW), (busy, at(DAY, 11))]


@pytest.mark.django_db
def test_a_time_already_taken_is_refused_without_waiting_for_the_lock(busy):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from amtsweg.appointments.errors import AppointmentError

    with CaptureQueriesContext(connection) as queries, pytest.raises(AppointmentError) as taken:
        hold(busy, at(DAY, 10), email="late@example.org")
    assert taken.value.status == 409
    assert [s.start for s in taken.value.alternatives][:1] == [at(DAY, 11)]
    # Neither the lock (on PostgreSQL) nor the per-person limit, both only read under the lock.
    assert not any("FOR UPDATE" in q["sql"] or '"email"' in q["sql"] for q in queries.captured_queries)
    with CaptureQueriesContext(connection) as queries:
        hold(busy, at(DAY, 11), email="late@example.org")
    assert any('"email"' in q["sql"] for q in queries.captured_queries)


def _refused(bookable, start, *, email, now=NOW):
    """Whether the hold is refused as taken; the refusal's next free times."""
    from amtsweg.appointments.errors import AppointmentError

    try:
        hold(bookable, start, email=email, now=now)
    except AppointmentError as error:
        assert error.status == 409
        return [slot.start for slot in error.alternatives]
    return None


@pytest.mark.django_db
def test_a_refusal_from_the_cached_day_is_read_without_the_bookings(busy, django_assert_max_num_queries):
    assert _refused(busy, at(DAY, 10), email="a@example.org") == [at(DAY, 11), at(DAY, 11, 15), at(DAY, 11, 30)]
    with django_assert_max_num_queries(1):  # the policy; the day's free times come from the cache
        assert _refused(busy, at(DAY, 10, 15), email="b@example.org") == [at(DAY, 11), at(DAY, 11, 15), at(DAY, 11, 30)]


@pytest.mark.django_db
def test_the_cached_refusal_never_outlives_a_place_given_back(busy):
    first, second = (
        Appointment.objects.create(
            booking_code=f"H{counter}",
            location=busy.location,
            service=busy.service,
            starts_at=at(DAY, 11),
            ends_at=at(DAY, 11, 15),
            counter=counter,
            status=AppointmentStatus.HELD,
            name="Halt",
            email=f"h{counter}@example.org",
            hold_expires_at=NOW + datetime.timedelta(minutes=10),
        )
        for counter in range(2)
    )
    assert _refused(busy, at(DAY, 11), email="c@example.org") is not None  # the refusal is cached now
    appointment_cancel(appointment=first)  # a write: a new version
    assert _refused(busy, at(DAY, 11), email="c@example.org") is None
    assert _refused(busy, at(DAY, 11), email="d@example.org") is not None
    appointment_release(appointment=second)  # an update() without signals, which replaces the version itself
    assert _refused(busy, at(DAY, 11), email="d@example.org") is None
    assert _refused(busy, at(DAY, 11), email="e@example.org") is not None
    # Nobody confirms the two holds: ten minutes later both places are free again, without any write.
    later = NOW + datetime.timedelta(minutes=10)
    assert _refused(busy, at(DAY, 11), email="e@example.org", now=later) is None
    assert _refused(busy, at(DAY, 11), email="f@example.org", now=later) is None
    assert _refused(busy, at(DAY, 11), email="g@example.org", now=later) is not None


@pytest.mark.django_db
def test_a_cached_refusal_changes_with_the_settings(busy):
    assert _refused(busy, at(DAY, 10), email="a@example.org") is not None
    CounterHours.objects.filter(location=busy.location).update(counters=3)
    CounterHours.objects.filter(location=busy.location).first().save()  # a third counter
    assert _refused(busy, at(DAY, 10), email="a@example.org") is None


@pytest.mark.django_db
def test_a_time_taken_on_a_full_day_offers_the_next_free_times_of_the_following_days(busy):
    fill(busy, DAY, from_hour=11, until_hour=12)  # the rest of the day as well
    friday = DAY + datetime.timedelta(days=1)
    assert _refused(busy, at(DAY, 10), email="a@example.org") == [at(friday, 8), at(friday, 8, 15), at(friday, 8, 30)]
    assert _refused(busy, at(DAY, 11, 45), email="b@example.org") == [
        at(friday, 8),
        at(friday, 8, 15),
        at(friday, 8, 30),
    ]


@pytest.mark.django_db
def test_a_future_appointment_deleted_by_hand_frees_its_time_at_once(busy):
    taken = [
        Appointment.objects.create(
            booking_code=f"D{counter}",
            location=busy.location,
            service=busy.service,
            starts_at=at(DAY, 11),
            ends_at=at(DAY, 11, 15),
            counter=counter,
            status=AppointmentStatus.CONFIRMED,
            name="Gelöscht",
            email=f"d{counter}@example.org",
        )
        for counter in range(2)
    ]
    assert _refused(busy, at(DAY, 11), email="c@example.org") is not None  # the refusal is cached now
    taken[0].delete()  # as in the admin or a shell: no service, no status change
    assert _refused(busy, at(DAY, 11), email="c@example.org") is None
