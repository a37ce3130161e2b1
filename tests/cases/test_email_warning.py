"""Staff are warned about an email to the citizen that has not gone out: one that failed, and one still
waiting after its deadline, even if no worker ever took its task."""

import datetime
import uuid

import pytest
from django.utils import timezone

from amtsweg.cases.models import Case
from amtsweg.notifications.constants import NotificationKind, NotificationStatus
from amtsweg.notifications.models import Notification

from .factories import CaseFactory

CASE_PAGE_WARNING = "An email to the citizen could not be sent yet"
INBOX_MARKER = "email not sent yet"


@pytest.fixture(autouse=True)
def deadline(settings) -> int:
    settings.NOTIFICATION_OVERDUE_MINUTES = 15
    return 15


def _email(case: Case, *, minutes_ago: int, status: str = NotificationStatus.PENDING, with_case: bool = True) -> None:
    """An email about ``case`` queued ``minutes_ago``, with no attempt (its task never ran)."""
    notification = Notification.objects.create(
        occasion=f"{NotificationKind.SUBMISSION_CONFIRMATION}:{uuid.uuid4()}",
        kind=NotificationKind.SUBMISSION_CONFIRMATION,
        to="erika@example.org",
        case=case if with_case else None,
        submission=case.submission,
        status=status,
    )
    queued_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    Notification.objects.filter(pk=notification.pk).update(created_at=queued_at)


def _warnings(staff_client, case: Case) -> tuple[bool, bool]:  # type: ignore[no-untyped-def]
    """(the case page shows the warning, the inbox marks the case), on the English pages."""
    page = staff_client.get(f"/en/intern/faelle/{case.uuid}/").content.decode()
    inbox = staff_client.get("/en/intern/").content.decode()
    assert case.reference in inbox
    return CASE_PAGE_WARNING in page, INBOX_MARKER in inbox


def test_an_email_still_waiting_after_its_deadline_warns_on_the_case_page_and_in_the_inbox(staff_client, service):
    case = CaseFactory.for_service(service)
    _email(case, minutes_ago=16)

    assert _warnings(staff_client, case) == (True, True)


def test_an_email_within_its_deadline_warns_nobody(staff_client, service):
    case = CaseFactory.for_service(service)
    _email(case, minutes_ago=14)

    assert _warnings(staff_client, case) == (False, False)


def test_an_overdue_email_about_the_submission_before_its_case_opened_warns_too(staff_client, service):
    """A fee-bearing submission's confirmation is queued before its case opens, so it names only the submission."""
    case = CaseFactory.for_service(service)
    _email(case, minutes_ago=16, with_case=False)

    assert _warnings(staff_client, case) == (True, True)


def test_an_email_that_went_out_warns_nobody_however_old(staff_client, service):
    case = CaseFactory.for_service(service)
    _email(case, minutes_ago=600, status=NotificationStatus.SENT)

    assert _warnings(staff_client, case) == (False, False)


def test_an_email_given_up_warns_however_old(staff_client, service):
    case = CaseFactory.for_service(service)
    _email(case, minutes_ago=600, status=NotificationStatus.FAILED)

    assert _warnings(staff_client, case) == (True, True)


def test_a_case_flagged_by_a_failed_attempt_is_marked_in_the_inbox(staff_client, service):
    case = CaseFactory.for_service(service, notification_problem=True)

    assert _warnings(staff_client, case) == (True, True)


def test_only_the_case_with_the_overdue_email_is_marked_in_the_inbox(staff_client, service):
    late = CaseFactory.for_service(service)
    fine = CaseFactory.for_service(service)
    _email(late, minutes_ago=16)
    _email(fine, minutes_ago=1)

    rows = {row.reference: row.email_problem for row in staff_client.get("/en/intern/").context["page"].object_list}

    assert rows == {late.reference: True, fine.reference: False}
