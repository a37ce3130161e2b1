"""Reads of the anonymous usage figures."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from .models import CaseRecord


@dataclass(frozen=True)
class AppointmentShare:
    """Of one service's closed cases with a checklist: how many ended without an appointment."""

    service_id: int
    closed: int
    without_appointment: int

    @property
    def percent(self) -> int:
        """The share without an appointment, in whole percent (0 for no cases)."""
        return round(100 * self.without_appointment / self.closed) if self.closed else 0


def appointment_shares(*, department_ids: Iterable[int] | None) -> list[AppointmentShare]:
    """Per service of these departments (``None``: all), the closed cases whose form had a checklist and how
    many of them ended without an appointment (``CaseRecord.without_appointment``), most cases first."""
    records = CaseRecord.objects.filter(without_appointment__isnull=False)
    if department_ids is not None:
        records = records.filter(department_id__in=list(department_ids))
    rows = (
        records.order_by()
        .values("service_id")
        .annotate(closed=Count("id"), without=Count("id", filter=Q(without_appointment=True)))
        .order_by("-closed", "service_id")
    )
    return [
        AppointmentShare(service_id=row["service_id"], closed=row["closed"], without_appointment=row["without"])
        for row in rows
    ]


def case_record_details(*, service_id: int, department_ids: Iterable[int] | None) -> list[dict]:
    """The ``details`` of the closed cases of one service in these departments (``None``: all), for a service
    module's own figures (e.g. the immigration office's counts per topic and outcome)."""
    records = CaseRecord.objects.filter(service_id=service_id)
    if department_ids is not None:
        records = records.filter(department_id__in=list(department_ids))
    return [details for details in records.order_by().values_list("details", flat=True) if details]
