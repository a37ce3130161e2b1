"""The Bürgerbüro's periodic job, queued by ``manage.py run_scheduled`` (settings.SCHEDULED_TASKS): the
reminders before an Auskunftssperre ends, and the deletion of audit entries and records past their time."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.tasks import task
from django.utils import timezone

from .models import RegisterRead


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


@task
def information_answer_task(*, case_uuid: str) -> str:
    """Answer a paid simple Melderegisterauskunft (``services.information_request_answer``).

    A register that cannot be reached raises, and the task is tried again by the worker's recovery; a case
    already answered is left alone, so a second run sends nothing.
    """
    from amtsweg.cases.models import Case

    from .services import information_request_answer

    case = Case.objects.select_related("service", "submission").get(uuid=case_uuid)
    return str(information_request_answer(case=case))
