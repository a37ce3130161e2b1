"""Holding a slot under the location's lock: the rules, double opt-in, and real concurrency on PostgreSQL."""

import contextlib
import datetime
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.errors import AppointmentError
from amtsweg.appointments.models import Appointment, BookableService, BookingPolicy, Closure, CounterHours
from amtsweg.appointments.services import appointment_cancel, appointment_confirm, appointment_hold, holds_expire
from amtsweg.catalogue.models import OpeningHours
from tests.catalogue.factories import LocationFactory, ServiceFactory

# Wednesday 2 December 2026, 08:00 in Kassel: a working day, not a holiday.
NOW = timezone.make_aware(datetime.datetime(2026, 12, 2, 8, 0))
DAY = datetime.date(2026, 12, 3)  # Thursday


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_office(*, counters=2, capacity=12, waiting=10, duration=15, lead=120, limit=1, emergency=0):
    location = LocationFactory()
    BookingPolicy.objects.create(
        location=location,
        waiting_room_capacity=capacity,
        waiting_minutes=waiting,
        lead_minutes=lead,
        max_active_per_email=limit,
        emergency_percent=emergency,
    )
    for weekday in range(5):
        OpeningHours.objects.create(
            location=location, weekday=weekday, opens=datetime.time(8), closes=datetime.time(12)
        )
        CounterHours.objects.create(
            location=location, weekday=weekday, start=datetime.time(8), end=datetime.time(12), counters=counters
        )
    return BookableService.objects.create(location=location, service=ServiceFactory(), duration_minutes=duration)


def hold(bookable, start, email="erika@example.org", persons=1, now=NOW):
    return appointment_hold(
        bookable=bookable, start=start, persons=persons, name="Erika Mustermann", email=email, now=now
    )


@pytest.mark.django_db
def test_a_free_time_is_held_for_ten_minutes_on_a_counter():
    bookable = make_office()
    appointment = hold(bookable, at(DAY, 9))
    assert appointment.status == AppointmentStatus.HELD
    assert appointment.hold_expires_at == NOW + datetime.timedelta(minutes=10)
    assert appointment.counter == 0 and len(appointment.booking_code) == 6


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "message"),
    [
        (at(datetime.date(2026, 12, 1), 9), "Vergangenheit"),  # in the past
        (at(datetime.date(2026, 12, 2), 9), "zu kurzfristig"),  # within the 2-hour lead time
        (at(DAY, 13), "gerade vergeben oder nicht verfügbar"),  # outside the hours
        (at(DAY, 9, 7), "gerade vergeben oder nicht verfügbar"),  # a tampered, off-grid time
        (at(datetime.date(2026, 12, 25), 9), "gerade vergeben oder nicht verfügbar"),  # Christmas, a holiday
        (at(datetime.date(2027, 3, 1), 9), "noch nicht gebucht"),  # beyond the 6-week horizon
    ],
)
def test_bad_times_are_refused_with_a_clear_message(start, message):
    from django.utils import translation

    bookable = make_office()
    with translation.override("de"), pytest.raises(AppointmentError, match=message):
        hold(bookable, start)
    assert not Appointment.objects.exists()


@pytest.mark.django_db
def test_the_last_place_goes_once_and_the_second_gets_the_next_free_times():
    bookable = make_office(counters=1)
    hold(bookable, at(DAY, 9), email="a@example.org")
    with pytest.raises(AppointmentError) as taken:
        hold(bookable, at(DAY, 9), email="b@example.org")
    assert taken.value.status == 409
    assert [slot.start for slot in taken.value.alternatives][:2] == [at(DAY, 8), at(DAY, 8, 15)]


@pytest.mark.django_db
def test_a_second_active_appointment_for_the_same_service_and_email_is_refused():
    bookable = make_office()
    hold(bookable, at(DAY, 9))
    with pytest.raises(AppointmentError, match="bereits"):
        from django.utils import translation

        with translation.override("de"):
            hold(bookable, at(DAY, 10))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("erika+1@example.org", "erika+2@example.org"),
        ("erika@example.org", "Erika+Termin@Example.org"),
        ("erika.mustermann@gmail.com", "e.rika.mustermann+x@googlemail.com"),
    ],
)
def test_spellings_of_one_mailbox_share_the_per_person_limit(first, second):
    from django.utils import translation

    bookable = make_office()
    held = hold(bookable, at(DAY, 9), email=first)
    with translation.override("de"), pytest.raises(AppointmentError, match="bereits"):
        hold(bookable, at(DAY, 10), email=second)
    assert held.email == first  # the email still goes to the address as typed
    assert Appointment.objects.count() == 1


@pytest.mark.django_db
def test_four_plus_addresses_of_one_mailbox_get_only_the_policys_number_of_holds():
    bookable = make_office(limit=2)
    for number in range(1, 5):
        with contextlib.suppress(AppointmentError):  # over the limit: refused
            hold(bookable, at(DAY, 8 + number), email=f"x+{number}@example.org")
    assert Appointment.objects.count() == 2


