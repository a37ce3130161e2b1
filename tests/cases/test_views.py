"""The back office's pages, as staff use them: without JavaScript, forms posted as a browser does."""

import csv
import datetime
import io
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amtsweg.applications.models import StoredFile
from amtsweg.cases.constants import AuditAction, CaseStatus, EventKind
from amtsweg.cases.models import AuditEntry, Case, CaseEvent
from tests.accounts.factories import StaffFactory

from .factories import CaseFactory, ProcessingRuleFactory

INBOX = "/intern/"
PDF = b"%PDF-1.4\n% a test file\n"


def _case_url(case: Case) -> str:
    return f"/intern/faelle/{case.uuid}/"


def _refs(response) -> list[str]:
    return [case.reference for case in response.context["page"].object_list]


# --- the inbox ----------------------------------------------------------------------


def test_inbox_lists_the_departments_cases_with_an_overdue_badge(staff_client, service, other_service):
    late = CaseFactory.for_service(
        service, due_at=timezone.now() - datetime.timedelta(days=1), applicant_name="Eva Spät"
    )
    CaseFactory.for_service(other_service, reference="KS-2026-777777-7")
    response = staff_client.get(INBOX)
    assert response.status_code == 200
    body = response.content.decode()
    assert late.reference in body and "Eva Spät" in body and "KS-2026-777777-7" not in body
    assert "Meldebescheinigung" in body
    assert response.context["page"].object_list[0].is_overdue
    assert 'scope="col"' in body and 'scope="row"' in body
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]


def test_inbox_filters_and_search_come_from_a_get_form(staff_client, staff, service):
    mine = CaseFactory.for_service(service, reference="KS-2026-000123-4", assignee=staff)
    CaseFactory.for_service(service, reference="KS-2026-000200-1", status=CaseStatus.IN_PROGRESS)
    assert _refs(staff_client.get(INBOX, {"q": "KS20260001234"})) == [mine.reference]
    assert _refs(staff_client.get(INBOX, {"q": "ks-2026-000123"})) == [mine.reference]
    assert _refs(staff_client.get(INBOX, {"assignee": "me"})) == [mine.reference]
    assert _refs(staff_client.get(INBOX, {"assignee": "unassigned"})) == ["KS-2026-000200-1"]
    assert _refs(staff_client.get(INBOX, {"status": "in_progress"})) == ["KS-2026-000200-1"]
    assert _refs(staff_client.get(INBOX, {"service": service.slug, "overdue": "on"})) == []


def test_inbox_rows_show_service_assignee_status_and_dates(staff_client, staff, service, other_department):
    from tests.catalogue.factories import ServiceFactory

    former = StaffFactory(username="clara")  # no name, no longer in the department
    moved = ServiceFactory(department=other_department, name_de="Umgezogener Dienst", name_en="Moved service")
    received = timezone.make_aware(datetime.datetime(2026, 3, 9, 23, 30), datetime.UTC)
    rows = [
        CaseFactory.for_service(service, assignee=staff, applicant_name="Jörg Müller"),
        CaseFactory.for_service(service, assignee=former, due_at=received + datetime.timedelta(days=4)),
        CaseFactory.for_service(service, status=CaseStatus.WAITING),
    ]
    moved_case = CaseFactory.for_service(service)
    Case.objects.filter(pk=moved_case.pk).update(service=moved)  # the case stays with its department
    Case.objects.filter(pk=rows[1].pk).update(created_at=received)
    body = staff_client.get(INBOX).content.decode()
    assert "Anna Amt" in body and ">clara<" in body and "niemand" in body
    assert "Meldebescheinigung" in body and "Umgezogener Dienst" in body and "Rückfrage" in body
    # Kassel's local dates: received 10 March (UTC 9 March 23:30), due 14 March.
    assert '<time datetime="2026-03-10T00:30:00+01:00">10.03.2026</time>' in body
    assert '<time datetime="2026-03-14T00:30:00+01:00">14.03.2026</time>' in body
    assert f'href="/intern/faelle/{rows[0].uuid}/"' in body and f'value="{rows[0].uuid}"' in body
    english = staff_client.get("/en/intern/").content.decode()
    assert "Moved service" in english and "Certificate of registration" in english


def test_an_invalid_filter_is_reported_and_ignored(staff_client, service):
    CaseFactory.for_service(service)
    response = staff_client.get(INBOX, {"age_days": "abc", "status": "nonsense"})
    assert response.status_code == 200
    assert len(_refs(response)) == 1
    assert response.context["filter_form"].errors.keys() == {"age_days", "status"}


