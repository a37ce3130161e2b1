"""A case's anonymous record: made when the case is received, completed when it closes, kept after retention."""

import datetime

import pytest
from django.utils import timezone

from amtsweg.applications.models import Submission
from amtsweg.cases.constants import CaseStatus
from amtsweg.cases.models import ProcessingRule
from amtsweg.cases.retention import retention_run
from amtsweg.cases.services import case_open, case_statistics_record_close, case_transition
from amtsweg.payments.constants import PaymentStatus
from amtsweg.statistics.models import AppointmentRecord, CaseRecord, FunnelCount
from tests.accounts.factories import StaffFactory
from tests.applications.factories import SubmissionFactory
from tests.cases.factories import form_version_for
from tests.catalogue.factories import DepartmentFactory, ServiceFactory
from tests.payments.factories import PaymentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    department = DepartmentFactory(slug="standesamt", name_de="Standesamt")
    return ServiceFactory(department=department, slug="geburtsurkunde", name_de="Geburtsurkunde")


def _received(service, day: datetime.date) -> Submission:
    submission = SubmissionFactory(form_version=form_version_for(service))
    received = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    Submission.objects.filter(pk=submission.pk).update(submitted_at=received)
    submission.refresh_from_db()
    return submission


def _closed_on(case, day: datetime.date, status=CaseStatus.COMPLETED) -> CaseRecord:
    case.status = status
    case.closed_at = timezone.make_aware(datetime.datetime.combine(day, datetime.time(15, 0)))
    case.save(update_fields=["status", "closed_at"])
    case_statistics_record_close(case=case)
    return CaseRecord.objects.get(pk=case.statistics_record_id)


def test_a_received_case_is_counted_before_it_is_closed(service):
    case = case_open(submission=_received(service, datetime.date(2026, 4, 30)))
    record = CaseRecord.objects.get()
    assert case.statistics_record_id == record.pk
    assert (record.service_id, record.department_id, record.channel, record.count) == (
        service.pk,
        service.department_id,
        "online",
        1,
    )
    assert record.submitted_on == datetime.date(2026, 4, 30)
    assert record.closed_on is None and record.final_status == "" and record.working_days is None


def test_opening_twice_makes_one_record(service):
    submission = _received(service, datetime.date(2026, 4, 30))
    case_open(submission=submission)
    case_open(submission=submission)
    assert CaseRecord.objects.count() == 1


def test_processing_time_counts_working_days_without_hesses_holidays(service):
    # 1 May is a holiday: Thursday 30 April to Friday 8 May 2026 is five working days.
    case = case_open(submission=_received(service, datetime.date(2026, 4, 30)))
    assert _closed_on(case, datetime.date(2026, 5, 8)).working_days == 5
    # Corpus Christi (4 June 2026) is a holiday in Hesse: Wednesday to Friday is one working day.
    case = case_open(submission=_received(service, datetime.date(2026, 6, 3)))
    assert _closed_on(case, datetime.date(2026, 6, 5)).working_days == 1


@pytest.mark.parametrize(("deadline_days", "within"), [(5, True), (4, False)])
def test_within_target_compares_with_the_services_deadline_on_the_day_of_receipt(service, deadline_days, within):
    ProcessingRule.objects.create(service=service, valid_from=datetime.date(2020, 1, 1), deadline_days=deadline_days)
    case = case_open(submission=_received(service, datetime.date(2026, 4, 30)))
    record = _closed_on(case, datetime.date(2026, 5, 8))
    assert (record.within_target, record.final_status, record.closed_on) == (
        within,
        CaseStatus.COMPLETED,
        datetime.date(2026, 5, 8),
    )


def test_what_was_paid_online_is_recorded_when_the_case_closes(service):
    submission = _received(service, datetime.date(2026, 4, 30))
    PaymentFactory(submission=submission, amount_cents=1200, status=PaymentStatus.PAID, paid_at=timezone.now())
    unpaid = _received(service, datetime.date(2026, 4, 30))
    PaymentFactory(submission=unpaid, amount_cents=1200)
    assert _closed_on(case_open(submission=submission), datetime.date(2026, 5, 4)).paid_cents == 1200
    assert _closed_on(case_open(submission=unpaid), datetime.date(2026, 5, 4), CaseStatus.WITHDRAWN).paid_cents == 0


def test_closing_through_the_workflow_completes_the_record_made_at_receipt(service):
    staff = StaffFactory(departments=[service.department])
    case = case_open(submission=SubmissionFactory(form_version=form_version_for(service)))
    case_transition(case=case, to_status=CaseStatus.REJECTED, actor=staff, reason="Unvollständig")
    [record] = CaseRecord.objects.all()
    assert (record.final_status, record.closed_on) == (CaseStatus.REJECTED, timezone.localdate())
    assert record.working_days == 0 and record.within_target is True


def test_a_purged_case_still_counts_once(service):
    staff = StaffFactory(departments=[service.department])
    ProcessingRule.objects.create(service=service, valid_from=datetime.date(2020, 1, 1), retention_days=1)
    case = case_open(submission=SubmissionFactory(form_version=form_version_for(service)))
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=staff)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=staff)

    assert retention_run(now=timezone.now() + datetime.timedelta(days=3)).cases_deleted == 1

    [record] = CaseRecord.objects.all()
    assert (record.service_id, record.final_status) == (service.pk, CaseStatus.COMPLETED)


# What the statistics tables may hold: codes, counts, days. A new column must be added here on purpose, after
# checking that it cannot identify a person (no reference, name, address, answer, free text, exact time).
ALLOWED_COLUMNS = {
    CaseRecord: {
        "id",
        "service",
        "department",
        "channel",
        "count",
        "submitted_on",
        "closed_on",
        "final_status",
        "working_days",
        "within_target",
        "paid_cents",
        "without_appointment",
        "details",
    },
    AppointmentRecord: {"id", "service", "department", "location", "day", "outcome"},
    FunnelCount: {"id", "service", "form_version", "day", "kind", "step", "field", "position", "count"},
}


@pytest.mark.parametrize("model", list(ALLOWED_COLUMNS))
def test_the_statistics_tables_hold_nothing_personal(model):
    assert {field.name for field in model._meta.concrete_fields} == ALLOWED_COLUMNS[model]
