"""The document issued with an approval: the provisional proof of registration (§ 32 FZV) with the decision, the
confirmation of a deregistration, their seal and check, their keeping and deletion, and the citizen's message."""

import datetime
import hashlib

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amtsweg.cases.constants import CaseStatus, EventKind
from amtsweg.cases.models import CaseEvent
from amtsweg.cases.retention import case_retention_delete
from amtsweg.documents.models import SealedDocument
from amtsweg.documents.services import sealed_documents_prune
from amtsweg.documents.storage import private_file_path
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.models import Notification
from amtsweg.vehicles.constants import ApplicationState, Transaction
from amtsweg.vehicles.models import VehicleApplication
from amtsweg.vehicles.proof import provisional_proof_issue
from tests.documents.pdftext import pdf_info, pdf_text
from tests.payments.factories import PaymentFactory

from .factories import VIN, VehicleApplicationFactory, keeper_answers

pytestmark = pytest.mark.django_db


def flat(data: bytes) -> str:
    """The PDF's text with every run of white space as one space."""
    return " ".join(pdf_text(data).split())


def issued(application) -> bytes:
    assert provisional_proof_issue(application=application) is not None
    application.refresh_from_db()
    return private_file_path(application.proof_pdf).read_bytes()


def approved(**kwargs):
    decided = timezone.make_aware(datetime.datetime(2026, 3, 12, 9, 30))
    return VehicleApplicationFactory(
        approved=True,
        decided_at=decided,
        valid_until=datetime.date(2026, 3, 22),
        plate="KS-EM 1984",
        number="ZUL-2026-00042",
        office="baunatal",
        **kwargs,
    )


def test_the_proof_names_the_authority_number_plate_vehicle_keeper_and_its_dates_in_german(kfz):
    application = approved()
    PaymentFactory(submission=application.case.submission, amount_cents=1630, status="paid", paid_at=timezone.now())
    data = issued(application)
    text = flat(data)
    for expected in (
        "Vorläufiger Zulassungsnachweis",
        "nach § 32 der Fahrzeug-Zulassungsverordnung",
        "Kfz-Zulassungsbehörde für Stadt und Landkreis Kassel",
        "Kfz-Zulassungsstelle Baunatal",
        "Antragsnummer ZUL-2026-00042",
        "Kennzeichen KS-EM 1984",
        "Fahrzeug-Identifizierungsnummer",
        VIN,
        "Halterin oder Halter Erika Mustermann",
        "Datum der Entscheidung 12.03.2026 um 09:30 Uhr",
        "Gültig bis 22.03.2026 (einschließlich)",
        "Gilt nur im Inland",
        "zusammen mit dem Ausdruck des Bescheids",
        "§ 31 FZV",
        "Zulassungsbescheinigung Teil I",
        "Stempelplaketten",
        "per Post",
        # The decision, on the second page: to whom, what, the fee.
        "Bescheid über die Zulassung Ihres Fahrzeugs",
        "Friedrich-Ebert-Straße 12 34117 Kassel",
        "16,30 €",
    ):
        assert expected in text, expected
    info = pdf_info(data)
    assert info["Pages"] == "2" and info["Title"].startswith("Vorläufiger Zulassungsnachweis ZN-2026-")
    assert "Tagged" in info and info["Tagged"] == "yes"


def test_a_transfer_without_a_vin_in_its_answers_shows_the_registrys_and_its_own_decision_title(kfz):
    application = approved(transaction=Transaction.TRANSFER, answers=keeper_answers(plate="KS-EM 1984"))
    application.answer = {"vin": "WAUZZZ8V5KA000001"}
    application.save()
    text = flat(issued(application))
    assert "WAUZZZ8V5KA000001" in text and "Bescheid über die Umschreibung Ihres Fahrzeugs" in text


def test_the_seal_of_the_proof_validates_on_the_check_page(client, kfz):
    application = approved()
    data = issued(application)
    document = application.proof
    assert hashlib.sha256(data).hexdigest() == document.pdf_sha256
    assert f"/pruefen/{document.uuid}/" in "".join(pdf_text(data).split())
    page = client.get(f"/pruefen/{document.uuid}/").content.decode()
    assert "Dieses Dokument ist echt" in page and document.number in page and "Vorläufiger Zulassungsnachweis" in page
    assert "Mustermann" not in page and "KS-EM" not in page  # no more than the document shows of itself
    response = client.post("/pruefen/", {"document": SimpleUploadedFile("zn.pdf", data, "application/pdf")})
    html = response.content.decode()
    assert response.status_code == 200 and "Das Dokument ist echt und unverändert" in html
    assert "Gültig: gesiegelt von Stadt Kassel (Demo-Siegel)" in html