def test_inbox_shows_counts_per_status(staff_client, service):
    CaseFactory.for_service(service)
    CaseFactory.for_service(service, status=CaseStatus.WAITING)
    counts = {key: n for key, _label, n in staff_client.get(INBOX).context["counts"]}
    assert counts["received"] == 1 and counts["waiting"] == 1 and counts["completed"] == 0


def test_inbox_pages_hold_fifty_cases_and_keep_the_filters(staff_client, service):
    for _ in range(51):
        CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    first = staff_client.get(INBOX, {"status": "in_progress"})
    assert len(_refs(first)) == 50
    assert "?status=in_progress&amp;page=2" in first.content.decode()
    second = staff_client.get(INBOX, {"status": "in_progress", "page": 2})
    assert len(_refs(second)) == 1
    assert staff_client.get(INBOX, {"page": "999"}).context["page"].number == 2


def _count_queries(client, params) -> tuple[object, list[str]]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INBOX, params)
    assert response.status_code == 200
    return response, [q["sql"] for q in queries.captured_queries if '"__count"' in q["sql"]]


def test_a_search_with_less_than_a_page_of_results_is_not_counted_again(staff_client, service):
    for name in ("Jörg Müller", "Anna Müllerschön", "Hans Meier"):
        CaseFactory.for_service(service, applicant_name=name)
    staff_client.get(INBOX)  # the cached counts per status
    response, counts = _count_queries(staff_client, {"q": "müller"})
    assert sorted(c.applicant_name for c in response.context["page"].object_list) == [
        "Anna Müllerschön",
        "Jörg Müller",
    ]
    assert response.context["paginator"].count == 2 and counts == []
    assert "2 Vorgänge" in response.content.decode()


def test_a_search_with_a_full_page_is_counted_and_paged(staff_client, service):
    for i in range(51):
        CaseFactory.for_service(service, applicant_name=f"Erika Muster{i}")
    CaseFactory.for_service(service, applicant_name="Hans Meier")
    response, counts = _count_queries(staff_client, {"q": "MUSTER"})
    assert len(_refs(response)) == 50 and response.context["paginator"].count == 51 and len(counts) == 1
    assert "?q=MUSTER&amp;page=2" in response.content.decode()
    second = staff_client.get(INBOX, {"q": "MUSTER", "page": 2})
    assert len(_refs(second)) == 1 and second.context["page"].number == 2


def test_the_status_links_take_their_number_from_the_cached_counts(staff_client, service):
    for _ in range(3):
        CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    CaseFactory.for_service(service)
    staff_client.get(INBOX)
    response, counts = _count_queries(staff_client, {"status": "in_progress"})
    assert response.context["paginator"].count == 3 and len(_refs(response)) == 3 and counts == []
    response, _counts = _count_queries(staff_client, {"status": "in_progress", "assignee": "unassigned"})
    assert response.context["paginator"].count == 3


def test_the_overdue_count_leaves_out_closed_and_undated_cases(staff_client, service):
    past = timezone.now() - datetime.timedelta(days=2)
    CaseFactory.for_service(service, due_at=past)
    CaseFactory.for_service(service, due_at=past, status=CaseStatus.WAITING)
    CaseFactory.for_service(service, due_at=past, status=CaseStatus.COMPLETED)
    CaseFactory.for_service(service, due_at=timezone.now() + datetime.timedelta(days=2))
    CaseFactory.for_service(service, due_at=None)
    context = staff_client.get(INBOX).context
    assert context["overdue_count"] == 2
    assert {key: n for key, _label, n in context["counts"]}["completed"] == 1


def _inbox_queries(client) -> int:
    from amtsweg.cases.signals import _bump

    # Cold inbox counts, as after a change to any case (not cache.clear(): sessions may live there).
    _bump()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


def test_the_inbox_runs_the_same_number_of_queries_for_5_and_50_cases(
    staff_client, staff, colleague, service, django_assert_max_num_queries
):
    ProcessingRuleFactory(service=service, extra_states=[{"key": "shipped", "label": {"de": "Versendet"}}])
    for i in range(5):
        CaseFactory.for_service(service, assignee=staff if i % 2 else colleague)
    staff_client.get(INBOX)  # what the process keeps once (core.memo, e.g. an inbox hook's service ids)
    few = _inbox_queries(staff_client)
    for i in range(45):
        CaseFactory.for_service(service, assignee=staff if i % 2 else None, status="shipped")
    many = _inbox_queries(staff_client)
    assert few == many
    with django_assert_max_num_queries(15):
        staff_client.get(INBOX)


