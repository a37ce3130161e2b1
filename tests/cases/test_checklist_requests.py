"""Staff of the Standesamt ask the citizen for a missing document of the checklist (uploaded on the status page),
and "complete: no appointment needed" cancels an appointment the citizen has booked for the case."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.models import Appointment
from amtsweg.cases.constants import AuditAction, CaseStatus, EventKind
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import AuditEntry, Case, DocumentRequest
from amtsweg.cases.services import case_checklist_request, case_transition
from amtsweg.catalogue.models import Location
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.models import Notification
from tests.cases.test_checklist import MARRIED, PDF, _status_page, case_url, clerk, death_notice, outsider, standesamt

__all__ = ["clerk", "outsider", "standesamt"]  # the fixtures


def _in_progress(case: Case, actor) -> Case:  # type: ignore[no-untyped-def]
    return case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)


# --- asking for a missing document -------------------------------------------------------------------------


def test_the_case_page_offers_only_the_documents_that_are_not_in(client, clerk):
    case = death_notice(client, uploads=MARRIED[:2], relationship="present")
    client.force_login(clerk)

    page = client.get(case_url(case)).content.decode()

    assert 'id="form-request"' in page
    assert 'name="request-documents" value="marriage_certificate"' in page
    assert 'name="request-documents" value="residence_proof"' in page
    assert 'name="request-documents" value="death_certificate"' not in page  # uploaded


def test_asking_for_a_document_names_it_and_how_to_send_it_and_the_case_waits(client, clerk):
    case = death_notice(client, uploads=MARRIED[:2], relationship="present")
    _in_progress(case, clerk)
    client.force_login(clerk)

    response = client.post(
        case_url(case),
        {"action": "request", "request-documents": ["marriage_certificate"], "request-note": "Gern als Scan."},
    )

    assert response.status_code == 303
    [request] = DocumentRequest.objects.filter(case=case)
    assert request.documents == ["marriage_certificate"]
    assert "Eheurkunde der letzten Ehe: laden Sie sie auf der Statusseite" in request.text
    assert "(Original)" in request.text and request.text.endswith("Gern als Scan.")
    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING
    event = case.events.get(kind=EventKind.DOCUMENT_REQUEST)
    assert Notification.objects.filter(event=event, kind=NotificationKind.CASE_DOCUMENTS_REQUESTED).exists()
    [audit] = AuditEntry.objects.filter(action=AuditAction.REQUEST_DOCUMENTS)
    assert (audit.actor_label, audit.detail) == ("clara", "marriage_certificate")


def test_the_citizen_sees_the_request_and_its_upload_ends_the_wait(client, clerk):
    case = death_notice(client, uploads=MARRIED[:2], relationship="present")
    _in_progress(case, clerk)
    case_checklist_request(case=case, actor=clerk, documents=["marriage_certificate"])

    status = _status_page(client, case.submission)
    assert "Wir brauchen etwas von Ihnen" in status
    assert "Vom Amt angefordert" in status and 'href="#checklist-heading"' in status

    upload = SimpleUploadedFile("ehe.pdf", PDF, content_type="application/pdf")
    response = client.post(
        f"/status/{case.submission.uuid}/unterlagen/marriage_certificate/", {"marriage_certificate": upload}
    )

    assert response.status_code in (302, 303)
    request = DocumentRequest.objects.get(case=case)
    assert request.fulfilled_at is not None
    assert [f.original_name for f in request.files.all()] == ["ehe.pdf"]
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and case.checklist_received == 3
    upload_event = case.events.filter(kind=EventKind.CITIZEN_UPLOAD).latest("pk")
    assert (upload_event.from_status, upload_event.to_status) == (CaseStatus.WAITING, CaseStatus.IN_PROGRESS)
    assert "Wir brauchen etwas von Ihnen" not in _status_page(client, case.submission)


def test_a_request_for_two_documents_waits_for_both(client, clerk):
    case = death_notice(client, uploads=MARRIED[:2], relationship="present")
    _in_progress(case, clerk)
    case_checklist_request(case=case, actor=clerk, documents=["marriage_certificate", "residence_proof"])
    _status_page(client, case.submission)

    upload = SimpleUploadedFile("ehe.pdf", PDF, content_type="application/pdf")
    client.post(f"/status/{case.submission.uuid}/unterlagen/marriage_certificate/", {"marriage_certificate": upload})

    case.refresh_from_db()
    assert case.status == CaseStatus.WAITING
    assert DocumentRequest.objects.get(case=case).fulfilled_at is None


def test_a_document_ticked_on_paper_fulfils_the_request_too(client, clerk):
    case = death_notice(client, uploads=MARRIED[:2], relationship="present")
    _in_progress(case, clerk)
    case_checklist_request(case=case, actor=clerk, documents=["residence_proof"])
    client.force_login(clerk)

    client.post(
        case_url(case),
        {"action": "checklist", "checklist-received": [*MARRIED[:2], "residence_proof"]},
    )

    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert DocumentRequest.objects.get(case=case).fulfilled_at is not None


def test_a_request_in_english_for_a_citizen_who_wrote_in_english(client, clerk):
    client.cookies["django_language"] = "en"
    case = death_notice(client, uploads=MARRIED[:2], relationship="present")
    case.submission.language = "en"
    case.submission.save(update_fields=["language"])

    request = case_checklist_request(case=case, actor=clerk, documents=["residence_proof"])

    assert request.text.startswith("Please send us these documents:")
    assert "Proof of the last address" in request.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Wählen Sie die Unterlagen aus"),
        ({"request-documents": ["death_certificate"]}, "ist keine gültige Auswahl"),  # already in
        ({"request-documents": ["no_such_document"]}, "ist keine gültige Auswahl"),
    ],
)
def test_bad_requests_are_refused_with_a_message(client, clerk, data, message):
    case = death_notice(client, uploads=MARRIED[:2], relationship="present")
    client.force_login(clerk)

    response = client.post(case_url(case), {"action": "request", **data})

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not DocumentRequest.objects.exists()


def test_the_service_refuses_documents_that_are_in_and_a_closed_case(client, clerk):
    case = death_notice(client, uploads=MARRIED[:2], relationship="present")
    with pytest.raises(CaseError):
        case_checklist_request(case=case, actor=clerk, documents=["death_certificate"])
    with pytest.raises(CaseError):
        case_checklist_request(case=case, actor=clerk, documents=[])
    Case.objects.filter(pk=case.pk).update(status=CaseStatus.COMPLETED, closed_at=timezone.now())
    with pytest.raises(CaseError):
        case_checklist_request(case=case, actor=clerk, documents=["residence_proof"])
    assert not DocumentRequest.objects.exists()


def test_staff_of_another_department_cannot_ask(client, clerk, outsider):
    case = death_notice(client, relationship="present")
    client.force_login(outsider)

    response = client.post(case_url(case), {"action": "request", "request-documents": ["residence_proof"]})

    assert response.status_code in (403, 404)
    assert not DocumentRequest.objects.exists()


# --- the appointment that is no longer needed --------------------------------------------------------------


def _booked(case: Case, *, days: int, status: str = AppointmentStatus.CONFIRMED) -> Appointment:
    start = timezone.now() + datetime.timedelta(days=days)
    return Appointment.objects.create(
        booking_code=f"B{days:+d}{status[:3]}".upper(),
        location=Location.objects.get(slug="standesamt"),
        service=case.service,
        starts_at=start,
        ends_at=start + datetime.timedelta(minutes=30),
        counter=0,
        status=status,
        name="Erika",
        email="erika@example.org",
        case=case,
    )


def test_complete_cancels_the_booked_appointment_and_tells_the_citizen(client, clerk):
    case = death_notice(client, uploads=MARRIED, relationship="present")
    coming = _booked(case, days=3)
    past = _booked(case, days=-1, status=AppointmentStatus.CHECKED_IN)
    client.force_login(clerk)
    assert "sagt auch einen Termin ab" in client.get(case_url(case)).content.decode()

    response = client.post(case_url(case), {"action": "decision", "decision-decision": "complete"})

    assert response.status_code == 303
    coming.refresh_from_db()
    past.refresh_from_db()
    assert coming.status == AppointmentStatus.CANCELLED and coming.cancelled_by == clerk
    assert past.status == AppointmentStatus.CHECKED_IN  # already at the counter: not touched
    event = case.events.get(kind=EventKind.CHECKLIST_DECISION)
    assert "Sie brauchen keinen Termin" in event.text
    assert f"(Buchungsnummer {coming.booking_code}), ist abgesagt" in event.text
    client.logout()
    status = _status_page(client, case.submission)
    assert "ist abgesagt: Er wird nicht mehr gebraucht." in status
    assert "<strong>Abgebrochen</strong>" in status  # the appointment's state on the status page


def test_needs_an_appointment_keeps_the_booked_one(client, clerk):
    case = death_notice(client, uploads=MARRIED, relationship="undertaker")
    coming = _booked(case, days=3)

    client.force_login(clerk)
    client.post(case_url(case), {"action": "decision", "decision-decision": "appointment"})

    coming.refresh_from_db()
    assert coming.status == AppointmentStatus.CONFIRMED
    assert "abgesagt" not in case.events.get(kind=EventKind.CHECKLIST_DECISION).text
