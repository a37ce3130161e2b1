import datetime
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from amtsweg.applications.models import Draft, StoredFile, Submission
from amtsweg.cases.constants import AuditAction, CaseStatus, EventKind
from amtsweg.cases.models import AuditEntry, Case, CaseEvent, DocumentRequest, ProcessingRule
from amtsweg.cases.retention import drafts_cleanup, retention_run
from amtsweg.documents.storage import private_file_path, private_file_write
from amtsweg.notifications.models import Notification
from amtsweg.statistics.models import CaseRecord
from tests.applications.factories import FormVersionFactory
from tests.cases.factories import CaseFactory

NOW = timezone.now()


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    return settings.PRIVATE_MEDIA_ROOT


def _file(**owner) -> StoredFile:  # type: ignore[no-untyped-def]
    return StoredFile.objects.create(
        original_name="meldebescheinigung.pdf",
        content_type="application/pdf",
        size=9,
        sha256="0" * 64,
        storage_name=private_file_write(data=b"%PDF-1.7\n", suffix=""),
        **owner,
    )


def _closed_case(*, days_ago: int, status=CaseStatus.COMPLETED, retention_days: int | None = 30) -> Case:  # type: ignore[no-untyped-def]
    case = CaseFactory(status=status, closed_at=NOW - datetime.timedelta(days=days_ago))
    if retention_days is not None:
        ProcessingRule.objects.create(
            service=case.service, valid_from=datetime.date(2020, 1, 1), retention_days=retention_days
        )
    return case


def _with_personal_data(case: Case) -> list[Path]:
    """Upload, staff attachment, requested document and summary PDF, as a real case collects them."""
    submission = case.submission
    upload = _file(submission=submission)
    staff_attachment = _file()
    event = CaseEvent.objects.create(case=case, kind=EventKind.MESSAGE, text="Ihre Bescheinigung")
    event.attachments.add(staff_attachment)
    requested = _file()
    request = DocumentRequest.objects.create(case=case, text="Mietvertrag")
    request.files.add(requested)
    submission.summary_pdf = private_file_write(data=b"%PDF-1.7\n", suffix=".pdf")
    submission.save(update_fields=["summary_pdf"])
    Notification.objects.create(
        case=case, submission=submission, occasion=f"x:{case.uuid}", kind="case_message", to=submission.email
    )
    paths = [private_file_path(f.storage_name) for f in (upload, staff_attachment, requested)]
    return [*paths, private_file_path(submission.summary_pdf)]


@pytest.mark.django_db
def test_case_past_its_retention_loses_its_personal_data_and_files_but_keeps_counts_and_audit(
    django_capture_on_commit_callbacks,
):
    case = _closed_case(days_ago=31, retention_days=30)
    submission = case.submission
    paths = _with_personal_data(case)
    assert all(p.is_file() for p in paths)

    with django_capture_on_commit_callbacks(execute=True):
        result = retention_run(now=NOW)

    assert result.cases_deleted == 1
    assert not Submission.objects.filter(pk=submission.pk).exists()
    assert not Case.objects.filter(pk=case.pk).exists()
    assert not CaseEvent.objects.exists()
    assert not DocumentRequest.objects.exists()
    assert not StoredFile.objects.exists()
    assert not Notification.objects.exists()
    assert not any(p.exists() for p in paths)
    [record] = CaseRecord.objects.all()
    assert (record.service_id, record.department_id) == (case.service_id, case.department_id)
    assert record.channel == submission.channel
    assert record.submitted_on == timezone.localdate(submission.submitted_at)
    assert record.closed_on == timezone.localdate(case.closed_at)
    assert record.final_status == CaseStatus.COMPLETED
    [audit] = AuditEntry.objects.filter(action=AuditAction.RETENTION_DELETE)
    assert audit.case_reference == case.reference
    assert audit.actor is None
    for personal in ("Erika", "Mustermann", "example.org"):
        assert personal not in audit.detail + audit.actor_label