def test_inbox_counts_come_from_the_cache_until_a_case_changes(
    staff_client, staff, service, django_capture_on_commit_callbacks
):
    CaseFactory.for_service(service)
    staff_client.get(INBOX)
    cached = _queries_without_clearing(staff_client)
    with django_capture_on_commit_callbacks(execute=True):
        CaseFactory.for_service(service)
    after_change = _queries_without_clearing(staff_client)
    assert after_change > cached  # the counts were computed again
    response = staff_client.get(INBOX)
    assert response.context["paginator"].count == 2


def _queries_without_clearing(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(INBOX).status_code == 200
    return len(queries)


def test_bulk_assignment_to_me_and_to_a_colleague(staff_client, staff, colleague, service):
    cases = [CaseFactory.for_service(service) for _ in range(3)]
    response = staff_client.post(
        f"{INBOX}?status=received",
        {"bulk-cases": [str(cases[0].uuid), str(cases[1].uuid)], "bulk-action": "me"},
    )
    assert response.status_code == 303 and response["Location"] == "/intern/?status=received"
    assert {c.reference for c in Case.objects.filter(assignee=staff)} == {cases[0].reference, cases[1].reference}

    response = staff_client.post(
        INBOX, {"bulk-cases": [str(cases[2].uuid)], "bulk-action": "other", "bulk-assignee": "bernd"}
    )
    assert response.status_code == 303
    assert Case.objects.get(pk=cases[2].pk).assignee == colleague


def test_bulk_assignment_without_a_selection_shows_the_error_summary(staff_client, service):
    CaseFactory.for_service(service)
    response = staff_client.post(INBOX, {"bulk-action": "me"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_bulk-cases"' in body and 'id="id_bulk-cases"' in body


def test_bulk_assignment_ignores_cases_of_other_departments(staff_client, staff, other_service):
    theirs = CaseFactory.for_service(other_service)
    response = staff_client.post(INBOX, {"bulk-cases": [str(theirs.uuid)], "bulk-action": "me"})
    assert response.status_code == 400
    assert Case.objects.get(pk=theirs.pk).assignee is None


def test_bulk_assignment_to_someone_outside_a_cases_department_is_refused_with_a_message(client, service):
    boss = StaffFactory(is_superuser=True)
    client.force_login(boss)
    case = CaseFactory.for_service(service)
    response = client.post(
        INBOX, {"bulk-cases": [str(case.uuid)], "bulk-action": "me"}, HTTP_REFERER="http://testserver/intern/"
    )
    assert response.status_code == 303 and response["Location"] == "http://testserver/intern/"
    page = client.get(INBOX)
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    assert Case.objects.get(pk=case.pk).assignee is None


# --- the case page --------------------------------------------------------------------


def test_the_case_page_shows_answers_files_history_and_empty_payment_and_appointment(staff_client, service):
    case = CaseFactory.for_service(service, notification_problem=True)
    StoredFile.objects.create(
        submission=case.submission,
        original_name="ausweis.pdf",
        content_type="application/pdf",
        size=2048,
        sha256="0" * 64,
        storage_name="aa/bb/ausweis",
    )
    CaseEvent.objects.create(case=case, kind=EventKind.SUBMITTED, to_status="received", visible_to_citizen=True)
    response = staff_client.get(_case_url(case))
    assert response.status_code == 200
    body = response.content.decode()
    assert "erika@example.org" in body and "Mustermann" in body
    assert "ausweis.pdf" in body and "/dateien/" in body
    assert 'id="payment-heading"' in body and 'id="appointment-heading"' in body
    assert "could not be sent" in body or "konnte" in body
    assert [name for name, _label in response.context["forms"]["status"].fields["to_status"].choices] == [
        "in_progress",
        "rejected",
        "withdrawn",
    ]


def test_every_view_of_the_case_page_is_audited(staff_client, staff, service):
    case = CaseFactory.for_service(service)
    staff_client.get(_case_url(case))
    staff_client.get(_case_url(case))
    entries = AuditEntry.objects.filter(case_uuid=case.uuid, action=AuditAction.VIEW_CASE)
    assert entries.count() == 2 and {e.actor for e in entries} == {staff}


def test_changing_the_status_from_the_case_page(staff_client, service):
    case = CaseFactory.for_service(service)
    response = staff_client.post(_case_url(case), {"action": "status", "status-to_status": "in_progress"})
    assert response.status_code == 303 and response["Location"] == _case_url(case)
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert AuditEntry.objects.filter(case_uuid=case.uuid, action=AuditAction.CHANGE_STATUS).exists()


def test_a_rejection_without_reason_shows_the_error_summary_linked_to_the_field(staff_client, service):
    case = CaseFactory.for_service(service)
    response = staff_client.post(_case_url(case), {"action": "status", "status-to_status": "rejected"})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#id_status-reason"' in body and 'id="id_status-reason_error"' in body
    assert 'aria-invalid="true"' in body
    assert re.search(r'value="rejected"[^>]*\bchecked\b', body), "the chosen status is kept"
    case.refresh_from_db()
    assert case.status == "received"


def test_a_target_that_is_not_offered_is_refused_by_the_form(staff_client, service):
    case = CaseFactory.for_service(service)
    response = staff_client.post(_case_url(case), {"action": "status", "status-to_status": "completed"})
    assert response.status_code == 400 and 'href="#id_status-to_status_0"' in response.content.decode()


def test_a_refused_change_from_a_stale_page_comes_back_as_a_message(staff_client, service):
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    page_url = "http://testserver" + _case_url(case)
    # A colleague closed the case while this page was open with its "request documents" form.
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.WITHDRAWN)
    response = staff_client.post(
        _case_url(case), {"action": "documents", "documents-text": "Foto"}, HTTP_REFERER=page_url
    )
    assert response.status_code == 303 and response["Location"] == page_url
    page = staff_client.get(_case_url(case))
    assert [m.level_tag for m in page.context["messages"]] == ["error"]
    assert not case.document_requests.exists()


def test_a_refused_change_without_a_referring_page_is_a_400_page(staff_client, service):
    case = CaseFactory.for_service(service, status=CaseStatus.COMPLETED)
    response = staff_client.post(_case_url(case), {"action": "documents", "documents-text": "Foto"})
    assert response.status_code == 400
    assert "cases/error.html" in [t.name for t in response.templates]


def test_a_colleague_of_another_department_is_not_offered_and_refused_by_the_form(staff_client, service, outsider):
    case = CaseFactory.for_service(service)
    response = staff_client.post(_case_url(case), {"action": "assign", "assign-assignee": "olga"})
    assert response.status_code == 400 and 'href="#id_assign-assignee"' in response.content.decode()
    assert Case.objects.get(pk=case.pk).assignee is None


def test_assigning_from_the_case_page_offers_only_colleagues_of_the_department(
    staff_client, staff, colleague, outsider, service
):
    case = CaseFactory.for_service(service)
    page = staff_client.get(_case_url(case))
    offered = [value for value, _label in page.context["forms"]["assign"].fields["assignee"].choices]
    assert offered == ["", "anna", "bernd"]
    response = staff_client.post(_case_url(case), {"action": "assign", "assign-assignee": "bernd"})
    assert response.status_code == 303
    assert Case.objects.get(pk=case.pk).assignee == colleague
    staff_client.post(_case_url(case), {"action": "assign", "assign-assignee": ""})
    assert Case.objects.get(pk=case.pk).assignee is None


def test_notes_messages_and_document_requests_from_the_case_page(staff_client, service):
    case = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    assert staff_client.post(_case_url(case), {"action": "note", "note-text": "Intern."}).status_code == 303
    upload = SimpleUploadedFile("bescheid.pdf", PDF, content_type="application/pdf")
    response = staff_client.post(
        _case_url(case), {"action": "message", "message-text": "Ihr Bescheid.", "message-files": [upload]}
    )
    assert response.status_code == 303
    assert staff_client.post(_case_url(case), {"action": "documents", "documents-text": "Foto"}).status_code == 303
    kinds = list(case.events.values_list("kind", "visible_to_citizen"))
    assert kinds == [("note", False), ("message", True), ("document_request", True)]
    assert case.events.get(kind="message").attachments.get().original_name == "bescheid.pdf"
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING
    page = staff_client.get(_case_url(case)).content.decode()
    assert "Intern." in page and "bescheid.pdf" in page and "Foto" in page


def test_an_attachment_of_the_wrong_kind_is_refused_by_the_form(staff_client, service):
    case = CaseFactory.for_service(service)
    upload = SimpleUploadedFile("x.html", b"<html></html>", content_type="text/html")
    response = staff_client.post(
        _case_url(case), {"action": "message", "message-text": "Hi", "message-files": [upload]}
    )
    assert response.status_code == 400 and 'href="#id_message-files"' in response.content.decode()
    assert not case.events.exists()


def test_an_empty_note_shows_the_error_summary(staff_client, service):
    case = CaseFactory.for_service(service)
    response = staff_client.post(_case_url(case), {"action": "note", "note-text": ""})
    assert response.status_code == 400 and 'href="#id_note-text"' in response.content.decode()


def test_an_unknown_action_is_a_404(staff_client, service):
    assert staff_client.post(_case_url(CaseFactory.for_service(service)), {"action": "delete"}).status_code == 404


# --- files ---------------------------------------------------------------------------


@pytest.fixture
def stored_file(settings, service):
    case = CaseFactory.for_service(service)
    path = settings.PRIVATE_MEDIA_ROOT / "ab" / "cd" / "random-name"
    path.parent.mkdir(parents=True)
    path.write_bytes(PDF)
    return StoredFile.objects.create(
        submission=case.submission,
        original_name="Personalausweis.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        storage_name="ab/cd/random-name",
    )


def test_staff_download_a_file_as_an_attachment_and_it_is_audited(staff_client, staff, stored_file):
    case = stored_file.submission.case
    response = staff_client.get(f"{_case_url(case)}dateien/{stored_file.uuid}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Personalausweis.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    entry = AuditEntry.objects.get(action=AuditAction.DOWNLOAD_FILE)
    assert entry.actor == staff and entry.case_uuid == case.uuid and "Personalausweis.pdf" in entry.detail


def test_a_file_of_another_case_is_not_served_through_this_case(staff_client, service, stored_file):
    other = CaseFactory.for_service(service)
    response = staff_client.get(f"{_case_url(other)}dateien/{stored_file.uuid}/")
    assert response.status_code == 404
    assert not AuditEntry.objects.filter(action=AuditAction.DOWNLOAD_FILE).exists()


def test_a_file_attached_to_a_message_belongs_to_the_case(staff_client, service, stored_file):
    case = CaseFactory.for_service(service)
    StoredFile.objects.filter(pk=stored_file.pk).update(submission=None)
    event = CaseEvent.objects.create(case=case, kind=EventKind.MESSAGE, text="x", visible_to_citizen=True)
    event.attachments.add(stored_file)
    assert staff_client.get(f"{_case_url(case)}dateien/{stored_file.uuid}/").status_code == 200


def test_a_file_missing_from_disk_is_a_404(staff_client, stored_file, settings):
    (settings.PRIVATE_MEDIA_ROOT / stored_file.storage_name).unlink()
    case = stored_file.submission.case
    assert staff_client.get(f"{_case_url(case)}dateien/{stored_file.uuid}/").status_code == 404


# --- the audit log ----------------------------------------------------------------------


@pytest.fixture
def lead(department):
    user = StaffFactory(username="leitung", departments=[department])
    user.user_permissions.add(Permission.objects.get(codename="view_auditentry", content_type__app_label="cases"))
    return user


def test_the_audit_log_needs_the_view_auditentry_permission(staff_client, service):
    case = CaseFactory.for_service(service)
    assert staff_client.get(f"{_case_url(case)}protokoll/").status_code == 403
    assert staff_client.get(f"{_case_url(case)}protokoll.csv").status_code == 403
    assert "protokoll" not in staff_client.get(_case_url(case)).content.decode()


def test_department_leads_see_the_audit_log_of_a_case(client, lead, staff, service):
    case = CaseFactory.for_service(service)
    client.force_login(staff)
    client.get(_case_url(case))
    client.force_login(lead)
    assert "protokoll/" in client.get(_case_url(case)).content.decode()
    response = client.get(f"{_case_url(case)}protokoll/")
    assert response.status_code == 200
    labels = [entry.actor_label for entry in response.context["page"].object_list]
    assert labels == ["leitung", "anna"]


def test_the_audit_csv_export_is_itself_audited_and_safe_for_spreadsheets(client, lead, service):
    case = CaseFactory.for_service(service)
    AuditEntry.objects.create(
        actor_label="system", action=AuditAction.DOWNLOAD_FILE, case_uuid=case.uuid, detail="=HYPERLINK(1)"
    )
    client.force_login(lead)
    response = client.get(f"{_case_url(case)}protokoll.csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="protokoll-{case.reference}.csv"'
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3  # header, the export itself, the download
    assert rows[2][3] == "'=HYPERLINK(1)"
    assert AuditEntry.objects.filter(case_uuid=case.uuid, action=AuditAction.EXPORT_AUDIT, actor=lead).exists()