def test_the_deregistration_gets_a_sealed_confirmation_with_plate_date_number_and_reservation(client, kfz):
    application = approved(
        transaction=Transaction.DEREGISTRATION,
        answers=keeper_answers(
            plate="KS-EM 1984", reserve_plate=True, scrapped=True, recycling_date="2026-03-10", recycling_company="7"
        ),
    )
    assert application.valid_until is None or application.transaction == Transaction.DEREGISTRATION
    data = issued(application)
    text = flat(data)
    for expected in (
        "Bestätigung der Außerbetriebsetzung",
        "Kennzeichen KS-EM 1984",
        "Antragsnummer ZUL-2026-00042",
        "Außer Betrieb gesetzt am 12.03.2026 um 09:30 Uhr",
        "Verwertungsnachweis vom 10.03.2026, Demontagebetrieb Nr. 7",
        "Das Kennzeichen KS-EM 1984 ist bis 12.06.2026 für Sie reserviert.",
        "nicht mehr auf öffentlichen Straßen",
    ):
        assert expected in text, expected
    assert "Vorläufiger Zulassungsnachweis" not in text
    document = SealedDocument.objects.get()
    assert document.title == "Bestätigung der Außerbetriebsetzung" and document.number.startswith("AB-2026-")
    response = client.post("/pruefen/", {"document": SimpleUploadedFile("ab.pdf", data, "application/pdf")})
    assert "Das Dokument ist echt und unverändert" in response.content.decode()
    application.refresh_from_db()
    assert application.valid_until is None
    # The case's completion with the decision tells the citizen (services.vehicle_decision_record), not a message.
    assert not CaseEvent.objects.filter(kind=EventKind.MESSAGE).exists()


def test_a_second_call_issues_no_second_document_and_tells_the_citizen_once(kfz):
    application = approved()
    first = provisional_proof_issue(application=application)
    stored = application.proof_pdf
    again = provisional_proof_issue(application=VehicleApplication.objects.get(pk=application.pk))
    assert again == first and SealedDocument.objects.count() == 1
    assert VehicleApplication.objects.get(pk=application.pk).proof_pdf == stored
    assert CaseEvent.objects.filter(case=application.case, kind=EventKind.MESSAGE).count() == 1
    assert Notification.objects.filter(kind=NotificationKind.CASE_MESSAGE).count() == 1


def test_an_application_that_is_not_approved_gets_no_document(kfz):
    for application in (
        VehicleApplicationFactory(),
        VehicleApplicationFactory(refused=True),
        VehicleApplicationFactory(review=True),
    ):
        assert provisional_proof_issue(application=application) is None
    assert not SealedDocument.objects.exists() and not CaseEvent.objects.filter(kind=EventKind.MESSAGE).exists()


def test_without_a_seal_the_approval_stands_and_nothing_is_issued(kfz, settings):
    settings.DOCUMENTS_SEAL = {**settings.DOCUMENTS_SEAL, "key_file": "", "cert_file": "", "demo": False}
    application = approved()
    assert provisional_proof_issue(application=application) is None
    application.refresh_from_db()
    assert application.state == ApplicationState.APPROVED and application.proof_pdf == ""
    assert not SealedDocument.objects.exists()


def test_the_proof_stays_with_the_application_after_the_download_copies_are_pruned(kfz):
    application = approved()
    issued(application)
    document = SealedDocument.objects.get()
    assert document.pdf_file == ""  # the sealed document's own copy is not kept twice
    sealed_documents_prune(now=timezone.now() + datetime.timedelta(days=30))
    assert private_file_path(application.proof_pdf).is_file()


def test_retention_deletes_the_stored_proof_with_the_case(kfz, django_capture_on_commit_callbacks):
    application = approved()
    issued(application)
    path = private_file_path(application.proof_pdf)
    case = application.case
    case.status = CaseStatus.COMPLETED
    case.closed_at = timezone.now() - datetime.timedelta(days=400)
    case.save(update_fields=["status", "closed_at"])
    with django_capture_on_commit_callbacks(execute=True):
        assert case_retention_delete(case_id=case.pk)
    assert not VehicleApplication.objects.exists() and not path.exists()


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_the_citizen_is_emailed_a_link_to_the_status_page_in_their_language_without_the_plate(kfz, run_tasks):
    application = approved(language="en")
    issued(application)
    run_tasks()
    [email] = mail.outbox
    assert email.to == ["erika@example.org"]
    body = email.body
    assert "you may drive the vehicle from now on" in body and "22 March 2026" in body
    assert "/status/" in body and "KS-EM" not in body and VIN not in body
    assert not email.attachments


@pytest.mark.parametrize(
    ("transaction", "variant", "keep_plate", "seals"),
    [
        (Transaction.NEW_REGISTRATION, "", None, True),
        (Transaction.REREGISTRATION, "", True, True),  # its seals were removed when it was taken off the road
        (Transaction.TRANSFER, "keeper_change", False, True),
        (Transaction.TRANSFER, "keeper_change", True, False),
        (Transaction.TRANSFER, "move_in", True, False),
        (Transaction.TRANSFER, "address_change", None, False),
    ],
)
def test_plate_seals_are_promised_only_where_new_ones_come_by_post(kfz, transaction, variant, keep_plate, seals):
    from amtsweg.vehicles.dispatch import dispatch_entries

    answers = keeper_answers(vin=VIN, variant=variant, **({} if keep_plate is None else {"keep_plate": keep_plate}))
    application = approved(transaction=transaction, variant=variant, answers=answers)
    text = flat(issued(application))
    message = application.case.events.filter(kind="message").get().text
    assert ("Stempelplaketten kommen per Post" in message) is seals
    assert ("Stempelplaketten für die Kennzeichenschilder kommen per Post" in text) is seals
    assert ("Stempelplaketten auf Ihren Kennzeichen bleiben gültig" in text) is not seals
    assert dispatch_entries([application])[0].seals is seals


def test_an_office_without_a_known_street_is_named_without_a_bare_town(kfz):
    from amtsweg.vehicles.proof import office_lines

    assert office_lines(office="kassel") == ["Kfz-Zulassungsstelle Kassel"]  # street and postcode zu prüfen
    assert office_lines(office="baunatal") == ["Kfz-Zulassungsstelle Baunatal", "Harzweg 15, Baunatal"]
