"""The checklist on the staff side, with the death pre-notice as the pilot: the case page's ticks and the two
decisions (audited), the inbox line, the share of cases without an appointment in the statistics and on the
department lead's figures page, and a department's staff seeing only their own cases."""

import datetime

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amtsweg.applications.models import Submission
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.cases.constants import AuditAction, CaseStatus, EventKind
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import AuditEntry, Case, ChecklistTick, ProcessingRule
from amtsweg.cases.retention import retention_run
from amtsweg.cases.services import case_checklist_tick, case_transition
from amtsweg.catalogue.models import Department
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.models import Notification
from amtsweg.statistics.models import CaseRecord
from tests.accounts.factories import StaffFactory
from tests.applications.conftest import STERBEFALL_BASE, fill_sterbefall
from tests.cases.factories import CaseFactory

PDF = b"%PDF-1.7\n" + b"\x00" * 100
MARRIED = ["death_certificate", "birth_certificate", "marriage_certificate", "residence_proof"]


@pytest.fixture
def standesamt(forms):
    appointments_load_seed()
    return Department.objects.get(slug="standesamt")


@pytest.fixture
def clerk(standesamt):
    return StaffFactory(username="clara", departments=[standesamt])


@pytest.fixture
def outsider(standesamt):
    """Staff of the Bürgerbüro, with every permission: only the department differs."""
    user = StaffFactory(username="otto", departments=[Department.objects.get(slug="buergerbuero")])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="cases"))
    return user


def death_notice(client, *, uploads=(), **answers) -> Case:  # type: ignore[no-untyped-def]
    """A death pre-notice sent through the form, with these documents uploaded on its documents page."""
    fill_sterbefall(client, **answers)
    files = {key: SimpleUploadedFile(f"{key}.pdf", PDF, content_type="application/pdf") for key in uploads}
    client.post(f"{STERBEFALL_BASE}unterlagen/", files)
    assert client.post(f"{STERBEFALL_BASE}pruefen/", {"declaration": "yes"}).status_code == 302
    client.logout()
    return Submission.objects.order_by("-pk").first().case


def case_url(case: Case) -> str:
    return f"/intern/faelle/{case.uuid}/"


# --- the case page -----------------------------------------------------------------------------------------


def test_the_case_page_lists_the_checklist_with_uploads_shown_and_ticked(client, clerk):
    case = death_notice(client, uploads=MARRIED[:2], relationship="present")
    client.force_login(clerk)

    page = client.get(case_url(case)).content.decode()

    assert "2 von 4 Unterlagen liegen vor." in page
    assert 'value="death_certificate" id="id_checklist-death_certificate" checked' in page
    assert 'value="marriage_certificate" id="id_checklist-marriage_certificate">' in page
    assert "birth_certificate.pdf" in page and f"/intern/faelle/{case.uuid}/dateien/" in page
    assert "Ergebnis des Antrags:</strong> Termin." in page
    assert "Vollständig: kein Termin nötig" in page and "Termin nötig" in page


def test_ticks_and_unticks_are_saved_and_each_change_is_audited(client, clerk):
    case = death_notice(client, uploads=MARRIED[:2], relationship="present")
    client.force_login(clerk)

    response = client.post(
        case_url(case),
        {"action": "checklist", "checklist-received": ["death_certificate", "marriage_certificate", "residence_proof"]},
    )

    assert response.status_code == 303
    ticks = dict(ChecklistTick.objects.filter(case=case).values_list("document", "received"))
    # The uploaded birth certificate was unticked (say, an unreadable scan); two more came in on paper.
    assert ticks == {"birth_certificate": False, "marriage_certificate": True, "residence_proof": True}
    details = sorted(AuditEntry.objects.filter(action=AuditAction.CHECKLIST_TICK).values_list("actor_label", "detail"))
    assert details == [
        ("clara", "birth_certificate: not received"),
        ("clara", "marriage_certificate: received"),
        ("clara", "residence_proof: received"),
    ]
    case.refresh_from_db()
    assert (case.checklist_total, case.checklist_received) == (4, 3)

    again = client.post(case_url(case), {"action": "checklist", "checklist-received": ["death_certificate"]})
    assert again.status_code == 303
    assert AuditEntry.objects.filter(action=AuditAction.CHECKLIST_TICK).count() == 5


