import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation

from amtsweg.applications.access import status_access_grant
from amtsweg.applications.models import Submission
from amtsweg.cases.constants import AuditAction, CaseStatus, EventKind
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import AuditEntry, Case, CaseEvent
from amtsweg.cases.services import (
    audit_record,
    case_allowed_transitions,
    case_assign,
    case_assign_bulk,
    case_citizen_upload,
    case_documents_request,
    case_message_send,
    case_note_add,
    case_open,
    case_transition,
    processing_rule_set,
)
from amtsweg.notifications.models import Notification
from tests.accounts.factories import StaffFactory
from tests.applications.factories import SubmissionFactory

from .factories import CaseFactory, ProcessingRuleFactory, form_version_for

PDF = b"%PDF-1.4\n% test\n"
SHIPPED = {"key": "shipped", "label": {"de": "Versendet", "en": "Sent"}}
PRINTED = {"key": "printed", "label": {"de": "Gedruckt", "en": "Printed"}}


def _submission_received_on(service, day: datetime.date) -> Submission:
    submission = SubmissionFactory(form_version=form_version_for(service))
    received = timezone.make_aware(datetime.datetime.combine(day, datetime.time(10, 0)))
    Submission.objects.filter(pk=submission.pk).update(submitted_at=received)
    submission.refresh_from_db()
    return submission


def _local_due_day(case: Case) -> datetime.date:
    return timezone.localdate(case.due_at)


# --- opening ---------------------------------------------------------------------


def test_opening_a_case_puts_it_in_the_services_department_with_a_visible_submitted_event(service):
    submission = SubmissionFactory(form_version=form_version_for(service), applicant_name="Erika Mustermann")
    case = case_open(submission=submission)
    assert case.department == service.department
    assert case.reference == submission.reference
    assert case.applicant_name == "Erika Mustermann"
    assert case.status == CaseStatus.RECEIVED
    event = case.events.get()
    assert event.kind == EventKind.SUBMITTED and event.visible_to_citizen


def test_opening_twice_returns_the_same_case(service):
    submission = SubmissionFactory(form_version=form_version_for(service))
    assert case_open(submission=submission) == case_open(submission=submission)
    assert Case.objects.count() == 1 and CaseEvent.objects.count() == 1


def test_due_date_skips_christmas_holidays_and_the_weekend(service):
    ProcessingRuleFactory(service=service, deadline_days=2, working_days=True)
    case = case_open(submission=_submission_received_on(service, datetime.date(2026, 12, 24)))
    assert _local_due_day(case) == datetime.date(2026, 12, 29)
    assert timezone.localtime(case.due_at).time() == datetime.time(23, 59, 59)


def test_due_date_in_calendar_days_when_the_rule_says_so(service):
    ProcessingRuleFactory(service=service, deadline_days=2, working_days=False)
    case = case_open(submission=_submission_received_on(service, datetime.date(2026, 12, 24)))
    assert _local_due_day(case) == datetime.date(2026, 12, 26)


def test_without_a_rule_the_deadline_is_ten_working_days(service):
    case = case_open(submission=_submission_received_on(service, datetime.date(2026, 11, 20)))  # a Friday
    assert _local_due_day(case) == datetime.date(2026, 12, 4)


def test_the_newest_rule_in_force_on_the_day_of_receipt_counts(service):
    ProcessingRuleFactory(service=service, valid_from=datetime.date(2020, 1, 1), deadline_days=20)
    ProcessingRuleFactory(service=service, valid_from=datetime.date(2026, 1, 1), deadline_days=1)
    ProcessingRuleFactory(service=service, valid_from=datetime.date(2027, 1, 1), deadline_days=30)  # not yet
    case = case_open(submission=_submission_received_on(service, datetime.date(2026, 11, 24)))
    assert _local_due_day(case) == datetime.date(2026, 11, 25)


# --- transitions -----------------------------------------------------------------

ALLOWED = [
    ("received", "in_progress"),
    ("received", "rejected"),
    ("received", "withdrawn"),
    ("in_progress", "waiting"),
    ("in_progress", "completed"),
    ("in_progress", "rejected"),
    ("in_progress", "withdrawn"),
    ("in_progress", "shipped"),
    ("waiting", "in_progress"),
    ("waiting", "completed"),
    ("waiting", "shipped"),
    ("shipped", "completed"),
    ("shipped", "rejected"),
    ("shipped", "withdrawn"),
    ("shipped", "printed"),
    ("printed", "shipped"),
]

