"""The checklist on the citizen's side, with the death pre-notice as the pilot: the documents page before the
check page, the outcome stored with the submission, the confirmation page, the summary PDF and email, and the
status page where the documents still open are uploaded (formengine.checklist)."""

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from amtsweg.applications.models import StoredFile, Submission
from amtsweg.applications.selectors import submission_checklist
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.cases.constants import AuditAction, CaseStatus, EventKind
from amtsweg.cases.models import AuditEntry, ChecklistTick
from amtsweg.documents.pdf import submission_summary_pdf
from tests.documents.pdftext import pdf_text

from .conftest import STERBEFALL_BASE, fill_sterbefall

PDF = b"%PDF-1.7\n" + b"\x00" * 100
MARRIED = ["death_certificate", "birth_certificate", "marriage_certificate", "residence_proof"]


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture
def bookable(forms):
    """The Standesamt takes online bookings for the death's registration, as `make run` sets it up."""
    appointments_load_seed()


def pdf(name: str = "scan.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def upload_on_documents_page(client, keys) -> object:  # type: ignore[no-untyped-def]
    return client.post(f"{STERBEFALL_BASE}unterlagen/", {key: pdf(f"{key}.pdf") for key in keys})


def send(client) -> Submission:  # type: ignore[no-untyped-def]
    response = client.post(f"{STERBEFALL_BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302, response.content.decode()[:2000]
    return Submission.objects.get()


# --- the documents page -------------------------------------------------------------------------------


def test_after_the_last_step_the_documents_page_comes_before_the_check_page(client, forms):
    fill_sterbefall(client, family_status="divorced")

    response = client.get(f"{STERBEFALL_BASE}pruefen/")
    assert response.status_code == 302 and response["Location"] == f"{STERBEFALL_BASE}unterlagen/"
    page = client.get(f"{STERBEFALL_BASE}unterlagen/").content.decode()
    for title in ("Todesbescheinigung", "Eheurkunde der letzten Ehe", "Scheidungs- oder Aufhebungsurteil"):
        assert title in page
    assert "Sterbeurkunde der Ehegattin" not in page  # not for a divorced person
    assert "Beglaubigte Kopie" in page and 'enctype="multipart/form-data"' in page
    assert 'name="dissolution_decree"' in page and "PDF, JPG oder PNG, höchstens 10 MB" in page


def test_continuing_without_uploads_leads_to_the_check_page_which_lists_what_to_bring(client, forms):
    fill_sterbefall(client, relationship="present")

    response = client.post(f"{STERBEFALL_BASE}unterlagen/", {})
    assert response.status_code == 302 and response["Location"] == f"{STERBEFALL_BASE}pruefen/"
    page = client.get(f"{STERBEFALL_BASE}pruefen/").content.decode()
    assert page.count("Mitbringen: Original") == 4
    assert f'href="{STERBEFALL_BASE}unterlagen/#id_death_certificate"' in page


def test_a_wrong_file_is_refused_with_an_error_summary_and_the_good_ones_are_kept(client, forms):
    fill_sterbefall(client)
    text = SimpleUploadedFile("brief.pdf", b"just text", content_type="application/pdf")

    response = client.post(f"{STERBEFALL_BASE}unterlagen/", {"death_certificate": pdf(), "birth_certificate": text})

    assert response.status_code == 400
    page = response.content.decode()
    assert "Es gibt ein Problem" in page and 'href="#id_birth_certificate"' in page
    assert "Die ausgewählte Datei muss im Format PDF, JPG oder PNG sein" in page
    assert list(StoredFile.objects.values_list("field_key", flat=True)) == ["checklist:death_certificate"]
    assert "Sie haben scan.pdf hochgeladen" in page  # the kept upload is named on the page again


def test_uploading_again_replaces_the_earlier_file(client, forms):
    fill_sterbefall(client)
    upload_on_documents_page(client, ["death_certificate"])
    client.post(f"{STERBEFALL_BASE}unterlagen/", {"death_certificate": pdf("neu.pdf")})

    assert list(StoredFile.objects.values_list("original_name", flat=True)) == ["neu.pdf"]


def test_a_changed_answer_that_calls_for_another_document_shows_the_documents_page_again(client, forms):
    fill_sterbefall(client, family_status="single")
    client.post(f"{STERBEFALL_BASE}unterlagen/", {})
    assert client.get(f"{STERBEFALL_BASE}pruefen/").status_code == 200

    fill_sterbefall(client, family_status="widowed")  # the same draft, the family status changed

    response = client.get(f"{STERBEFALL_BASE}pruefen/")
    assert response.status_code == 302 and response["Location"] == f"{STERBEFALL_BASE}unterlagen/"


# --- the outcome at submission --------------------------------------------------------------------------


def test_an_undertaker_with_every_document_uploaded_finishes_without_an_appointment(client, bookable):
    fill_sterbefall(client, family_status="married")
    upload_on_documents_page(client, MARRIED)

    submission = send(client)

    assert submission.outcome == {"key": "undertaker_complete", "kind": "no_appointment"}
    assert sorted(StoredFile.objects.filter(submission=submission).values_list("field_key", flat=True)) == sorted(
        f"checklist:{key}" for key in MARRIED
    )
    case = submission.case
    assert (case.checklist_total, case.checklist_received) == (4, 4)
    page = client.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode()
    assert "Ein Termin ist nicht nötig" in page
    assert "/termin/" not in page  # no booking link at all
    assert "4 von 4 Unterlagen liegen vor." in page


def test_an_undertaker_with_a_document_missing_gets_the_booking_link_of_the_standesamt(client, bookable):
    fill_sterbefall(client, family_status="married")
    upload_on_documents_page(client, MARRIED[:3])

    submission = send(client)

    assert submission.outcome == {"key": "registration_appointment", "kind": "appointment"}
    page = client.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode()
    assert "Bitte buchen Sie einen Termin im Standesamt" in page
    assert "/termin/standesamt/sterbefall-voranzeige/?vorgang=" in page  # tied to the case
    assert "etwa 30 Minuten" in page
    assert "3 von 4 Unterlagen liegen vor." in page
    assert page.count("Bitte laden Sie") == 0 and "Nachweis des letzten Wohnsitzes" in page


def test_the_summary_pdf_lists_the_documents_and_the_next_step(client, bookable):
    fill_sterbefall(client, relationship="present", family_status="widowed")
    upload_on_documents_page(client, ["death_certificate"])
    submission = send(client)

    text = " ".join(pdf_text(submission_summary_pdf(submission=submission)).split())

    assert "Ihre Unterlagen" in text
    assert "Hochgeladen: death_certificate.pdf" in text
    assert "Sterbeurkunde der Ehegattin" in text
    assert "Auf der Statusseite hochladen oder mitbringen (Original)." in text
    assert "Termin: Bitte buchen Sie einen Termin im Standesamt" in text


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_the_confirmation_email_says_what_to_bring_and_what_can_still_be_uploaded(client, bookable, run_tasks):
    fill_sterbefall(client, relationship="present", family_status="single")
    upload_on_documents_page(client, ["death_certificate"])
    submission = send(client)
    run_tasks()

    [message] = [m for m in mail.outbox if m.to == ["bestattung@example.org"]]
    assert "Ihr nächster Schritt: Termin" in message.body
    assert "Termin buchen: Standesamt im Rathaus (etwa 30 Minuten)" in message.body
    assert "/termin/standesamt/sterbefall-voranzeige/?vorgang=" in message.body
    assert "- Todesbescheinigung: hochgeladen" in message.body
    assert "- Geburtsurkunde der verstorbenen Person: auf der Statusseite hochladen oder mitbringen (Original)" in (
        message.body
    )
    [(html, _type)] = message.alternatives
    assert "Ihre Unterlagen" in html and submission.reference in html


# --- the status page ------------------------------------------------------------------------------------


def _submitted(client, **answers) -> Submission:  # type: ignore[no-untyped-def]
    fill_sterbefall(client, **answers)
    client.post(f"{STERBEFALL_BASE}unterlagen/", {})
    return send(client)


def test_the_status_page_offers_an_upload_for_each_open_document(client, bookable):
    submission = _submitted(client, relationship="present", family_status="single")

    page = client.get(f"/status/{submission.uuid}/").content.decode()

    for key in ("death_certificate", "birth_certificate", "residence_proof"):
        assert f'action="/status/{submission.uuid}/unterlagen/{key}/"' in page
    assert "Todesbescheinigung hochladen" in page and "0 von 3 Unterlagen liegen vor." in page


def test_an_upload_on_the_status_page_ticks_its_document_off_and_is_audited_as_the_citizens(client, bookable):
    submission = _submitted(client, relationship="present", family_status="single")

    response = client.post(
        f"/status/{submission.uuid}/unterlagen/birth_certificate/", {"birth_certificate": pdf("geburt.pdf")}
    )

    assert response.status_code == 302
    case = submission.case
    case.refresh_from_db()
    assert ChecklistTick.objects.get(case=case, document="birth_certificate").received
    assert (case.checklist_total, case.checklist_received) == (3, 1)
    event = case.events.get(kind=EventKind.CITIZEN_UPLOAD)
    assert [f.original_name for f in event.attachments.all()] == ["geburt.pdf"]
    [audit] = AuditEntry.objects.filter(action=AuditAction.CHECKLIST_TICK)
    assert (audit.actor_label, audit.detail) == ("citizen", "birth_certificate: received (upload)")
    page = client.get(f"/status/{submission.uuid}/").content.decode()
    assert "Hochgeladen: geburt.pdf" in page
    assert "/unterlagen/birth_certificate/" not in page  # no second upload offered
    assert "1 von 3 Unterlagen liegen vor." in page


def test_a_wrong_file_on_the_status_page_ticks_nothing(client, bookable):
    submission = _submitted(client, relationship="present", family_status="single")
    text = SimpleUploadedFile("brief.pdf", b"nothing here", content_type="application/pdf")

    response = client.post(f"/status/{submission.uuid}/unterlagen/birth_certificate/", {"birth_certificate": text})

    assert response.status_code == 302
    assert not ChecklistTick.objects.exists() and not StoredFile.objects.exists()
    assert "muss im Format PDF, JPG oder PNG sein" in client.get(response["Location"]).content.decode()


def test_a_document_the_answers_do_not_call_for_cannot_be_uploaded(client, bookable):
    submission = _submitted(client, relationship="present", family_status="single")

    response = client.post(
        f"/status/{submission.uuid}/unterlagen/marriage_certificate/", {"marriage_certificate": pdf()}
    )

    assert response.status_code == 404
    assert not StoredFile.objects.exists()


def test_the_last_document_uploaded_later_turns_the_undertakers_appointment_into_none(client, bookable):
    fill_sterbefall(client, family_status="single")
    upload_on_documents_page(client, ["death_certificate", "birth_certificate"])
    submission = send(client)
    assert submission.outcome["kind"] == "appointment"

    client.post(f"/status/{submission.uuid}/unterlagen/residence_proof/", {"residence_proof": pdf()})

    submission.refresh_from_db()
    assert submission.outcome == {"key": "undertaker_complete", "kind": "no_appointment"}
    page = client.get(f"/status/{submission.uuid}/").content.decode()
    assert "Ein Termin ist nicht nötig" in page and "?vorgang=" not in page


def test_a_closed_case_takes_no_more_uploads(client, bookable):
    from amtsweg.cases.models import Case

    submission = _submitted(client, relationship="present", family_status="single")
    Case.objects.filter(submission=submission).update(status=CaseStatus.COMPLETED, closed_at="2026-01-01T10:00Z")

    assert "/unterlagen/birth_certificate/" not in client.get(f"/status/{submission.uuid}/").content.decode()
    response = client.post(f"/status/{submission.uuid}/unterlagen/birth_certificate/", {"birth_certificate": pdf()})
    assert response.status_code == 400  # the case's refusal (CaseError), answered in one place
    assert not StoredFile.objects.exists()


def test_the_status_page_of_another_submission_is_not_reachable_for_an_upload(client, bookable):
    submission = _submitted(client, relationship="present", family_status="single")
    client.session.flush()
    other = client.__class__()

    response = other.post(f"/status/{submission.uuid}/unterlagen/birth_certificate/", {"birth_certificate": pdf()})

    assert response.status_code == 404
    assert submission_checklist(submission=submission).received_count == 0


@pytest.mark.parametrize("language", ["", "/en"])
def test_the_checklist_pages_read_cleanly_in_both_languages(client, bookable, language):
    from tests.wording import visible_text, wording_problems

    if language:
        client.get("/en/")  # the journey runs in English
    fill_sterbefall(client, family_status="divorced")
    pages = [client.get(f"{language}{STERBEFALL_BASE}unterlagen/").content.decode()]
    upload_on_documents_page(client, ["death_certificate"])
    pages.append(client.get(f"{language}{STERBEFALL_BASE}pruefen/").content.decode())
    submission = send(client)
    pages.append(client.get(f"{language}/antrag/eingereicht/{submission.uuid}/").content.decode())
    pages.append(client.get(f"{language}/status/{submission.uuid}/").content.decode())

    for page in pages:
        assert wording_problems(visible_text(page)) == []
    if language:
        assert "Upload Divorce or dissolution decree marked as final" in pages[0]
        assert "1 of 5 documents are in." in pages[2] and "Certified copy" in pages[3]
