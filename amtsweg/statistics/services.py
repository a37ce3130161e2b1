"""Writes of the anonymous usage figures."""

import datetime
from collections.abc import Mapping
from typing import Any

from .models import CaseRecord


def case_record_create(
    *,
    service_id: int,
    department_id: int,
    channel: str,
    submitted_on: datetime.date,
    closed_on: datetime.date | None,
    final_status: str,
    without_appointment: bool | None = None,
    details: Mapping[str, Any] | None = None,
) -> CaseRecord:
    """Record one case's anonymous figures: no reference, name or answer, so they outlive the case.

    ``without_appointment``: for a form with a checklist, whether the case ended without an appointment.
    ``details``: a service module's own figures (codes and numbers, JSON-serialisable, no personal data)."""
    return CaseRecord.objects.create(
        service_id=service_id,
        department_id=department_id,
        channel=channel,
        submitted_on=submitted_on,
        closed_on=closed_on,
        final_status=final_status,
        without_appointment=without_appointment,
        details=dict(details or {}),
    )