REFUSED = [
    ("received", "completed"),
    ("received", "waiting"),
    ("received", "shipped"),  # extra states only from "in progress" or "waiting"
    ("received", "received"),
    ("in_progress", "received"),
    ("shipped", "in_progress"),
    ("shipped", "waiting"),
    ("shipped", "shipped"),
    ("completed", "in_progress"),
    ("completed", "shipped"),
    ("rejected", "in_progress"),
    ("withdrawn", "completed"),
    ("in_progress", "no_such_state"),
]


@pytest.fixture
def rule_with_extra_states(service):
    return ProcessingRuleFactory(service=service, extra_states=[SHIPPED, PRINTED])


@pytest.mark.parametrize(("from_status", "to_status"), ALLOWED)
def test_allowed_transitions_move_the_case_and_tell_the_citizen(
    service, staff, rule_with_extra_states, from_status, to_status
):
    case = CaseFactory.for_service(service, status=from_status)
    moved = case_transition(case=case, to_status=to_status, actor=staff, reason="Unterlagen fehlen")
    assert moved.status == to_status
    event = CaseEvent.objects.get(case=case, kind=EventKind.STATUS)
    assert (event.from_status, event.to_status, event.visible_to_citizen, event.actor) == (
        from_status,
        to_status,
        True,
        staff,
    )
    assert AuditEntry.objects.filter(case_uuid=case.uuid, action=AuditAction.CHANGE_STATUS).count() == 1


@pytest.mark.parametrize(("from_status", "to_status"), REFUSED)
def test_other_transitions_are_refused_and_change_nothing(
    service, staff, rule_with_extra_states, from_status, to_status
):
    case = CaseFactory.for_service(service, status=from_status)
    with pytest.raises(CaseError):
        case_transition(case=case, to_status=to_status, actor=staff, reason="Grund")
    case.refresh_from_db()
    assert case.status == from_status
    assert not CaseEvent.objects.filter(case=case).exists()


def test_allowed_targets_list_the_extra_states_after_the_standard_ones(service, rule_with_extra_states):
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    assert case_allowed_transitions(case=case) == [
        "waiting",
        "completed",
        "rejected",
        "withdrawn",
        "shipped",
        "printed",
    ]


def test_an_extra_state_dropped_by_a_newer_rule_can_still_be_left(service, staff):
    case = CaseFactory.for_service(service, status="archived_elsewhere")
    assert case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=staff).status == "completed"


@pytest.mark.parametrize("reason", ["", "   "])
def test_rejection_without_a_reason_is_refused(service, staff, reason):
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    with translation.override("en"), pytest.raises(CaseError, match="reason"):
        case_transition(case=case, to_status=CaseStatus.REJECTED, actor=staff, reason=reason)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS


def test_rejection_stores_the_reason_shows_it_to_the_citizen_and_closes_the_case(service, staff):
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    moved = case_transition(case=case, to_status=CaseStatus.REJECTED, actor=staff, reason="Nicht zuständig.")
    assert moved.rejection_reason == "Nicht zuständig."
    assert moved.closed_at is not None
    event = moved.events.get(kind=EventKind.STATUS)
    assert event.text == "Nicht zuständig." and event.visible_to_citizen


def test_an_extra_state_does_not_close_the_case(service, staff, rule_with_extra_states):
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    assert case_transition(case=case, to_status="shipped", actor=staff).closed_at is None
    assert case_transition(case=case, to_status="completed", actor=staff).closed_at is not None


def test_a_status_change_queues_the_citizens_email_with_the_change(service, staff):
    case = CaseFactory.for_service(service)
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=staff)
    event = case.events.get(kind=EventKind.STATUS)
    assert list(Notification.objects.filter(case=case).values_list("event", flat=True)) == [event.pk]


def test_a_status_change_that_is_rolled_back_leaves_no_email(service, staff):
    case = CaseFactory.for_service(service)
    before = case.status
    with pytest.raises(RuntimeError), transaction.atomic():
        case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=staff)
        raise RuntimeError("the surrounding change fails")
    assert not Notification.objects.filter(case=case).exists()
    assert Case.objects.get(pk=case.pk).status == before != CaseStatus.IN_PROGRESS


def test_staff_of_another_department_cannot_move_the_case(service, outsider):
    case = CaseFactory.for_service(service)
    with pytest.raises(CaseError):
        case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=outsider)


# --- assignment ------------------------------------------------------------------


def test_a_case_is_assigned_within_its_department_and_the_change_is_recorded(service, staff, colleague):
    case = CaseFactory.for_service(service)
    assert case_assign(case=case, assignee=colleague, actor=staff).assignee == colleague
    event = case.events.get(kind=EventKind.ASSIGNED)
    assert not event.visible_to_citizen
    assert AuditEntry.objects.get(case_uuid=case.uuid, action=AuditAction.ASSIGN).detail == "→ bernd"


