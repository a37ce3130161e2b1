"""What the citizen sees of the registry's decision on the status and confirmation pages, in German and English,
and the download of the proof, which only the citizen's own session gets."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from amtsweg.applications.access import status_access_grant
from amtsweg.documents.storage import private_file_path
from amtsweg.identity.base import Identity
from amtsweg.vehicles.constants import ApplicationState, DispatchStatus, Transaction
from amtsweg.vehicles.proof import provisional_proof_issue
from tests.identity.helpers import log_in

from .conftest import open_status
from .factories import VehicleApplicationFactory, keeper_answers

pytestmark = pytest.mark.django_db


def page(client, application, language="") -> str:
    url = open_status(client, application)
    response = client.get(f"{language}{url}")
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def approved(**kwargs):
    application = VehicleApplicationFactory(
        approved=True,
        decided_at=timezone.now(),
        valid_until=timezone.localdate() + datetime.timedelta(days=10),
        plate="KS-EM 1984",
        **kwargs,
    )
    provisional_proof_issue(application=application)
    return application


def test_an_approval_says_drive_now_with_the_proof_its_end_date_and_the_post(client, kfz):
    application = approved()
    html = page(client, application)
    assert "Sie dürfen ab sofort fahren" in html and "KS-EM 1984" in html
    url = f"/status/{application.case.submission.uuid}/kfz-nachweis.pdf"
    assert f'href="{url}"' in html
    assert "Vorläufigen Zulassungsnachweis mit Bescheid herunterladen (PDF)" in html
    until = application.valid_until
    assert f"{until.day}.{until.month}.{until.year}" in html
    assert "kommen in den nächsten Tagen per Post" in html
    assert "Genehmigt: Die Unterlagen kommen per Post" in html  # the case's status in the registry's terms
    assert "Vorläufiger Zulassungsnachweis mit Bescheid (PDF)" in html  # among the documents


def test_an_approval_in_english(client, kfz):
    html = page(client, approved(), "/en")
    assert "You may drive now" in html and "valid in Germany only" in html
    assert "Approved: the documents follow by post" in html


def test_the_citizen_downloads_the_sealed_pdf(client, kfz):
    application = approved()
    url = open_status(client, application) + "kfz-nachweis.pdf"
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="zulassungsnachweis-{application.case.reference}.pdf"'
    )
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_someone_else_cannot_download_the_proof(client, kfz):
    application = approved()
    url = f"/status/{application.case.submission.uuid}/kfz-nachweis.pdf"
    stranger = Client()
    assert stranger.get(url).status_code == 401  # the trust gate: a login at level "hoch" first
    log_in(stranger, Identity(provider="bundid", subject="bpk2-other", trust_level="high", given_names="Max"))
    assert stranger.get(url).status_code == 404  # logged in, but not allowed to see this application
    other = approved()
    session = stranger.session
    status_access_grant(session=session, submission=other.case.submission)
    session.save()
    assert stranger.get(url).status_code == 404


def test_an_application_not_approved_has_no_download(client, kfz):
    application = VehicleApplicationFactory(review=True)
    url = open_status(client, application) + "kfz-nachweis.pdf"
    assert client.get(url).status_code == 404


def test_a_proof_that_could_not_be_issued_with_the_approval_is_issued_at_the_download(client, kfz, settings):
    seal = dict(settings.DOCUMENTS_SEAL)
    settings.DOCUMENTS_SEAL = {**seal, "demo": False}
    application = approved()
    assert application.proof_pdf == ""
    html = page(client, application)
    assert "wird gerade erstellt" in html
    settings.DOCUMENTS_SEAL = seal
    response = client.get(f"/status/{application.case.submission.uuid}/kfz-nachweis.pdf")
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.proof_pdf


def test_a_lost_file_is_explained_not_an_error(client, kfz):
    application = approved()
    application.refresh_from_db()
    private_file_path(application.proof_pdf).unlink()
    url = open_status(client, application)
    response = client.get(url + "kfz-nachweis.pdf", follow=True)
    assert response.status_code == 200
    assert "kann im Moment nicht heruntergeladen werden" in response.content.decode()


def test_a_refusal_gives_the_reasons_in_the_pages_language(client, kfz):
    application = VehicleApplicationFactory(
        refused=True, reasons=[{"code": "code_wrong", "item": "zb1_code", "text": "ZB1-Code falsch"}]
    )
    html = page(client, application)
    assert "Ihr Antrag wurde nicht genehmigt" in html
    assert "Ein Sicherheitscode, den Sie eingegeben haben, stimmt nicht" in html
    assert "Zulassungsstelle" in html  # what to do instead
    english = page(client, application, "/en")
    assert "Your application was not approved" in english
    assert "A security code you entered does not match" in english
    assert "kfz-nachweis.pdf" not in html


def test_a_referral_says_the_registration_office_checks_it(client, kfz):
    html = page(client, VehicleApplicationFactory(review=True))
    assert "Die Zulassungsstelle prüft Ihren Antrag" in html
    assert "Wird von der Zulassungsstelle geprüft" in html  # the status
    assert "Lastschriftmandat" in html  # the reason, SEPA
    assert "The registration office is checking your application" in page(
        client, VehicleApplicationFactory(review=True), "/en"
    )


@pytest.mark.parametrize("state", [ApplicationState.TO_SEND, ApplicationState.SENDING, ApplicationState.UNAVAILABLE])
def test_an_application_on_its_way_is_being_sent(client, kfz, state):
    html = page(client, VehicleApplicationFactory(state=state))
    assert "Ihr Antrag wird an die Zulassungsbehörde übermittelt" in html
    assert "Wird an die Zulassungsbehörde übermittelt" in html


def test_a_deregistration_says_off_the_road_with_its_reservation_and_confirmation(client, kfz):
    application = approved(
        transaction=Transaction.DEREGISTRATION, answers=keeper_answers(plate="KS-EM 1984", reserve_plate=True)
    )
    html = page(client, application)
    assert "Ihr Fahrzeug ist außer Betrieb gesetzt" in html and "Außer Betrieb gesetzt" in html
    assert "Das Kennzeichen KS-EM 1984 ist bis" in html and "für Sie reserviert" in html
    assert "Bestätigung der Außerbetriebsetzung herunterladen (PDF)" in html
    english = page(client, application, "/en")
    assert "Your vehicle is taken off the road" in english and "is reserved for you until" in english


def test_posted_documents_are_named_with_their_day(client, kfz):
    application = approved()
    application.dispatch = DispatchStatus.SENT
    application.dispatched_at = timezone.make_aware(datetime.datetime(2026, 3, 14, 11))
    application.save()
    html = page(client, application)
    assert "Unterlagen versandt am 14.3.2026" in html
    assert "am 14.3.2026 per Post an Sie geschickt" in html


def test_a_proof_that_ran_out_before_the_post_came_says_whom_to_call(client, kfz):
    application = approved()
    application.valid_until = timezone.localdate() - datetime.timedelta(days=1)
    application.save()
    assert "Ihr vorläufiger Nachweis ist abgelaufen" in page(client, application)


def test_the_confirmation_page_shows_the_decision_too(client, kfz):
    application = approved()
    open_status(client, application)
    html = client.get(f"/antrag/eingereicht/{application.case.submission.uuid}/").content.decode()
    assert "Sie dürfen ab sofort fahren" in html and "kfz-nachweis.pdf" in html


def test_a_refusal_the_case_was_rejected_with_is_said_once_in_the_rejections_box(client, kfz):
    from amtsweg.cases.constants import CaseStatus

    application = VehicleApplicationFactory(refused=True)
    case = application.case
    case.status = CaseStatus.REJECTED
    case.rejection_reason = "Die Zulassungsstelle konnte Ihren Antrag nicht online genehmigen. Grund: vor 2015."
    case.closed_at = timezone.now()
    case.save()
    html = page(client, application)
    assert html.count("Die Zulassungsstelle konnte Ihren Antrag nicht online genehmigen") == 1
    assert "Ihr Antrag wurde nicht genehmigt" not in html and "Abgelehnt" in html


def test_a_referral_with_a_question_to_the_citizen_asks_for_the_answer(client, kfz):
    from amtsweg.cases.constants import CaseStatus

    application = VehicleApplicationFactory(review=True)
    application.case.status = CaseStatus.WAITING
    application.case.save()
    html = page(client, application)
    assert "hat Sie um etwas gebeten" in html and "Sie müssen jetzt nichts tun" not in html
