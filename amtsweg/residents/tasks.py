"""The Bürgerbüro's periodic job, queued by ``manage.py run_scheduled`` (settings.SCHEDULED_TASKS): the
reminders before an Auskunftssperre ends, and the deletion of audit entries and records past their time."""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .constants import INFORMATION_ANSWER_ATTEMPTS, INFORMATION_RETRY_MINUTES
from .models import RegisterRead

logger = logging.getLogger(__name__)


def register_reads_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the register audit's entries older than ``RESIDENTS_REGISTER['audit_days']``; returns how many."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=settings.RESIDENTS_REGISTER["audit_days"])
    deleted, _by_model = RegisterRead.objects.filter(at__lt=cutoff).delete()
    return deleted


@task
def residents_housekeeping_task() -> dict[str, int]:
    """Remind of Auskunftssperren about to end (once each, idempotent) and delete what is no longer needed."""
    from .services import information_block_reminders_send, residents_records_prune

    reminders = information_block_reminders_send()
    return {
        "register_reads_deleted": register_reads_prune(),
        "block_reminders_to_citizens": reminders.citizens,
        "block_reminders_to_staff": reminders.staff,
        **residents_records_prune(),
    }


def information_retry_delay(*, attempt: int) -> datetime.timedelta:
    """The wait after the ``attempt``-th failed attempt: 1, 5, 15, 60 … minutes (``INFORMATION_RETRY_MINUTES``)."""
    index = min(max(attempt, 1), len(INFORMATION_RETRY_MINUTES)) - 1
    return datetime.timedelta(minutes=INFORMATION_RETRY_MINUTES[index])


@task
def information_answer_task(*, case_uuid: str, attempt: int = 1) -> str:
    """Answer a paid simple Melderegisterauskunft (``services.information_request_answer``).

    A register that cannot be reached is asked again later, as a new task run after 1, 5, 15 and 60 minutes
    (the Tasks API's ``run_after``), ``INFORMATION_ANSWER_ATTEMPTS`` attempts in all; after the last the case
    waits in the Bürgerbüro's inbox ("Register: not reachable — please answer") for staff to answer it from
    the case page. A case already answered (by staff meanwhile, or by a second run) is left alone, so a
    retry sends nothing twice. Returns the outcome, "retry", "unavailable" or "gone".
    """
    from amtsweg.cases.models import Case

    from .register.base import RegisterUnavailable
    from .services import information_answer_unavailable, information_request_answer

    case = Case.objects.select_related("service", "submission").filter(uuid=case_uuid).first()
    if case is None:  # deleted (retention) before the register came back
        return "gone"
    try:
        return str(information_request_answer(case=case))
    except RegisterUnavailable as error:
        logger.warning("residents' register unavailable, attempt %d for %s: %s", attempt, case.reference, error)
        if attempt < INFORMATION_ANSWER_ATTEMPTS and information_answer_task.get_backend().supports_defer:
            later = information_answer_task.using(run_after=timezone.now() + information_retry_delay(attempt=attempt))
            later.enqueue(case_uuid=case_uuid, attempt=attempt + 1)
            return "retry"
        information_answer_unavailable(case=case, attempts=attempt)
        return "unavailable"
