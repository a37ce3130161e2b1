"""Loading a city's appointment set-up: booking policies, counter hours and bookable services per location.

The seed (``seed/kassel.yaml``) refers to locations and services of the catalogue
by slug, so the catalogue seed must be loaded first (``load_kassel_demo``).
Loading is idempotent: policies and bookable services are matched by location
(and service) and updated, and a location's counter hours are replaced.
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from amtsweg.catalogue.models import Location, Service

from .models import BookableService, BookingPolicy, CounterHours

SEED_DIR = Path(__file__).resolve().parent / "seed"

POLICY_FIELDS = (
    "enabled",
    "slot_minutes",
    "waiting_room_capacity",
    "waiting_minutes",
    "horizon_days",
    "lead_minutes",
    "release_time",
    "emergency_percent",
    "max_active_per_email",
)


def appointments_seed_read(*, name: str = "kassel") -> dict[str, Any]:
    with open(SEED_DIR / f"{name}.yaml", encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def _time(value: Any) -> datetime.time:
    if isinstance(value, datetime.time):
        return value
    if isinstance(value, int):  # YAML 1.1 reads an unquoted 07:00 as sexagesimal minutes
        return datetime.time(value // 60, value % 60)
    return datetime.time.fromisoformat(str(value))


def _policy_values(slug: str, entry: dict[str, Any]) -> dict[str, Any]:
    unknown = set(entry) - set(POLICY_FIELDS)
    if unknown:
        raise ValueError(f"{slug}: unknown policy fields {sorted(unknown)}")
    values = dict(entry)
    if not 0 <= values.get("emergency_percent", 0) <= 100:
        raise ValueError(f"{slug}: emergency_percent must be between 0 and 100")
    if "release_time" in values:
        values["release_time"] = _time(values["release_time"])
    return values


@transaction.atomic
def appointments_load_seed(*, data: dict[str, Any] | None = None) -> dict[str, int]:
    """Load booking policies, counter hours and bookable services; returns counts of what was written.

    Raises ValueError for a location or service slug the catalogue does not have.
    """
    if data is None:
        data = appointments_seed_read()
    counts = {
        "policies_created": 0,
        "policies_updated": 0,
        "counter_hours": 0,
        "services_created": 0,
        "services_updated": 0,
    }
    entries: dict[str, dict[str, Any]] = data.get("locations") or {}
    locations = Location.objects.in_bulk(list(entries), field_name="slug")
    missing = sorted(set(entries) - set(locations))
    if missing:
        raise ValueError(f"unknown locations {missing}: load the catalogue seed first (load_kassel_demo)")
    service_slugs = {slug for entry in entries.values() for slug in entry.get("services") or {}}
    services = Service.objects.in_bulk(list(service_slugs), field_name="slug")
    missing = sorted(service_slugs - set(services))
    if missing:
        raise ValueError(f"unknown services {missing}: load the catalogue seed first (load_kassel_demo)")

    for slug, entry in entries.items():
        location = locations[slug]
        policy = BookingPolicy.objects.filter(location=location).first()
        created = policy is None
        policy = policy or BookingPolicy(location=location)
        for name, value in _policy_values(slug, entry.get("policy") or {}).items():
            setattr(policy, name, value)
        policy.full_clean()
        policy.save()
        counts["policies_created" if created else "policies_updated"] += 1

        CounterHours.objects.filter(location=location).delete()
        for row in entry.get("counters") or []:
            hours = CounterHours(
                location=location,
                weekday=row["weekday"],
                start=_time(row["start"]),
                end=_time(row["end"]),
                counters=row["counters"],
            )
            hours.full_clean()
            hours.save()
            counts["counter_hours"] += 1

        for service_slug, value in (entry.get("services") or {}).items():
            # Minutes, or {minutes: 15, case_link_only: true} for a service booked only with a case's link.
            options = value if isinstance(value, dict) else {"minutes": value}
            minutes = options.get("minutes")
            if not isinstance(minutes, int) or minutes <= 0:
                raise ValueError(f"{slug}/{service_slug}: the duration must be a positive number of minutes")
            _bookable, created = BookableService.objects.update_or_create(
                location=location,
                service=services[service_slug],
                defaults={"duration_minutes": minutes, "case_link_only": bool(options.get("case_link_only"))},
            )
            counts["services_created" if created else "services_updated"] += 1
    return counts