def test_assignment_to_staff_of_another_department_is_refused(service, staff, outsider):
    case = CaseFactory.for_service(service)
    with translation.override("en"), pytest.raises(CaseError, match="department"):
        case_assign(case=case, assignee=outsider, actor=staff)
    case.refresh_from_db()
    assert case.assignee is None


def test_a_superuser_without_the_department_cannot_be_assigned(service, staff):
    boss = StaffFactory(is_superuser=True)
    with pytest.raises(CaseError):
        case_assign(case=CaseFactory.for_service(service), assignee=boss, actor=staff)


def test_unassigning_sets_nobody(service, staff):
    case = CaseFactory.for_service(service, assignee=staff)
    assert case_assign(case=case, assignee=None, actor=staff).assignee is None


def test_assigning_to_the_current_assignee_changes_nothing(service, staff):
    case = CaseFactory.for_service(service, assignee=staff)
    case_assign(case=case, assignee=staff, actor=staff)
    assert not case.events.exists()


def test_bulk_assignment_assigns_every_case(service, staff, colleague):
    cases = [CaseFactory.for_service(service) for _ in range(3)]
    assert case_assign_bulk(cases=cases, assignee=colleague, actor=staff) == 3
    assert set(Case.objects.values_list("assignee__username", flat=True)) == {"bernd"}


def test_bulk_assignment_is_all_or_nothing(service, other_service, staff, colleague):
    boss = StaffFactory(is_superuser=True)
    cases = [CaseFactory.for_service(service), CaseFactory.for_service(other_service)]
    with pytest.raises(CaseError):
        case_assign_bulk(cases=cases, assignee=colleague, actor=boss)
    assert not Case.objects.filter(assignee__isnull=False).exists()


# --- notes, messages, documents ---------------------------------------------------------


def test_a_note_is_internal(service, staff):
    case = CaseFactory.for_service(service)
    event = case_note_add(case=case, actor=staff, text="Rückruf vereinbart.")
    assert event.kind == EventKind.NOTE and not event.visible_to_citizen
    assert AuditEntry.objects.filter(case_uuid=case.uuid, action=AuditAction.ADD_NOTE).exists()


def test_an_empty_note_is_refused(service, staff):
    with pytest.raises(CaseError):
        case_note_add(case=CaseFactory.for_service(service), actor=staff, text="  ")


def test_a_message_is_visible_and_carries_its_attachments(service, staff, settings):
    case = CaseFactory.for_service(service)
    upload = SimpleUploadedFile("bescheid.pdf", PDF, content_type="application/pdf")
    event = case_message_send(case=case, actor=staff, text="Ihr Bescheid.", files=[upload])
    assert event.kind == EventKind.MESSAGE and event.visible_to_citizen
    stored = event.attachments.get()
    assert stored.original_name == "bescheid.pdf" and stored.uploaded_by_staff == staff
    assert stored.submission == case.submission
    assert (settings.PRIVATE_MEDIA_ROOT / stored.storage_name).read_bytes() == PDF
    assert AuditEntry.objects.get(case_uuid=case.uuid, action=AuditAction.SEND_MESSAGE).detail == "bescheid.pdf"


def test_a_message_with_a_file_of_the_wrong_kind_is_refused_as_a_case_error(service, staff):
    case = CaseFactory.for_service(service)
    upload = SimpleUploadedFile("script.html", b"<script>alert(1)</script>", content_type="text/html")
    with pytest.raises(CaseError):
        case_message_send(case=case, actor=staff, text="Hallo", files=[upload])
    assert not case.events.exists()


def test_requesting_documents_makes_a_case_in_progress_wait_for_the_citizen(service, staff):
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    request = case_documents_request(case=case, actor=staff, text="Bitte Personalausweis hochladen.")
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING
    event = case.events.get(kind=EventKind.DOCUMENT_REQUEST)
    assert event.visible_to_citizen and (event.from_status, event.to_status) == ("in_progress", "waiting")
    assert request.fulfilled_at is None and request.requested_by == staff


def test_requesting_documents_for_a_new_case_keeps_its_status(service, staff):
    case = CaseFactory.for_service(service)
    case_documents_request(case=case, actor=staff, text="Bitte Foto.")
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED


def test_documents_cannot_be_requested_for_a_closed_case(service, staff):
    with pytest.raises(CaseError):
        case_documents_request(case=CaseFactory.for_service(service, status="completed"), actor=staff, text="x")


