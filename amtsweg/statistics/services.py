"""Writes of the anonymous usage figures."""

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction

from .constants import AppointmentOutcome, Channel
from .models import AppointmentRecord, CaseRecord


def case_record_create(
    *,
    service_id: int,
    department_id: int,
    channel: str = Channel.ONLINE,
    submitted_on: datetime.date,
    closed_on: datetime.date | None = None,
    final_status: str = "",
    count: int = 1,
    without_appointment: bool | None = None,
    details: Mapping[str, Any] | None = None,
) -> CaseRecord:
    """Record one case's anonymous figures (or ``count`` counter transactions): no reference, name or answer, so
    they outlive the case. A case's record is made when it is received and completed by ``case_record_complete``.

    ``without_appointment``: for a form with a checklist, whether the case ended without an appointment.
    ``details``: a service module's own figures (codes and numbers, JSON-serialisable, no personal data)."""
    return CaseRecord.objects.create(
        service_id=service_id,
        department_id=department_id,
        channel=channel,
        count=count,
        submitted_on=submitted_on,
        closed_on=closed_on,
        final_status=final_status,
        without_appointment=without_appointment,
        details=dict(details or {}),
    )


def case_record_complete(
    *,
    record_id: int,
    closed_on: datetime.date,
    final_status: str,
    working_days: int | None,
    within_target: bool | None,
    paid_cents: int = 0,
    without_appointment: bool | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """Complete the record of a case that closes now: when, how, how long it took, what was paid."""
    with transaction.atomic():
        CaseRecord.objects.filter(pk=record_id).update(
            closed_on=closed_on,
            final_status=final_status,
            working_days=working_days,
            within_target=within_target,
            paid_cents=paid_cents,
            without_appointment=without_appointment,
            details=dict(details or {}),
        )


def appointment_record_create(
    *,
    service_id: int,
    department_id: int,
    location_id: int,
    day: datetime.date,
    outcome: str = AppointmentOutcome.BOOKED,
) -> AppointmentRecord:
    """Record one confirmed appointment without who booked it: service, department, place, day, outcome.

    Written in the caller's transaction when the appointment is confirmed; its outcome is then moved on by
    ``appointment_record_outcome``. The row outlives the appointment."""
    return AppointmentRecord.objects.create(
        service_id=service_id, department_id=department_id, location_id=location_id, day=day, outcome=outcome
    )


def appointment_record_outcome(*, record_id: int, outcome: str) -> None:
    """Set what became of a recorded appointment: kept, no-show or cancelled (in the caller's transaction)."""
    if outcome not in AppointmentOutcome.values:
        raise ValueError(f"unknown appointment outcome {outcome!r}")
    with transaction.atomic():
        AppointmentRecord.objects.filter(pk=record_id).update(outcome=outcome)