@pytest.mark.django_db
def test_dots_still_make_another_person_at_providers_that_deliver_by_them():
    bookable = make_office()
    hold(bookable, at(DAY, 9), email="erika.mustermann@example.org")
    hold(bookable, at(DAY, 10), email="erikamustermann@example.org")
    assert Appointment.objects.count() == 2


@pytest.mark.django_db
def test_an_expired_hold_frees_its_place_and_cannot_be_confirmed():
    bookable = make_office(counters=1)
    first = hold(bookable, at(DAY, 9), email="a@example.org")
    later = NOW + datetime.timedelta(minutes=11)
    second = hold(bookable, at(DAY, 9), email="b@example.org", now=later)
    assert second.counter == 0
    with pytest.raises(AppointmentError):
        appointment_confirm(appointment=first, now=later)
    assert holds_expire(now=later) == 1


@pytest.mark.django_db
def test_confirming_by_the_link_twice_confirms_once_and_cancel_frees_the_place():
    bookable = make_office(counters=1)
    appointment = hold(bookable, at(DAY, 9), email="a@example.org")
    appointment_confirm(appointment=appointment, now=NOW)
    confirmed = appointment_confirm(appointment=appointment, now=NOW)
    assert confirmed.status == AppointmentStatus.CONFIRMED
    appointment_cancel(appointment=confirmed)
    with pytest.raises(AppointmentError):
        appointment_cancel(appointment=confirmed)
    assert hold(bookable, at(DAY, 9), email="b@example.org").counter == 0


@pytest.mark.django_db
def test_a_staff_absence_takes_a_counter_and_a_closure_the_whole_time():
    bookable = make_office(counters=2)
    Closure.objects.create(
        location=bookable.location, kind="absence", starts_at=at(DAY, 8), ends_at=at(DAY, 12), counters=1
    )
    hold(bookable, at(DAY, 9), email="a@example.org")
    with pytest.raises(AppointmentError):
        hold(bookable, at(DAY, 9), email="b@example.org")
    Closure.objects.create(location=bookable.location, starts_at=at(DAY, 10), ends_at=at(DAY, 11))
    with pytest.raises(AppointmentError):
        hold(bookable, at(DAY, 10), email="c@example.org")


@pytest.mark.django_db
def test_the_waiting_room_limit_holds_even_with_free_counters():
    bookable = make_office(counters=8, capacity=3, waiting=0)
    hold(bookable, at(DAY, 9), email="a@example.org", persons=2)
    with pytest.raises(AppointmentError):
        hold(bookable, at(DAY, 9), email="b@example.org", persons=2)
    assert hold(bookable, at(DAY, 9), email="c@example.org", persons=1).counter == 1


@pytest.mark.django_db
def test_the_emergency_quota_is_held_back_until_the_day_before():
    bookable = make_office(counters=2, emergency=50)
    far = datetime.date(2026, 12, 8)
    appointment_confirm(appointment=hold(bookable, at(far, 9), email="a@example.org"), now=NOW)
    with pytest.raises(AppointmentError):
        hold(bookable, at(far, 9), email="b@example.org")
    # On the day before, the held counter is released.
    day_before = at(datetime.date(2026, 12, 7), 7)
    assert hold(bookable, at(far, 9), email="b@example.org", now=day_before).counter == 1


@pytest.mark.django_db(transaction=True)
def test_50_threads_racing_for_5_places_get_exactly_5():
    if connection.vendor != "postgresql":
        pytest.skip("needs real row locks under concurrency: PostgreSQL (run by .ci/run with DATABASE_URL)")
    bookable = make_office(counters=5, capacity=100)
    barrier = threading.Barrier(50)
    outcomes: list[str] = []

    def race(number: int) -> None:
        try:
            barrier.wait()
            hold(bookable, at(DAY, 9), email=f"p{number}@example.org")
            outcomes.append("held")
        except AppointmentError:
            outcomes.append("taken")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=race, args=(n,)) for n in range(50)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("held") == 5 and outcomes.count("taken") == 45
    rows = Appointment.objects.filter(starts_at=at(DAY, 9))
    assert rows.count() == 5 and sorted(rows.values_list("counter", flat=True)) == [0, 1, 2, 3, 4]


@pytest.mark.django_db
def test_the_migration_gives_existing_appointments_their_mailbox_key():
    import importlib

    from django.apps import apps

    migration = importlib.import_module("amtsweg.appointments.migrations.0006_appointment_email_key")
    bookable = make_office(limit=5)
    hold(bookable, at(DAY, 9), email="Erika+Alt@Example.org")
    Appointment.objects.update(email_key="")  # as before the migration
    migration.fill_email_keys(apps, None)
    assert Appointment.objects.get().email_key == "erika@example.org"
    BookingPolicy.objects.filter(location=bookable.location).update(max_active_per_email=1)
    with pytest.raises(AppointmentError):
        hold(bookable, at(DAY, 10), email="erika@example.org")