def test_the_citizens_upload_fulfils_the_request_and_puts_the_case_back_in_progress(service, staff):
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    request = case_documents_request(case=case, actor=staff, text="Bitte Foto.")
    upload = SimpleUploadedFile("foto.pdf", PDF)
    case_citizen_upload(document_request=request, files=[upload])
    request.refresh_from_db()
    case.refresh_from_db()
    assert request.fulfilled_at is not None and request.files.get().original_name == "foto.pdf"
    assert case.status == CaseStatus.IN_PROGRESS
    event = case.events.get(kind=EventKind.CITIZEN_UPLOAD)
    assert event.visible_to_citizen and event.actor is None and event.attachments.count() == 1


def test_an_answer_without_text_or_files_is_refused(service, staff):
    request = case_documents_request(case=CaseFactory.for_service(service), actor=staff, text="Foto")
    with pytest.raises(CaseError):
        case_citizen_upload(document_request=request, files=[])
    with pytest.raises(CaseError):
        case_citizen_upload(document_request=request, files=[], text="  \x00 ")
    with pytest.raises(CaseError):
        case_citizen_upload(document_request=request, files=[], text="x" * 2001)
    request.refresh_from_db()
    assert request.fulfilled_at is None


def test_a_question_can_be_answered_with_text_alone(service, staff):
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    request = case_documents_request(case=case, actor=staff, text="Sind Sie die Mutter?")
    case_citizen_upload(document_request=request, files=[], text="Ja,\x00 ich bin die Mutter.\nErika")
    request.refresh_from_db()
    event = case.events.get(kind=EventKind.CITIZEN_UPLOAD)
    assert request.fulfilled_at is not None and not request.files.exists()
    assert event.text == "Ja, ich bin die Mutter.\nErika" and event.visible_to_citizen


def test_the_status_page_takes_a_text_answer_and_shows_it(client, service, staff):
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    request = case_documents_request(case=case, actor=staff, text="Sind Sie die Mutter?")
    session = client.session
    status_access_grant(session=session, submission=case.submission)
    session.save()
    url = f"/status/{case.submission.uuid}/nachreichen/{request.uuid}/"
    empty = client.post(url, {"answer": "   "}, follow=True).content.decode()
    assert 'kern-alert--danger aw-message" role="alert"' in empty  # the page frame shows the error
    assert "Schreiben Sie eine Antwort oder wählen Sie ein Dokument aus" in empty
    request.refresh_from_db()
    assert request.fulfilled_at is None
    page = client.post(url, {"answer": "<b>Ja</b>, ich bin die Mutter."}, follow=True).content.decode()
    request.refresh_from_db()
    assert request.fulfilled_at is not None
    assert "&lt;b&gt;Ja&lt;/b&gt;, ich bin die Mutter." in page and "Ihre Antwort erhalten" in page


# --- the audit log -----------------------------------------------------------------


def test_audit_entries_cannot_be_changed_or_deleted(service, staff):
    case = CaseFactory.for_service(service)
    entry = audit_record(actor=staff, action=AuditAction.VIEW_CASE, case=case)
    assert (entry.actor_label, entry.case_reference) == ("anna", case.reference)
    assert entry.department_id == case.department_id
    entry.detail = "geändert"
    with pytest.raises(PermissionDenied):
        entry.save()
    with pytest.raises(PermissionDenied):
        entry.delete()
    assert AuditEntry.objects.get().detail == ""


def test_a_citizens_status_page_view_is_recorded_as_the_citizen(service):
    entry = audit_record(actor=None, action=AuditAction.VIEW_STATUS_PAGE, case=CaseFactory.for_service(service))
    assert entry.actor is None and entry.actor_label == "citizen"


# --- two staff members at once --------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_staff_moving_the_same_case_at_once_move_it_once(service, staff, colleague):
    import threading

    from django.db import connection

    case = CaseFactory.for_service(service)
    barrier = threading.Barrier(2)
    results: list[str] = []

    def work(actor) -> None:  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)
            results.append("moved")
        except CaseError:
            results.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(actor,)) for actor in (staff, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == ["moved", "refused"]
    assert CaseEvent.objects.filter(case=case, kind=EventKind.STATUS).count() == 1


def test_a_processing_rule_is_set_with_the_models_defaults_and_an_existing_one_is_kept(db):
    service = ProcessingRuleFactory().service
    day = datetime.date(2026, 3, 1)

    rule = processing_rule_set(service=service, valid_from=day, deadline_days=5)
    assert (rule.deadline_days, rule.working_days, rule.retention_days, rule.extra_states) == (5, True, 180, [])

    again = processing_rule_set(service=service, valid_from=day, deadline_days=7, extra_states=[SHIPPED])
    assert again.pk == rule.pk
    again.refresh_from_db()
    assert (again.deadline_days, again.extra_states) == (5, [])
