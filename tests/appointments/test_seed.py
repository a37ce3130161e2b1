"""The Kassel appointment seed: loads on top of the catalogue, idempotently, and yields bookable times."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from amtsweg.appointments.models import BookableService, BookingPolicy, CounterHours
from amtsweg.appointments.seed import appointments_load_seed, appointments_seed_read
from amtsweg.appointments.selectors import free_slots
from amtsweg.catalogue.models import Location, Service

SEED = appointments_seed_read(name="kassel")
LOCATIONS = SEED["locations"]

# Wednesday 2 December 2026, 08:00 in Kassel: a working day, not a holiday.
NOW = timezone.make_aware(datetime.datetime(2026, 12, 2, 8, 0))


def test_the_seed_names_the_locations_of_the_issue():
    assert set(LOCATIONS) == {
        "buergerbuero-rathaus",
        "standesamt",
        "kfz-kassel",
        "kfz-baunatal",
        "kfz-hofgeismar",
        "kfz-wolfhagen",
        "zuwanderung",
    }


@pytest.mark.parametrize("slug", sorted(LOCATIONS))
def test_every_duration_and_counter_row_is_positive(slug):
    entry = LOCATIONS[slug]
    assert entry["services"], slug
    # Minutes, or {minutes: …, case_link_only: …} for a service booked only with a case's link.
    durations = [value["minutes"] if isinstance(value, dict) else value for value in entry["services"].values()]
    assert all(isinstance(minutes, int) and minutes > 0 for minutes in durations), slug
    assert all(row["counters"] > 0 and row["start"] < row["end"] for row in entry["counters"]), slug


def test_it_loads_twice_without_duplicates(kassel):
    first = appointments_load_seed()
    counts = (BookingPolicy.objects.count(), CounterHours.objects.count(), BookableService.objects.count())
    second = appointments_load_seed()

    assert counts == (BookingPolicy.objects.count(), CounterHours.objects.count(), BookableService.objects.count())
    assert counts == (
        len(LOCATIONS),
        sum(len(entry["counters"]) for entry in LOCATIONS.values()),
        sum(len(entry["services"]) for entry in LOCATIONS.values()),
    )
    assert first["policies_created"] == len(LOCATIONS) and first["services_created"] == counts[2]
    assert second["policies_created"] == 0 and second["services_created"] == 0
    assert second["policies_updated"] == len(LOCATIONS) and second["services_updated"] == counts[2]
    assert (
        BookableService.objects.get(
            location__slug="buergerbuero-rathaus", service__slug="meldebescheinigung"
        ).duration_minutes
        == 10
    )


def test_every_referenced_location_and_service_exists_and_belongs_together(kassel):
    for slug, entry in LOCATIONS.items():
        location = Location.objects.get(slug=slug)
        for service_slug in entry["services"]:
            service = Service.objects.get(slug=service_slug)
            assert service.locations.filter(pk=location.pk).exists(), f"{service_slug} is not offered at {slug}"


def test_a_service_of_the_seed_may_be_kept_for_invited_cases(kassel):
    appointments_load_seed()
    kept = BookableService.objects.filter(case_link_only=True).values_list("location__slug", "service__slug")
    assert list(kept) == [("zuwanderung", "zuwanderung-kontakt")]


def test_a_stored_duration_is_positive(kassel):
    appointments_load_seed()
    assert not BookableService.objects.filter(duration_minutes__lte=0).exists()


def test_an_unknown_slug_is_refused_and_nothing_is_written(kassel):
    data = {"locations": {"buergerbuero-rathaus": {"services": {"no-such-service": 10}}}}
    with pytest.raises(ValueError, match="no-such-service"):
        appointments_load_seed(data=data)
    with pytest.raises(ValueError, match="nowhere"):
        appointments_load_seed(data={"locations": {"nowhere": {}}})
    assert not BookingPolicy.objects.exists()


def test_admin_edits_to_counter_hours_are_replaced_by_the_seed(kassel):
    appointments_load_seed()
    location = Location.objects.get(slug="buergerbuero-rathaus")
    CounterHours.objects.create(
        location=location, weekday=6, start=datetime.time(10), end=datetime.time(11), counters=1
    )
    appointments_load_seed()
    assert not CounterHours.objects.filter(location=location, weekday=6).exists()


@pytest.mark.parametrize(
    "day",
    [
        datetime.date(2026, 12, 3),  # Thursday, the next day: the emergency quota is already released
        datetime.date(2026, 12, 14),  # Monday, 12 days ahead: 2 of 8 counters are held back
    ],
)
def test_a_meldebescheinigung_at_the_buergerbuero_has_free_times(kassel, day):
    appointments_load_seed()
    bookable = BookableService.objects.get(location__slug="buergerbuero-rathaus", service__slug="meldebescheinigung")

    location, minutes = bookable.location, bookable.duration_minutes
    slots = free_slots(location=location, service_duration=minutes, persons=1, day=day, now=NOW)

    assert slots
    hours = bookable.location.opening_hours.get(weekday=day.weekday())
    earliest = NOW + datetime.timedelta(minutes=bookable.location.booking_policy.lead_minutes)
    for slot in slots:
        local = timezone.localtime(slot.start)
        assert local.date() == day and slot.start >= earliest
        assert hours.opens <= local.time() and timezone.localtime(slot.end).time() <= hours.closes
        assert local.minute % 15 == 0 and slot.end - slot.start == datetime.timedelta(minutes=10)


def test_the_command_loads_and_prints_counts(kassel):
    out = io.StringIO()
    call_command("load_appointments_demo", stdout=out)
    assert f"booking policies {len(LOCATIONS)} created" in out.getvalue()
    assert BookingPolicy.objects.count() == len(LOCATIONS)
