"""Writes of the anonymous usage figures."""

import datetime
import logging
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from django.db import DatabaseError, IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsweg.catalogue.models import Service

from . import counter
from .constants import AppointmentOutcome, Channel
from .errors import StatisticsError
from .models import AppointmentRecord, CaseRecord, FunnelCount

logger = logging.getLogger(__name__)


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


# --- counter transactions ---------------------------------------------------------------------


def counter_transactions_record(
    *, service: Service, day: datetime.date, count: int, department_ids: Collection[int] | None
) -> CaseRecord:
    """Record ``count`` transactions of ``service`` done at the counter on ``day``, as one batch: a case record
    with channel counter, closed the same day. ``department_ids``: the departments whose services the staff
    member may record (``None``: all); another department's service is refused.

    The record does not say who entered it, as no figure does: the log line names the batch, not the person."""
    if department_ids is not None and service.department_id not in department_ids:
        raise StatisticsError(_("You can only record transactions of your own department's services."))
    problem = counter.day_problem(day) or counter.count_problem(count)
    if problem:
        raise StatisticsError(problem)
    with transaction.atomic():
        record = case_record_create(
            service_id=service.pk,
            department_id=service.department_id,
            channel=Channel.COUNTER,
            submitted_on=day,
            closed_on=day,
            final_status=counter.COUNTER_FINAL_STATUS,
            count=count,
        )
    logger.info("counter batch %s recorded: service %s, %s, %s transactions", record.pk, service.slug, day, count)
    return record


def counter_transactions_import(*, batches: Sequence[counter.CounterLine]) -> int:
    """Record the batches of an import file (``counter.counter_csv_read``, which checked every line and the
    departments) all or none; returns how many transactions they hold."""
    with transaction.atomic():
        CaseRecord.objects.bulk_create(
            CaseRecord(
                service_id=batch.service_id,
                department_id=batch.department_id,
                channel=Channel.COUNTER,
                count=batch.count,
                submitted_on=batch.day,
                closed_on=batch.day,
                final_status=counter.COUNTER_FINAL_STATUS,
            )
            for batch in batches
        )
    total = sum(batch.count for batch in batches)
    logger.info("counter import: %s batches, %s transactions", len(batches), total)
    return total


def counter_batch_remove(*, record_id: int, department_ids: Collection[int] | None) -> CaseRecord:
    """Remove a counter batch entered by mistake. Only counter batches, of the given departments (``None``:
    all); an online case's record, or another department's batch, is never found here (``Http404``)."""
    from .selectors import counter_batch_get

    with transaction.atomic():
        record = counter_batch_get(record_id=record_id, department_ids=department_ids, for_update=True)
        record.delete()
    logger.info(
        "counter batch %s removed: service %s, %s, %s transactions",
        record_id,
        record.service_id,
        record.submitted_on,
        record.count,
    )
    return record


def funnel_count(
    *,
    service_id: int,
    form_version: int,
    kind: str,
    step: str = "",
    field: str = "",
    position: int = 0,
    day: datetime.date | None = None,
) -> None:
    """Count one citizen at one point of a form (``FunnelKind``) on ``day`` (today by default).

    Race-safe on SQLite and PostgreSQL: the day's row is raised by one in the database, never read and written
    back; the first count of a day makes the row, and a concurrent first count that loses on the unique
    constraint raises the winner's row instead. A failure to count must never break the citizen's request: it
    is logged, without any answer or identifier, and the request goes on; the savepoint keeps the caller's
    transaction usable."""
    day = day or timezone.localdate()
    key = {
        "service_id": service_id,
        "form_version": form_version,
        "day": day,
        "kind": kind,
        "step": step[:100],
        "field": field[:100],
    }
    try:
        with transaction.atomic():
            if FunnelCount.objects.filter(**key).update(count=F("count") + 1):
                return
            try:
                with transaction.atomic():
                    FunnelCount.objects.create(**key, position=position, count=1)
            except IntegrityError:  # another request made the day's row between our update and our insert
                FunnelCount.objects.filter(**key).update(count=F("count") + 1)
    except DatabaseError as error:
        logger.warning(
            "funnel count failed (%s): service %s, version %s, %s %s",
            type(error).__name__,
            service_id,
            form_version,
            kind,
            step,
        )