def test_a_document_key_the_checklist_does_not_have_is_refused(client, clerk):
    case = death_notice(client, relationship="present", family_status="single")
    client.force_login(clerk)

    response = client.post(case_url(case), {"action": "checklist", "checklist-received": ["marriage_certificate"]})

    assert response.status_code == 400
    assert not ChecklistTick.objects.exists()


def test_complete_tells_the_citizen_that_no_appointment_is_needed(client, clerk):
    case = death_notice(client, uploads=MARRIED[:3], relationship="undertaker")
    submission = case.submission
    client.force_login(clerk)

    response = client.post(case_url(case), {"action": "decision", "decision-decision": "complete"})

    assert response.status_code == 303
    case.refresh_from_db()
    assert case.checklist_decision == "complete" and case.checklist_decided_at is not None
    event = case.events.get(kind=EventKind.CHECKLIST_DECISION)
    assert event.visible_to_citizen and "Sie brauchen keinen Termin" in event.text
    assert Notification.objects.filter(event=event, kind=NotificationKind.CASE_MESSAGE).exists()
    [audit] = AuditEntry.objects.filter(action=AuditAction.CHECKLIST_DECISION)
    assert (audit.actor_label, audit.detail) == ("clara", "complete")
    client.logout()
    status = _status_page(client, submission)
    assert "Sie brauchen keinen Termin" in status and "?vorgang=" not in status


def test_needs_an_appointment_offers_the_citizen_the_booking_link(client, clerk):
    case = death_notice(client, uploads=MARRIED, relationship="undertaker")
    assert case.submission.outcome["kind"] == "no_appointment"
    client.force_login(clerk)

    client.post(case_url(case), {"action": "decision", "decision-decision": "appointment"})

    client.logout()
    status = _status_page(client, case.submission)
    assert "/termin/standesamt/sterbefall-voranzeige/?vorgang=" in status
    assert "Bitte buchen Sie einen Termin und bringen Sie die Unterlagen mit" in status
    assert "Ihr nächster Schritt" in status  # the history's headline of the decision


def test_the_same_decision_twice_is_refused(client, clerk):
    case = death_notice(client, relationship="present")
    client.force_login(clerk)
    client.post(case_url(case), {"action": "decision", "decision-decision": "appointment"})

    response = client.post(case_url(case), {"action": "decision", "decision-decision": "appointment"})

    assert response.status_code == 400
    assert case.events.filter(kind=EventKind.CHECKLIST_DECISION).count() == 1


def test_a_closed_case_takes_no_ticks(client, clerk):
    case = death_notice(client, relationship="present")
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.COMPLETED, closed_at=timezone.now())
    client.force_login(clerk)

    assert "Checkliste speichern" not in client.get(case_url(case)).content.decode()
    with pytest.raises(CaseError):
        case_checklist_tick(case=case, actor=clerk, received=["death_certificate"])
    assert not ChecklistTick.objects.exists()


def _status_page(client, submission: Submission) -> str:  # type: ignore[no-untyped-def]
    from amtsweg.applications.status_links import status_url

    return client.get(status_url(submission), follow=True).content.decode()


# --- another department ------------------------------------------------------------------------------------


def test_staff_of_another_department_can_neither_see_nor_change_the_checklist(client, clerk, outsider):
    case = death_notice(client, relationship="present")
    client.force_login(outsider)

    assert client.get(case_url(case)).status_code == 404
    tick = {"action": "checklist", "checklist-received": ["death_certificate"]}
    assert client.post(case_url(case), tick).status_code == 404
    assert client.post(case_url(case), {"action": "decision", "decision-decision": "complete"}).status_code == 404
    assert case.reference not in client.get("/intern/").content.decode()
    assert not ChecklistTick.objects.exists()
    case.refresh_from_db()
    assert case.checklist_decision == ""


