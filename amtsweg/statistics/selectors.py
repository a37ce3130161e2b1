"""Reads of the anonymous usage figures."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q

from .constants import AppointmentOutcome
from .models import AppointmentRecord, CaseRecord


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


@dataclass(frozen=True)
class AppointmentFigures:
    """One service's appointments on the days of a period: every one booked, and what became of them.

    ``booked`` counts every recorded appointment of the period, whatever became of it; ``kept``, ``no_show``
    and ``cancelled`` are parts of it, and the rest (``booked`` minus those) is still ahead or not yet marked."""

    service_id: int
    booked: int
    kept: int
    no_show: int
    cancelled: int

    @property
    def due(self) -> int:
        """The appointments whose time came and whose outcome is known: kept or missed."""
        return self.kept + self.no_show

    @property
    def no_show_share(self) -> float | None:
        """The share of the due appointments that were missed, 0 to 1 (``None`` when none was due)."""
        return self.no_show / self.due if self.due else None

    @property
    def no_show_percent(self) -> int | None:
        """``no_show_share`` in whole percent (``None`` when none was due)."""
        share = self.no_show_share
        return None if share is None else round(100 * share)


def appointment_figures(
    *,
    department_ids: Iterable[int] | None,
    service_ids: Iterable[int] | None = None,
    date_from: datetime.date,
    date_to: datetime.date,
) -> list[AppointmentFigures]:
    """Per service, the appointments of the days ``date_from`` to ``date_to`` (both included): booked, kept,
    missed and cancelled, from the anonymous records (they outlive the appointments).

    ``department_ids``: the departments in scope (``None``: all); ``service_ids``: only these services
    (``None``: every service). Services without an appointment in the period are left out; most booked first."""
    records = AppointmentRecord.objects.filter(day__gte=date_from, day__lte=date_to)
    if department_ids is not None:
        records = records.filter(department_id__in=list(department_ids))
    if service_ids is not None:
        records = records.filter(service_id__in=list(service_ids))
    rows = (
        records.order_by()
        .values("service_id")
        .annotate(
            booked=Count("id"),
            kept=Count("id", filter=Q(outcome=AppointmentOutcome.KEPT)),
            no_show=Count("id", filter=Q(outcome=AppointmentOutcome.NO_SHOW)),
            cancelled=Count("id", filter=Q(outcome=AppointmentOutcome.CANCELLED)),
        )
        .order_by("-booked", "service_id")
    )
    return [
        AppointmentFigures(
            service_id=row["service_id"],
            booked=row["booked"],
            kept=row["kept"],
            no_show=row["no_show"],
            cancelled=row["cancelled"],
        )
        for row in rows
    ]