@pytest.mark.django_db
def test_case_still_within_its_retention_is_kept():
    case = _closed_case(days_ago=29, retention_days=30)

    result = retention_run(now=NOW)

    assert result.cases_deleted == 0
    assert Case.objects.filter(pk=case.pk).exists()
    assert not CaseRecord.objects.exists()
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db
def test_open_cases_are_never_deleted_however_old():
    case = CaseFactory(status=CaseStatus.IN_PROGRESS)
    Submission.objects.filter(pk=case.submission_id).update(submitted_at=NOW - datetime.timedelta(days=3000))
    ProcessingRule.objects.create(service=case.service, valid_from=datetime.date(2020, 1, 1), retention_days=1)

    assert retention_run(now=NOW).cases_deleted == 0
    assert Case.objects.filter(pk=case.pk).exists()


@pytest.mark.django_db
def test_the_rule_in_force_on_the_closing_day_decides_not_a_later_one():
    closed_days_ago = 40
    closing_day = timezone.localdate(NOW - datetime.timedelta(days=closed_days_ago))
    short_then = _closed_case(days_ago=closed_days_ago, retention_days=30)
    ProcessingRule.objects.create(
        service=short_then.service, valid_from=closing_day + datetime.timedelta(days=1), retention_days=365
    )
    long_then = _closed_case(days_ago=closed_days_ago, retention_days=365)
    ProcessingRule.objects.create(
        service=long_then.service, valid_from=closing_day + datetime.timedelta(days=1), retention_days=30
    )

    assert retention_run(now=NOW).cases_deleted == 1

    assert not Case.objects.filter(pk=short_then.pk).exists()
    assert Case.objects.filter(pk=long_then.pk).exists()


@pytest.mark.django_db
def test_without_a_rule_the_default_of_180_days_applies():
    kept = _closed_case(days_ago=179, retention_days=None)
    deleted = _closed_case(days_ago=181, status=CaseStatus.REJECTED, retention_days=None)

    assert retention_run(now=NOW).cases_deleted == 1

    assert Case.objects.filter(pk=kept.pk).exists()
    assert not Case.objects.filter(pk=deleted.pk).exists()
    assert CaseRecord.objects.get().final_status == CaseStatus.REJECTED


@pytest.mark.django_db
def test_counts_of_several_deleted_cases_add_up_per_service():
    first = _closed_case(days_ago=31)
    CaseFactory(
        submission__form_version=first.submission.form_version, status=CaseStatus.WITHDRAWN, closed_at=first.closed_at
    )

    assert retention_run(now=NOW).cases_deleted == 2

    assert CaseRecord.objects.filter(service=first.service).count() == 2
    assert AuditEntry.objects.filter(action=AuditAction.RETENTION_DELETE).count() == 2


def _draft(*, days_untouched: int) -> tuple[Draft, Path]:
    version = FormVersionFactory()
    draft = Draft.objects.create(service=version.service, form_version=version, answers={"name": "Erika"})
    upload = _file(draft=draft)
    Draft.objects.filter(pk=draft.pk).update(updated_at=NOW - datetime.timedelta(days=days_untouched))
    return draft, private_file_path(upload.storage_name)


@pytest.mark.django_db
def test_drafts_untouched_longer_than_the_limit_go_with_their_uploads_newer_ones_stay(
    settings, django_capture_on_commit_callbacks
):
    settings.DRAFT_RETENTION_DAYS = 30
    old, old_file = _draft(days_untouched=31)
    recent, recent_file = _draft(days_untouched=29)

    with django_capture_on_commit_callbacks(execute=True):
        deleted = drafts_cleanup(now=NOW)

    assert deleted == 1
    assert not Draft.objects.filter(pk=old.pk).exists()
    assert not old_file.exists()
    assert Draft.objects.filter(pk=recent.pk).exists()
    assert recent_file.is_file()
    assert StoredFile.objects.filter(draft=recent).count() == 1


