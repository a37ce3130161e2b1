"""The Untersuchungsberechtigungsschein (§§ 32–35 JArbSchG): for young people of 14 to 17 in the register,
applied for by them or a parent; a first examination's sealed voucher at once, a follow-up's after the
Bürgerbüro checked the employer's confirmation; the Erhebungsbogen beside it; the date rules of the law."""

import io
import subprocess

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amtsweg.cases.constants import CaseStatus, EventKind
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import Case
from amtsweg.cases.services import case_transition
from amtsweg.core.dates import add_months
from amtsweg.documents.models import SealedDocument
from amtsweg.residents.journey import _token
from amtsweg.residents.models import RegisterRead, RegisterSubject
from amtsweg.statistics.models import CaseRecord
from tests.accounts.factories import StaffFactory
from tests.identity.helpers import log_in

from .conftest import register_identity

pytestmark = pytest.mark.django_db
BASE = "/antrag/untersuchungsberechtigungsschein/"


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    """Generated files and the demo seal's key live in the test's own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def erika(client, forms, demo_register):
    """Erika Mustermann (P-0001), mother of Leon (16) and Mia (15), logged in with the eID at level "high"."""
    return log_in(client, register_identity("kassel-adult"))


@pytest.fixture
def clerk(db):
    from amtsweg.catalogue.models import Department

    return StaffFactory(username="anna", departments=[Department.objects.get(slug="buergerbuero")])


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode()


def post(client, step, data):
    response = client.post(f"{BASE}schritt/{step}/", {**data, "action": "continue"})
    assert response.status_code == 302, (step, response.content.decode()[:3000])
    return response


def first_examination(client, person_id="P-0003", **job):
    assert client.post(BASE).status_code == 302
    post(client, "person", {"person": _token(person_id)})
    post(client, "examination", {"kind": "first"})
    return client.post(f"{BASE}schritt/job/", {**job, "action": "continue"})


def date_fields(key, day):
    return {f"{key}-day": day.day, f"{key}-month": day.month, f"{key}-year": day.year}


def download(client, document):
    response = client.get(f"{BASE}ausgestellt/{document.uuid}/dokument.pdf")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# --- who may have one ------------------------------------------------------------------------------------


def test_a_parent_is_offered_only_her_children_of_14_to_17(client, erika):
    client.post(BASE)
    html = client.get(f"{BASE}schritt/person/").content.decode()
    assert "Mia Sophie Mustermann, geboren am" in html and "Leon Mustermann, geboren am" in html
    assert "Erika Mustermann (Sie selbst)" not in html  # an adult is not offered
    response = client.post(f"{BASE}schritt/person/", {"person": _token("P-0001"), "action": "continue"})
    assert response.status_code == 400 and "Wählen Sie aus, für wen der Schein ist" in response.content.decode()


def test_a_young_person_can_apply_with_their_own_eid(client, forms, demo_register):
    log_in(client, register_identity("kassel-minor"))
    client.post(BASE)
    html = client.get(f"{BASE}schritt/person/").content.decode()
    assert "Leon Mustermann (Sie selbst)" in html


def test_a_household_without_young_people_is_told_so_and_where_to_go(client, forms, demo_register):
    from amtsweg.appointments.seed import appointments_load_seed

    appointments_load_seed()
    log_in(client, register_identity("kassel-foreign"))
    client.post(BASE)
    html = client.get(f"{BASE}schritt/person/").content.decode()
    assert "Niemand in Ihrem Haushalt kann online einen Schein bekommen" in html
    assert "Termin" in html


def test_a_citizen_whose_id_differs_from_the_register_is_refused_and_shown_nothing(client, forms, demo_register):
    log_in(client, register_identity("kassel-adult", house_number="14"))
    client.post(BASE)
    response = client.get(f"{BASE}schritt/person/")
    html = response.content.decode()
    assert response.status_code == 403 and "Wir haben Sie im Melderegister nicht gefunden" in html
    assert "Mia" not in html and not RegisterRead.objects.exists()


def test_someone_living_elsewhere_is_sent_to_their_own_office(client, forms, demo_register):
    log_in(client, register_identity("other-city"))
    client.post(BASE)
    html = client.get(f"{BASE}schritt/person/").content.decode()
    assert "Göttingen" in html and "Jonas" not in html


# --- the first examination: at once, sealed, from the register ----------------------------------------------


def test_a_mother_gets_the_voucher_for_her_15_year_old_at_once(client, erika, settings):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    response = first_examination(
        client, future_employer="Tischlerei Holz", **date_fields("job_start", add_months(timezone.localdate(), 8))
    )
    assert response["Location"] == f"{BASE}pruefen/"
    check = client.get(f"{BASE}pruefen/").content.decode()
    assert "Untersuchungsberechtigungsschein erstellen" in check
    response = client.post(f"{BASE}pruefen/")
    document = SealedDocument.objects.get()
    assert response["Location"] == f"{BASE}ausgestellt/{document.uuid}/"
    assert document.number.startswith(f"UB-{timezone.localdate().year}-")
    page = client.get(response["Location"]).content.decode()
    assert "Ihr Untersuchungsberechtigungsschein ist fertig" in page and "erhebungsbogen.pdf" in page
    data = download(client, document)
    text = pdf_text(data)
    assert "Untersuchungsberechtigungsschein" in text and "Mia Sophie" in text
    assert "Erstuntersuchung (§ 32 JArbSchG)" in text and "Tischlerei Holz" in text
    assert "Land Hessen" in text and document.number in text
    [signature] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    root = load_cert_from_pemder(str(settings.VAR_DIR / "documents" / "demo-seal.crt"))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.bottom_line and status.intact and status.trusted
    html = client.get(f"/pruefen/{document.uuid}/").content.decode()
    assert "Dieses Dokument ist echt" in html and document.number in html
    read = RegisterRead.objects.filter(person_id="P-0003", case_reference=document.number).get()
    assert read.items == "0101,0301,0601,1201" and "Erstuntersuchung" in read.purpose


def test_a_voucher_issued_at_once_counts_as_one_completed_online_use(client, erika):
    first_examination(client, **date_fields("job_start", add_months(timezone.localdate(), 2)))
    client.post(f"{BASE}pruefen/")
    assert SealedDocument.objects.count() == 1
    [record] = CaseRecord.objects.all()
    today = timezone.localdate()
    assert (record.service.slug, record.department.slug) == ("untersuchungsberechtigungsschein", "buergerbuero")
    assert (record.channel, record.final_status, record.submitted_on, record.closed_on) == (
        "online",
        "completed",
        today,
        today,
    )


def test_the_questionnaire_is_a_blank_public_pdf(client, db):
    response = client.get(f"{BASE}erhebungsbogen.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Erhebungsbogen" in text and "Allergie" in text and "Unterschrift eines Elternteils" in text


def test_a_voucher_for_a_child_of_another_household_is_refused(client, erika):
    first_examination(client)
    from amtsweg.applications.models import Draft

    draft = Draft.objects.get(service__slug="untersuchungsberechtigungsschein")
    draft.answers = {**draft.answers, "person": {"ref": "P-0004", "name": "Amira", "relation": "child"}}
    draft.save()
    response = client.post(f"{BASE}pruefen/")
    assert response.status_code == 403
    assert "keinen Untersuchungsberechtigungsschein ausstellen" in response.content.decode()
    assert not SealedDocument.objects.exists()


def test_a_job_that_starts_more_than_14_months_ahead_is_too_early(client, erika):
    start = add_months(timezone.localdate(), 16)
    response = first_examination(client, **date_fields("job_start", start))
    html = response.content.decode()
    assert response.status_code == 400 and "höchstens 14 Monate zurückliegen" in html
    assert f"{add_months(start, -14).day}.{add_months(start, -14).month}." in html


def test_without_a_seal_the_voucher_is_said_to_be_unavailable(client, erika, settings):
    settings.DOCUMENTS_SEAL = {**settings.DOCUMENTS_SEAL, "demo": False, "key_file": "", "cert_file": ""}
    first_examination(client)
    response = client.post(f"{BASE}pruefen/")
    assert response.status_code == 503 and "gerade nicht online ausgestellt" in response.content.decode()
    assert not SealedDocument.objects.exists() and not CaseRecord.objects.exists()


def test_a_register_that_cannot_be_reached_is_said_so_plainly_and_the_answers_are_kept(client, erika, settings):
    first_examination(client)
    config = settings.RESIDENTS_REGISTER["providers"]["demo"]
    settings.RESIDENTS_REGISTER = {
        **settings.RESIDENTS_REGISTER,
        "providers": {"demo": {**config, "url": "http://127.0.0.1:9"}},
    }
    response = client.post(f"{BASE}pruefen/")
    assert response.status_code == 503 and "Melderegister ist gerade nicht erreichbar" in response.content.decode()
    from amtsweg.applications.models import Draft

    assert Draft.objects.get(service__slug="untersuchungsberechtigungsschein").answers["kind"] == "first"


# --- a follow-up: the employer's confirmation, checked by the Bürgerbüro ----------------------------------


def follow_up(client, *, started, kind="first_follow_up", person_id="P-0002"):
    assert client.post(BASE).status_code == 302
    post(client, "person", {"person": _token(person_id)})
    post(client, "examination", {"kind": kind})
    return client.post(
        f"{BASE}schritt/employment/",
        {"employer": "Bäckerei Korn", **date_fields("employment_start", started), "action": "continue"},
    )


def send_follow_up(client):
    assert follow_up(client, started=add_months(timezone.localdate(), -10)).status_code == 302
    confirmation = SimpleUploadedFile("bestaetigung.pdf", b"%PDF-1.4\n%Bestaetigung\n", content_type="application/pdf")
    post(client, "evidence", {"employer_confirmation": confirmation})
    post(client, "contact", {"email": "erika.mustermann@example.org"})
    response = client.post(f"{BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Case.objects.get(service__slug="untersuchungsberechtigungsschein")


def test_the_first_follow_up_is_possible_from_nine_months_after_the_start(client, erika):
    started = add_months(timezone.localdate(), -5)
    response = follow_up(client, started=started)
    html = response.content.decode()
    assert response.status_code == 400 and "ab 9 Monaten nach Beginn der Beschäftigung" in html


def test_a_follow_up_needs_the_employers_confirmation(client, erika):
    assert follow_up(client, started=add_months(timezone.localdate(), -10)).status_code == 302
    response = client.post(f"{BASE}schritt/evidence/", {"action": "continue"})
    assert (
        response.status_code == 400 and "Laden Sie die Bestätigung des Arbeitgebers hoch" in response.content.decode()
    )


def test_a_follow_up_becomes_a_case_and_completing_it_sends_the_voucher(client, erika, clerk):
    case = send_follow_up(client)
    assert case.status == CaseStatus.RECEIVED and not SealedDocument.objects.exists()
    subject = RegisterSubject.objects.get(submission=case.submission)  # the inbox's "Register: person found"
    assert (subject.person_id, subject.finding) == ("P-0002", "found")
    client.force_login(clerk)
    html = client.get(f"/intern/faelle/{case.uuid}/").content.decode()
    assert "Bestätigung des Arbeitgebers diese jugendliche Person" in html
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    document = SealedDocument.objects.get()
    message = case.events.get(kind=EventKind.MESSAGE)
    names = sorted(f.original_name for f in message.attachments.all())
    assert names == sorted([f"{document.number}.pdf", "erhebungsbogen.pdf"]) and document.number in message.text
    read = RegisterRead.objects.get(actor=clerk)
    assert (read.person_id, read.case_reference) == ("P-0002", case.reference)
    assert "Erste Nachuntersuchung" in read.purpose
    # Counted once, as the case closes, not again as an issue at once.
    [record] = CaseRecord.objects.all()
    assert (record.final_status, record.without_appointment) == (CaseStatus.COMPLETED, None)


def test_a_rejected_follow_up_issues_nothing(client, erika, clerk):
    case = send_follow_up(client)
    case_transition(case=case, to_status=CaseStatus.REJECTED, actor=clerk, reason="Keine Beschäftigung belegt.")
    assert not SealedDocument.objects.exists() and not RegisterRead.objects.filter(actor=clerk).exists()


def test_a_young_person_who_turned_18_meanwhile_gets_no_voucher_and_the_case_stays_open(
    client, erika, clerk, monkeypatch
):
    from amtsweg.core import dates

    case = send_follow_up(client)
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    two_years_on = add_months(timezone.localdate(), 24)
    monkeypatch.setattr(dates, "today", lambda: two_years_on)  # Leon, 16 today, is 18 by then
    with pytest.raises(CaseError, match="nicht in diesem Alter"):
        case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS and not SealedDocument.objects.exists()
