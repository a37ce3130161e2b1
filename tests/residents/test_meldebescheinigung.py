"""The Meldebescheinigung (§ 18 BMG) on the residents' register: the self-lookup's outcomes on the pages,
the household, data from the register only, the sealed PDF and its check, the § 18a record, paper by post."""

import dataclasses
import hashlib
import io
import json
import re
import subprocess

import pytest

from amtsweg.applications.models import Submission
from amtsweg.cases.models import Case
from amtsweg.documents.models import SealedDocument
from amtsweg.identity.contrib.demo.views import person_identity
from amtsweg.identity.demo_idp.idp import person
from amtsweg.payments.models import Payment
from amtsweg.residents.journey import _token
from amtsweg.residents.models import RegisterRead
from amtsweg.statistics.models import CaseRecord
from tests.identity.helpers import log_in

pytestmark = pytest.mark.django_db
BASE = "/antrag/meldebescheinigung/"


@pytest.fixture(autouse=True)
def files_in_tmp(settings, tmp_path):
    """Generated files and the demo seal's key live in the test's own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def erika(client, forms, demo_register):
    """Erika Mustermann (the demo eID's kassel-adult, P-0001) logged in with the eID at level "high"."""
    return log_in(client, eid("kassel-adult"))


def eid(key, **changes):
    return dataclasses.replace(person_identity(person(key)), **changes)


def start(client):
    response = client.post(BASE)
    assert response.status_code == 302 and response["Location"] == f"{BASE}schritt/person/"
    return client.get(f"{BASE}schritt/person/")


def choose(client, person_id="P-0001", *, kind="simple", fmt="electronic"):
    response = client.post(f"{BASE}schritt/person/", {"person": _token(person_id), "action": "continue"})
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(f"{BASE}schritt/certificate/", {"kind": kind, "format": fmt, "action": "continue"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return response


def issue(client, person_id="P-0001", *, kind="simple"):
    """Through the form to the check page, then "Meldebescheinigung erstellen": the issued document."""
    start(client)
    assert choose(client, person_id, kind=kind)["Location"] == f"{BASE}pruefen/"
    check = client.get(f"{BASE}pruefen/")
    assert check.status_code == 200 and "Meldebescheinigung erstellen" in check.content.decode()
    response = client.post(f"{BASE}pruefen/")
    document = SealedDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{BASE}ausgestellt/{document.uuid}/"
    return document


def download(client, document, name="dokument.pdf") -> bytes:
    response = client.get(f"{BASE}ausgestellt/{document.uuid}/{name}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def pdf_text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode()


# --- the self-lookup on the pages (BMeldDigiV § 4) -------------------------------------------------


def test_a_citizen_whose_id_differs_from_the_register_is_sent_to_the_counter_and_shown_nothing(
    client, forms, demo_register
):
    from amtsweg.appointments.seed import appointments_load_seed

    appointments_load_seed()
    log_in(client, eid("kassel-adult", house_number="14"))
    html = start(client).content.decode()
    assert "Die Daten Ihres Ausweises und die Daten im Melderegister stimmen nicht überein" in html
    assert 'href="/termin/buergerbuero-rathaus/meldebescheinigung/"' in html  # the appointment booking
    assert "Termin buchen" in html
    assert "Mustermann" not in html and "Leon" not in html  # nothing from the register
    # Nothing was read from the register, and no way past the page: the next steps send back to it.
    assert not RegisterRead.objects.exists()
    assert client.get(f"{BASE}schritt/certificate/")["Location"] == f"{BASE}schritt/person/"
    assert client.post(f"{BASE}schritt/person/", {"person": _token("P-0001")}).status_code == 200
    assert client.get(f"{BASE}pruefen/")["Location"] == f"{BASE}schritt/person/"


def test_someone_living_elsewhere_is_told_that_their_town_issues_it(client, forms, demo_register):
    log_in(client, eid("other-city"))
    html = start(client).content.decode()
    assert "Ihre Meldebehörde ist in Göttingen" in html
    assert "Meldebehörde von Göttingen" in html
    assert "Jonas" not in html and not RegisterRead.objects.exists()


def test_a_resident_chooses_among_herself_and_the_minors_she_represents(client, erika):
    html = start(client).content.decode()
    assert "Erika Mustermann (Sie selbst)" in html
    assert "Leon Mustermann, geboren am" in html and "Mia Sophie Mustermann, geboren am" in html
    assert "P-000" not in html  # the register's own keys stay on the server
    # A person of another household cannot be chosen by a changed page.
    response = client.post(f"{BASE}schritt/person/", {"person": _token("P-0004"), "action": "continue"})
    assert response.status_code == 400 and "Wählen Sie die Person aus" in response.content.decode()


# --- the electronic certificate: at once, free, from the register only ------------------------------


def test_a_found_resident_gets_a_sealed_pdf_at_once_with_the_data_from_the_register(client, erika):
    document = issue(client)
    page = client.get(f"{BASE}ausgestellt/{document.uuid}/").content.decode()
    assert "Ihre Meldebescheinigung ist fertig" in page and document.number in page
    data = download(client, document)
    assert data.startswith(b"%PDF-")
    assert hashlib.sha256(data).hexdigest() == document.pdf_sha256
    text = pdf_text(data)
    assert "Meldebescheinigung" in text and "§ 18 Absatz 1 Bundesmeldegesetz" in text
    assert "Mustermann" in text and "Erika" in text and "12.08.1984" in text
    assert "Friedrich-Ebert-Straße 12, 34117 Kassel" in text
    assert not Submission.objects.exists() and not Case.objects.exists() and not Payment.objects.exists()
    # The issue is on record: the document with its fingerprints, the read with its number.
    read = RegisterRead.objects.get(case_reference=document.number)
    assert (read.person_id, read.actor_label) == ("P-0001", f"citizen {erika.uuid}")
    assert read.items == "0101,0301,0302,0401,0601,1201,1202"
    assert document.title == "Meldebescheinigung" and document.issuer == "Stadt Kassel, Bürgerbüro"


def test_a_parent_gets_the_extended_certificate_of_her_minor_child(client, erika):
    document = issue(client, "P-0002", kind="extended")
    text = pdf_text(download(client, document))
    assert "Erweiterte Meldebescheinigung" in text and "§ 18 Absatz 2" in text
    assert "Leon" in text and "männlich" in text and "Erika Mustermann" in text  # his legal representative
    assert "Kein Sterbedatum" in text or "kein Sterbedatum" in text
    read = RegisterRead.objects.get(case_reference=document.number)
    assert read.person_id == "P-0002" and "0902" in read.items.split(",")


def test_the_certificate_shows_the_register_not_what_the_answers_say(client, erika):
    from amtsweg.applications.models import Draft

    start(client)
    choose(client)
    # Whatever the answers hold (here written straight into the draft), only the register counts.
    draft = Draft.objects.get()
    draft.answers["person"] = {"ref": "P-0001", "name": "Mallory Fake", "relation": "self"}
    draft.save()
    client.post(f"{BASE}pruefen/")
    text = pdf_text(download(client, SealedDocument.objects.get()))
    assert "Mallory" not in text and "Fake" not in text and "Mustermann" in text


def test_a_certificate_for_someone_the_citizen_does_not_represent_is_refused(client, erika):
    start(client)
    choose(client)
    from amtsweg.applications.models import Draft

    draft = Draft.objects.get()
    draft.answers["person"] = {"ref": "P-0004", "name": "Amira Haddad", "relation": "child"}
    draft.save()
    response = client.post(f"{BASE}pruefen/")
    assert response.status_code == 403 and not SealedDocument.objects.exists()
    assert not RegisterRead.objects.filter(person_id="P-0004").exists()


def test_every_register_read_is_audited(client, erika):
    start(client)  # the names of the household, to choose from
    assert sorted(RegisterRead.objects.values_list("person_id", flat=True)) == ["P-0001", "P-0002", "P-0003"]
    choose(client)  # read again to check the choice against the register as it is now
    assert RegisterRead.objects.count() == 6
    client.post(f"{BASE}pruefen/")
    document = SealedDocument.objects.get()
    reads = list(RegisterRead.objects.order_by("id"))
    assert len(reads) == 7
    assert {read.actor_label for read in reads} == {f"citizen {erika.uuid}"}
    assert {read.purpose for read in reads[:6]} == {"Meldebescheinigung: Auswahl der Person"}
    assert {read.items for read in reads[:6]} == {"0301,0101,0601"}
    assert reads[-1].case_reference == document.number
    assert reads[-1].purpose == "Meldebescheinigung (einfach, elektronisch)"


def test_each_electronic_issue_counts_as_one_completed_online_use_in_the_statistics(client, erika):
    from django.utils import timezone

    issue(client)
    [record] = CaseRecord.objects.all()
    today = timezone.localdate()
    assert (record.service.slug, record.department.slug) == ("meldebescheinigung", "buergerbuero")
    assert (record.channel, record.final_status, record.submitted_on, record.closed_on) == (
        "online",
        "completed",
        today,
        today,
    )


# --- the seal, the QR code and the check page ---------------------------------------------------------


def test_the_pdf_carries_a_seal_that_pyhankos_validator_accepts(client, erika, settings):
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    data = download(client, issue(client))
    [signature] = PdfFileReader(io.BytesIO(data)).embedded_signatures
    root = load_cert_from_pemder(str(settings.VAR_DIR / "documents" / "demo-seal.crt"))
    status = validate_pdf_signature(signature, ValidationContext(trust_roots=[root]))
    assert status.bottom_line and status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE" and status.docmdp_ok
    assert signature.field_name == "Siegel"


def test_the_qr_code_leads_to_the_check_page_which_says_the_document_is_genuine(client, erika, tmp_path):
    document = issue(client)
    data = download(client, document)
    url = f"http://127.0.0.1:8000/pruefen/{document.uuid}/"
    assert url in "".join(pdf_text(data).split())  # printed beside the QR code, wrapped where it must
    # The QR code itself, read from the rendered page by zbarimg.
    page = tmp_path / "page"
    subprocess.run(["pdftoppm", "-r", "150", "-png", "-singlefile", "-", str(page)], input=data, check=True)
    decoded = subprocess.run(["zbarimg", "--quiet", "--raw", f"{page}.png"], capture_output=True, check=True)
    assert decoded.stdout.decode().strip() == url
    html = client.get(f"/pruefen/{document.uuid}/").content.decode()
    assert "Dieses Dokument ist echt" in html and document.number in html
    assert "Mustermann" not in html and "Friedrich-Ebert" not in html  # no more than the document shows itself


def test_an_unknown_or_expired_document_is_not_confirmed(client, erika):
    import datetime

    from django.utils import timezone

    assert client.get("/pruefen/00000000-0000-4000-8000-000000000000/").status_code == 404
    document = issue(client)
    SealedDocument.objects.update(check_until=timezone.now() - datetime.timedelta(seconds=1))
    response = client.get(f"/pruefen/{document.uuid}/")
    assert response.status_code == 404 and "nicht bestätigen" in response.content.decode()


def test_the_unchanged_pdf_passes_the_upload_check(client, erika):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = download(client, issue(client))
    response = client.post("/pruefen/", {"document": SimpleUploadedFile("mb.pdf", data, "application/pdf")})
    html = response.content.decode()
    assert response.status_code == 200 and "Das Dokument ist echt und unverändert" in html
    assert "Gültig: gesiegelt von Stadt Kassel (Demo-Siegel)" in html


def test_an_altered_pdf_fails_both_the_fingerprint_and_the_seal(client, erika):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    data = download(client, issue(client))
    # A forger adds text to the page after the seal, as a PDF editor would (an incremental update).
    writer = IncrementalPdfFileWriter(io.BytesIO(data))
    page = writer.root["/Pages"]["/Kids"][0].get_object()
    added = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf 100 100 Td (Berlin) Tj ET"))
    page["/Contents"] = generic.ArrayObject([page["/Contents"], added])
    writer.update_container(page)
    altered = io.BytesIO()
    writer.write(altered)
    # And one byte changed inside the sealed part.
    at = data.index(b"/Title")
    flipped = data[: at + 8] + bytes([data[at + 8] ^ 1]) + data[at + 9 :]
    for forged, verdict in ((altered.getvalue(), "nach dem Siegeln etwas hinzugefügt"), (flipped, "Beschädigt")):
        assert hashlib.sha256(forged).hexdigest() != SealedDocument.objects.get().pdf_sha256
        response = client.post("/pruefen/", {"document": SimpleUploadedFile("mb.pdf", forged, "application/pdf")})
        html = response.content.decode()
        assert "Das Dokument konnte nicht bestätigt werden" in html
        assert "Eine Datei wie diese haben wir nicht ausgestellt" in html
        assert verdict in html


def test_a_file_that_is_no_document_is_explained(client, forms):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post("/pruefen/", {"document": SimpleUploadedFile("x.png", b"\x89PNG\r\n", "image/png")})
    assert response.status_code == 400 and "weder eine PDF-Datei noch ein Datensatz" in response.content.decode()
    response = client.post("/pruefen/", {})
    assert response.status_code == 400 and "Wählen Sie die PDF-Datei" in response.content.decode()


# --- the machine-readable record (§ 18a BMG) -----------------------------------------------------------


def test_the_machine_readable_record_lists_the_items_by_dsmeld_number_with_the_retrieval_time(client, erika):
    from django.core.files.uploadedfile import SimpleUploadedFile

    document = issue(client)
    raw = download(client, document, "meldedatensatz.json")
    record = json.loads(raw)
    assert record["art"] == "Meldedatensatz nach § 18a BMG" and record["dokumentnummer"] == document.number
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d", record["abrufzeitpunkt"])
    items = {item["dsmeld"]: item["wert"] for item in record["daten"]}
    assert items["0101"] == "Mustermann" and items["0601"] == "1984-08-12"
    assert items["1201"] == {
        "street": "Friedrich-Ebert-Straße",
        "house_number": "12",
        "postcode": "34117",
        "town": "Kassel",
    }
    assert hashlib.sha256(raw).hexdigest() == document.data_sha256
    response = client.post("/pruefen/", {"document": SimpleUploadedFile("r.json", raw, "application/json")})
    assert "Das Dokument ist echt und unverändert" in response.content.decode()


def test_the_downloads_belong_to_the_session_that_issued_them_and_are_deleted_after_an_hour(client, erika):
    import datetime

    from django.test import Client
    from django.utils import timezone

    from amtsweg.documents.services import sealed_documents_prune

    document = issue(client)
    other = Client()
    log_in(other, eid("kassel-adult"))
    assert other.get(f"{BASE}ausgestellt/{document.uuid}/dokument.pdf").status_code == 404
    sealed_documents_prune(now=timezone.now() + datetime.timedelta(minutes=61))
    document.refresh_from_db()
    assert document.pdf_file == "" and document.data_file == ""
    assert client.get(f"{BASE}ausgestellt/{document.uuid}/dokument.pdf").status_code == 404
    # The check stays for a year, then the row goes too.
    assert client.get(f"/pruefen/{document.uuid}/").status_code == 200
    sealed_documents_prune(now=timezone.now() + datetime.timedelta(days=366))
    assert not SealedDocument.objects.exists()


# --- paper by post -------------------------------------------------------------------------------------


def test_paper_by_post_charges_the_fee_in_force_and_opens_a_case_once_paid(client, erika):
    import datetime

    from django.utils import timezone

    from amtsweg.catalogue.models import Fee

    # A higher fee decided for next month is not in force yet.
    current = Fee.objects.get(service__slug="meldebescheinigung", code="certificate")
    Fee.objects.create(
        service=current.service,
        code="certificate",
        label=current.label,
        amount_cents=1250,
        valid_from=timezone.localdate() + datetime.timedelta(days=30),
        applies_if=current.applies_if,
        quantity_from=current.quantity_from,
    )
    start(client)
    assert choose(client, "P-0003", fmt="paper")["Location"] == f"{BASE}schritt/copies/"
    client.post(f"{BASE}schritt/copies/", {"copies": "2", "action": "continue"})
    client.post(f"{BASE}schritt/contact/", {"email": "erika@example.org", "action": "continue"})
    html = client.get(f"{BASE}pruefen/").content.decode()
    assert "Mia Sophie Mustermann (Ihr Kind)" in html and "18,00 €" in html
    response = client.post(f"{BASE}pruefen/", {"declaration": "yes"})
    payment = Payment.objects.get()
    assert response["Location"] == f"/zahlung/{payment.uuid}/"
    assert payment.amount_cents == 1800 and [item["code"] for item in payment.items] == ["certificate"]
    assert not SealedDocument.objects.exists() and not Case.objects.exists()
    submission = payment.submission
    assert submission.answers["person"] == {"ref": "P-0003", "name": "Mia Sophie Mustermann", "relation": "child"}
    demo_url = client.post(f"/zahlung/{payment.uuid}/", {"method": "card"})["Location"]
    client.get(client.post(demo_url, {"outcome": "paid"})["Location"])
    case = Case.objects.get()
    assert case.submission_id == submission.pk and case.department.slug == "buergerbuero"
    # The inbox notes that the register found the citizen who orders (the post goes to their address).
    from amtsweg.residents.models import RegisterSubject

    subject = RegisterSubject.objects.get(submission=submission)
    assert (subject.person_id, subject.finding) == ("P-0001", "found")


# --- without a seal, without the register ----------------------------------------------------------


def test_production_has_no_demo_seal_and_wants_key_and_certificate_together():
    from tests.core.test_settings import _load_settings

    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portal.example.org"}
    out = _load_settings("amtsweg.settings.production", show="repr(settings.DOCUMENTS_SEAL['demo'])", **production)
    assert out.returncode == 0 and out.stdout.strip() == "False", out.stderr
    out = _load_settings("amtsweg.settings.production", DOCUMENTS_SEAL_KEY_FILE="/etc/seal.key", **production)
    assert out.returncode != 0 and "must be set together" in out.stderr


def test_without_a_seal_the_electronic_certificate_says_it_is_not_available(client, erika, settings):
    settings.DOCUMENTS_SEAL = {**settings.DOCUMENTS_SEAL, "demo": False, "key_file": "", "cert_file": ""}
    start(client)
    choose(client)
    response = client.post(f"{BASE}pruefen/")
    html = response.content.decode()
    assert response.status_code == 503 and "gerade nicht verfügbar" in html and "auf Papier" in html
    assert not SealedDocument.objects.exists() and not RegisterRead.objects.filter(case_reference__gt="").exists()
    assert not CaseRecord.objects.exists()


def test_a_seal_that_fails_while_sealing_issues_nothing_and_counts_nothing(client, erika, settings, tmp_path):
    key, cert = tmp_path / "seal.key", tmp_path / "seal.crt"
    key.write_text("not a key")
    cert.write_text("not a certificate")
    settings.DOCUMENTS_SEAL = {**settings.DOCUMENTS_SEAL, "demo": False, "key_file": str(key), "cert_file": str(cert)}
    start(client)
    choose(client)
    response = client.post(f"{BASE}pruefen/")
    assert response.status_code == 503 and "gerade nicht verfügbar" in response.content.decode()
    assert not SealedDocument.objects.exists() and not CaseRecord.objects.exists()


def test_a_register_that_cannot_be_reached_is_said_so_plainly(client, erika, settings):
    config = settings.RESIDENTS_REGISTER["providers"]["demo"]
    settings.RESIDENTS_REGISTER = {
        **settings.RESIDENTS_REGISTER,
        "providers": {"demo": {**config, "url": "http://127.0.0.1:9"}},
    }
    response = start(client)
    assert response.status_code == 503
    assert "Das Melderegister ist gerade nicht erreichbar" in response.content.decode()


def test_a_paper_order_for_someone_the_citizen_does_not_represent_is_not_sent(client, erika):
    from amtsweg.applications.models import Draft

    start(client)
    choose(client, fmt="paper")
    client.post(f"{BASE}schritt/copies/", {"copies": "1", "action": "continue"})
    client.post(f"{BASE}schritt/contact/", {"email": "erika@example.org", "action": "continue"})
    # A draft saved for later and resumed by someone else, or changed by hand, names another person.
    draft = Draft.objects.get()
    draft.answers["person"] = {"ref": "P-0004", "name": "Amira Haddad", "relation": "child"}
    draft.save()
    response = client.post(f"{BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 403 and not Submission.objects.exists() and not Payment.objects.exists()