@pytest.mark.django_db
def test_draft_cleanup_works_through_more_drafts_than_one_batch(settings):
    settings.DRAFT_RETENTION_DAYS = 30
    for _ in range(5):
        _draft(days_untouched=60)

    assert drafts_cleanup(now=NOW, batch_size=2) == 5
    assert not Draft.objects.exists()


@pytest.mark.django_db
def test_run_retention_command_reports_what_it_deleted():
    _closed_case(days_ago=31)
    _closed_case(days_ago=31)

    call_command("run_retention", "--dry-run", stdout=(dry := _Output()))
    assert "2 cases are due" in dry.text
    assert Case.objects.count() == 2

    call_command("run_retention", stdout=(out := _Output()))
    assert "Deleted 2 cases and 0 drafts." in out.text
    assert Case.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_run_scheduled_queues_retention_for_the_worker():
    case = _closed_case(days_ago=31)

    call_command("run_scheduled", stdout=(out := _Output()))
    assert "queued retention_run_task" in out.text
    assert Case.objects.filter(pk=case.pk).exists()

    Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    ).run()

    assert not Case.objects.filter(pk=case.pk).exists()
    results = {result.task_path.rsplit(".", 1)[-1]: result for result in DBTaskResult.objects.all()}
    assert {name: result.status for name, result in results.items()} == {
        "retention_run_task": "SUCCESSFUL",
        "payment_reconcile_task": "SUCCESSFUL",
        "appointments_housekeeping_task": "SUCCESSFUL",
        "feedback_housekeeping_task": "SUCCESSFUL",
        "residents_housekeeping_task": "SUCCESSFUL",
        "documents_housekeeping_task": "SUCCESSFUL",
        "vehicles_sweep_task": "SUCCESSFUL",  # nothing to send: no registry is asked
    }
    assert results["retention_run_task"].return_value == {
        "cases_deleted": 1,
        "cases_failed": 0,
        "drafts_deleted": 0,
        "lapsed_deleted": 0,
    }


@pytest.mark.django_db
def test_run_scheduled_prunes_task_results_older_than_two_weeks():
    DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="x.y",
        backend_name="default",
        run_after=NOW,
        finished_at=NOW - datetime.timedelta(days=15),
    )
    recent = DBTaskResult.objects.create(
        status="SUCCESSFUL",
        args_kwargs={"args": [], "kwargs": {}},
        task_path="x.y",
        backend_name="default",
        run_after=NOW,
        finished_at=NOW - datetime.timedelta(days=13),
    )

    call_command("run_scheduled", "--now", stdout=_Output())

    assert list(DBTaskResult.objects.all()) == [recent]


@pytest.mark.django_db
def test_run_scheduled_now_runs_the_jobs_in_process():
    _closed_case(days_ago=31)

    call_command("run_scheduled", "--now", stdout=(out := _Output()))

    assert "1 cases deleted" in out.text
    assert not Case.objects.exists()


class _Output:
    def __init__(self) -> None:
        self.text = ""

    def write(self, s: str) -> None:
        self.text += s

    def flush(self) -> None:
        pass


@pytest.mark.django_db
@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_expired_sessions_with_identity_data_are_deleted_live_ones_stay(settings, engine):
    from importlib import import_module

    from django.contrib.sessions.models import Session

    settings.SESSION_ENGINE = engine
    store = import_module(engine).SessionStore
    expired, live = store(), store()
    expired["citizen"] = {"given_names": "Erika", "family_name": "Mustermann"}
    live["citizen"] = {"given_names": "Max", "family_name": "Mustermann"}
    expired.save()
    live.save()
    Session.objects.filter(session_key=expired.session_key).update(expire_date=NOW - datetime.timedelta(minutes=1))

    retention_run()

    assert not Session.objects.filter(session_key=expired.session_key).exists()
    assert Session.objects.filter(session_key=live.session_key).exists()
    assert store(session_key=live.session_key).load()["citizen"]["given_names"] == "Max"
