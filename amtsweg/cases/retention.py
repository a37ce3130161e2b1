"""Deleting personal data when the retention period is over (Löschfristen).

A closed case is kept for ``retention_days`` of the service's processing rule
in force on the day it was closed (180 days when no rule exists). Then, in one
transaction per case, its anonymous ``statistics.CaseRecord`` is kept (written
when the case closed, or now for a case closed before that was done), the
submission is deleted with everything that hangs on it (case, history,
document requests, files, notifications) and the audit log records the
deletion by reference number. Files on disk go after the commit, so a rolled
back deletion never leaves a case without its files.

Drafts that nobody touched for ``settings.DRAFT_RETENTION_DAYS`` days are
deleted with their uploads.
"""

import datetime
import logging
from dataclasses import asdict, dataclass
from functools import partial
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.tasks import task
from django.utils import timezone

from amtsweg.applications.models import Draft, StoredFile
from amtsweg.documents.storage import private_files_delete

from .constants import CLOSED_STATUSES, AuditAction
from .models import AuditEntry, Case, ProcessingRule
from .services import case_statistics_record_close

logger = logging.getLogger(__name__)

DEFAULT_RETENTION_DAYS: int = ProcessingRule._meta.get_field("retention_days").default
ACTOR_LABEL = "retention"


@dataclass(frozen=True)
class RetentionResult:
    cases_deleted: int
    cases_failed: int
    drafts_deleted: int
    lapsed_deleted: int = 0


def case_retention_days(*, case: Case) -> int:
    """The retention period of the rule in force on the day the case was closed."""
    assert case.closed_at is not None
    rule = (
        ProcessingRule.objects.filter(service_id=case.service_id, valid_from__lte=timezone.localdate(case.closed_at))
        .order_by("-valid_from")
        .first()
    )
    return rule.retention_days if rule else DEFAULT_RETENTION_DAYS


def case_retention_due(*, case: Case, now: datetime.datetime) -> bool:
    if case.closed_at is None or case.status not in CLOSED_STATUSES:
        return False
    return case.closed_at + datetime.timedelta(days=case_retention_days(case=case)) <= now


def cases_retention_candidates(*, now: datetime.datetime) -> list[int]:
    """Ids of closed cases that may be due; the exact per-rule check happens per case."""
    shortest = min([DEFAULT_RETENTION_DAYS, *ProcessingRule.objects.values_list("retention_days", flat=True)])
    return list(
        Case.objects.filter(
            status__in=CLOSED_STATUSES,
            closed_at__isnull=False,
            closed_at__lte=now - datetime.timedelta(days=shortest),
        )
        .order_by("closed_at", "pk")
        .values_list("pk", flat=True)
    )


def case_retention_delete(*, case_id: int, now: datetime.datetime | None = None) -> bool:
    """Delete one case's personal data if its retention period is over; True if it was deleted."""
    now = now or timezone.now()
    with transaction.atomic():
        case = (
            Case.objects.select_for_update()
            .select_related("submission", "service", "department")
            .filter(pk=case_id)
            .first()
        )
        if case is None or not case_retention_due(case=case, now=now):
            return False
        submission = case.submission
        days = case_retention_days(case=case)
        files = StoredFile.objects.filter(
            Q(submission=submission) | Q(events__case=case) | Q(document_requests__case=case)
        ).distinct()
        file_ids, names = [], []
        for pk, name in files.values_list("pk", "storage_name"):
            file_ids.append(pk)
            names.append(name)
        if submission.summary_pdf:
            names.append(submission.summary_pdf)
        if case.statistics_record is None or case.statistics_record.closed_on is None:
            case_statistics_record_close(case=case)  # closed before the figures were written at closing
        AuditEntry.objects.create(
            actor=None,
            actor_label=ACTOR_LABEL,
            action=AuditAction.RETENTION_DELETE,
            case_uuid=case.uuid,
            case_reference=case.reference,
            department_id=case.department_id,
            detail=f"retention_days={days}",
        )
        # Files attached only to events or document requests do not cascade with the submission.
        StoredFile.objects.filter(pk__in=file_ids).delete()
        submission.delete()  # cascades: case, events, document requests, notifications
        transaction.on_commit(partial(private_files_delete, names=names))
    return True