# --- the inbox ----------------------------------------------------------------------------------------


def test_the_inbox_row_shows_how_many_documents_are_in_and_the_decision(client, clerk):
    case = death_notice(client, uploads=MARRIED[:3], relationship="present")
    other = CaseFactory()  # a form without a checklist has no line
    client.force_login(clerk)

    page = client.get("/intern/").content.decode()
    assert "3 von 4 Unterlagen</span>" in page
    assert page.count("data-inbox-line") == 1 and other.reference not in page

    client.post(case_url(case), {"action": "decision", "decision-decision": "complete"})
    assert "3 von 4 Unterlagen, kein Termin nötig" in client.get("/intern/").content.decode()


# --- the measurement --------------------------------------------------------------------------------------


def _close(case: Case, actor) -> Case:  # type: ignore[no-untyped-def]
    case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)
    return case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=actor)


def test_a_closing_case_writes_whether_it_ended_without_an_appointment(client, clerk):
    undertaker = death_notice(client, uploads=MARRIED, relationship="undertaker")
    relative = death_notice(client, relationship="present", family_status="single")
    decided = death_notice(client, relationship="present", family_status="single")
    client.force_login(clerk)
    client.post(case_url(decided), {"action": "decision", "decision-decision": "complete"})
    plain = CaseFactory()  # a form without a checklist

    for case in (undertaker, relative, decided, plain):
        closed = _close(Case.objects.get(pk=case.pk), clerk if case is not plain else None)
        assert closed.statistics_record is not None

    def record(case: Case) -> CaseRecord:
        return CaseRecord.objects.get(pk=Case.objects.get(pk=case.pk).statistics_record_id)

    assert [record(case).without_appointment for case in (undertaker, relative, decided, plain)] == [
        True,
        False,
        True,
        None,
    ]
    assert set(CaseRecord.objects.values_list("final_status", flat=True)) == {CaseStatus.COMPLETED}


def test_retention_keeps_the_record_written_at_closing_and_writes_no_second_one(client, clerk):
    case = _close(death_notice(client, uploads=MARRIED, relationship="undertaker"), clerk)
    ProcessingRule.objects.filter(service=case.service).update(retention_days=1)

    assert retention_run(now=timezone.now() + datetime.timedelta(days=2)).cases_deleted == 1

    [record] = CaseRecord.objects.all()
    assert record.without_appointment is True and record.service_id == case.service_id
    assert not Case.objects.filter(pk=case.pk).exists()


def test_the_department_lead_sees_the_share_without_an_appointment_per_service(client, clerk, outsider):
    for uploads, relationship in ((MARRIED, "undertaker"), ((), "present"), (MARRIED, "undertaker")):
        _close(death_notice(client, uploads=uploads, relationship=relationship), clerk)
    lead = StaffFactory(username="leitung-sta", departments=[clerk.departments.get()])
    lead.user_permissions.add(Permission.objects.get(codename="view_figures", content_type__app_label="statistics"))
    client.force_login(lead)

    page = client.get("/intern/kennzahlen/").content.decode()

    assert "Sterbefall vorab anzeigen" in page
    row = page[page.index("Sterbefall vorab anzeigen") :]
    cells = [cell.split("</td>")[0] for cell in row.split('kern-table__cell--numeric">')[1:4]]
    assert cells == ["3", "2", "67 %"]
    assert 'href="/intern/statistik/"' in page  # in the menu of whoever may see it

    client.force_login(outsider)  # another department's lead: none of the Standesamt's figures
    assert "Sterbefall vorab anzeigen" not in client.get("/intern/kennzahlen/").content.decode()
    client.force_login(clerk)  # a case worker without the lead's permission
    assert client.get("/intern/kennzahlen/").status_code == 403
    assert 'href="/intern/statistik/"' not in client.get("/intern/").content.decode()
