"""Reads for the citizen account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from amtsweg.applications.models import Submission

from .models import CitizenAccount


@dataclass
class AccountItem:
    submission: Submission
    case: Any
    payment: Any
    events: list[Any]
    files: list[Any]
    status_label: str = ""  # the case's state in the citizen's words, as on the status page


def account_overview(*, account: CitizenAccount) -> list[AccountItem]:
    """The account's submissions, newest first, with status, payment, messages to the citizen and documents."""
    from amtsweg.cases.models import Case, CaseEvent
    from amtsweg.cases.selectors import case_status_label, case_status_labels, history_entries
    from amtsweg.payments.models import Payment

    submissions = list(account.submissions.select_related("service").order_by("-submitted_at")[:100])
    ids = [s.pk for s in submissions]
    cases = {c.submission_id: c for c in Case.objects.filter(submission_id__in=ids).select_related("service")}
    labels = case_status_labels(services={case.service for case in cases.values()})
    payments = {p.submission_id: p for p in Payment.objects.filter(submission_id__in=ids)}
    events: dict[int, list[Any]] = {}
    visible = CaseEvent.objects.filter(case__submission_id__in=ids, visible_to_citizen=True)
    for event in visible.prefetch_related("attachments").order_by("-at", "-pk"):
        events.setdefault(event.case_id, []).append(event)
    items = []
    for submission in submissions:
        case = cases.get(submission.pk)
        items.append(
            AccountItem(
                submission=submission,
                case=case,
                payment=payments.get(submission.pk),
                events=history_entries(events=events.get(case.pk, [])[:5], labels=labels) if case else [],
                files=list(submission.files.all()),
                status_label=case_status_label(case=case, labels=labels) if case else "",
            )
        )
    return items