def cases_retention_run(*, now: datetime.datetime | None = None) -> tuple[int, int]:
    """Delete every case that is due. Returns (deleted, failed); one failing case does not stop the others."""
    now = now or timezone.now()
    deleted = failed = 0
    for case_id in cases_retention_candidates(now=now):
        try:
            if case_retention_delete(case_id=case_id, now=now):
                deleted += 1
        except Exception:
            failed += 1
            logger.exception("retention could not delete case id %s", case_id)
    return deleted, failed


def drafts_cleanup(*, now: datetime.datetime | None = None, batch_size: int = 200) -> int:
    """Delete drafts not changed for DRAFT_RETENTION_DAYS days, with their uploaded files. Returns the count."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS)
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                Draft.objects.select_for_update()
                .filter(updated_at__lt=cutoff)
                .order_by("pk")
                .values_list("pk", flat=True)[:batch_size]
            )
            if not ids:
                return deleted
            names = list(StoredFile.objects.filter(draft_id__in=ids).values_list("storage_name", flat=True))
            Draft.objects.filter(pk__in=ids).delete()  # cascades to the draft's StoredFile rows
            transaction.on_commit(partial(private_files_delete, names=names))
        deleted += len(ids)


def lapsed_submissions_cleanup(*, now: datetime.datetime | None = None, batch_size: int = 200) -> int:
    """Delete submissions whose fee was never paid, DRAFT_RETENTION_DAYS after the payment ran out.

    They never became cases, so they are cleaned up like abandoned drafts: the
    submission, its answers, its payment and its files.
    """
    from amtsweg.applications.models import Submission
    from amtsweg.payments.constants import PaymentStatus

    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS)
    deleted = 0
    while True:
        with transaction.atomic():
            submissions = list(
                Submission.objects.select_for_update(of=("self",))  # not the outer-joined case
                .filter(payment__status=PaymentStatus.EXPIRED, payment__updated_at__lt=cutoff, case__isnull=True)
                .order_by("pk")
                .values_list("pk", "summary_pdf", "payment__receipt_pdf")[:batch_size]
            )
            if not submissions:
                return deleted
            ids = [pk for pk, _summary, _receipt in submissions]
            names = [name for _pk, *files in submissions for name in files if name]
            names += list(StoredFile.objects.filter(submission_id__in=ids).values_list("storage_name", flat=True))
            Submission.objects.filter(pk__in=ids).delete()  # cascades to the payment and the file rows
            transaction.on_commit(partial(private_files_delete, names=names))
        deleted += len(ids)


def expired_sessions_delete() -> None:
    """Delete expired sessions from the session store (they can hold a citizen's identity data).

    The database-backed engines keep a row after the session cookie expired until it is cleared;
    the cache engine's entries expire by themselves, so its ``clear_expired`` does nothing.
    """
    engine = import_module(settings.SESSION_ENGINE)
    engine.SessionStore.clear_expired()


def retention_run(*, now: datetime.datetime | None = None) -> RetentionResult:
    """The periodic clean-ups: cases past their retention period, abandoned drafts, lapsed unpaid submissions."""
    now = now or timezone.now()
    deleted, failed = cases_retention_run(now=now)
    drafts = drafts_cleanup(now=now)
    lapsed = lapsed_submissions_cleanup(now=now)
    expired_sessions_delete()
    logger.info(
        "retention: %s cases deleted, %s failed, %s drafts and %s lapsed submissions deleted",
        deleted,
        failed,
        drafts,
        lapsed,
    )
    return RetentionResult(cases_deleted=deleted, cases_failed=failed, drafts_deleted=drafts, lapsed_deleted=lapsed)


@task
def retention_run_task() -> dict[str, int]:
    """The periodic retention job, queued by ``manage.py run_scheduled``."""
    return asdict(retention_run())
