"""Kirchenaustritt: the rules (residence, nobody for someone else, the ages of § 5 KErzG), the fee from the
catalogue paid online and the booking page right after it, the prepared declaration and the certificate with
its effective date, and the Standesamt's access."""

import datetime
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.utils import translation

from amtsweg.applications.models import Submission
from amtsweg.appointments.seed import appointments_load_seed
from amtsweg.appointments.tokens import case_from_token
from amtsweg.cases.constants import AuditAction, CaseStatus
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import AuditEntry, Case
from amtsweg.catalogue.models import Fee
from amtsweg.civil_status.church_leaving import church_leaving_record, kirchenaustritt
from amtsweg.core import dates
from amtsweg.identity.base import Identity
from amtsweg.payments.models import Payment
from tests.applications.conftest import address, date_parts
from tests.identity.helpers import ADULT, log_in

from .fulfilment import back_office, buergerbuero_staff, standesamt_staff  # noqa: F401
from .ordering import name

BASE = "/antrag/kirchenaustritt/"
# A login with a confirmed email address (trust level "basic"): the ID's data are typed in.
EMAIL_LOGIN = Identity(provider="email", subject="mail-erika", trust_level="basic", email="erika@example.org")
BERLIN = {"street": "Unter den Linden", "number": "1", "postcode": "10117", "town": "Berlin"}
KASSEL = {"street": "Wilhelmshöher Allee", "number": "19", "postcode": "34117", "town": "Kassel"}


def born(years: int, *, days: int = 1) -> str:
    """The birth date of somebody who turned ``years`` ``days`` days ago."""
    today = dates.today()
    return (today.replace(year=today.year - years) - datetime.timedelta(days=days)).isoformat()


def errors(answers: dict, step: str | None = None) -> dict[str, str]:
    return {error.key: error.message for error in kirchenaustritt(answers, step)}


# --- the rules -----------------------------------------------------------------------------------------


def test_nobody_can_declare_for_someone_else():
    assert "for_whom" in errors({"for_whom": "other"}, "who")
    assert errors({"for_whom": "self"}, "who") == {}


def test_the_main_residence_must_be_in_kassel():
    assert "address" in errors({"for_whom": "self", "address": BERLIN, "birth_date": born(30)}, "person")
    assert errors({"for_whom": "self", "address": KASSEL, "birth_date": born(30)}, "person") == {}
    child = {"for_whom": "child", "child_birth_date": born(8), "all_custodians": True}
    assert "child_address" in errors({**child, "child_address": BERLIN}, "child")
    assert errors({**child, "child_address": KASSEL}, "child") == {}
    ward = {"for_whom": "ward", "representative_kind": "betreuer", "ward_birth_date": born(70)}
    assert "ward_address" in errors({**ward, "ward_address": BERLIN}, "ward")


def test_from_14_you_declare_alone_and_before_not_at_all():
    me = {"for_whom": "self", "address": KASSEL}
    assert errors({**me, "birth_date": born(14)}, "person") == {}
    assert "birth_date" in errors({**me, "birth_date": born(14, days=-1)}, "person")  # 14 tomorrow
    assert "birth_date" in errors({**me, "birth_date": born(13)}, "person")


def test_a_14_year_old_child_declares_alone_not_the_parents():
    answers = {"for_whom": "child", "child_address": KASSEL, "all_custodians": True, "child_birth_date": born(14)}
    assert "child_birth_date" in errors(answers, "child")


def test_a_13_year_old_needs_the_childs_consent():
    answers = {"for_whom": "child", "child_address": KASSEL, "all_custodians": True, "child_birth_date": born(13)}
    assert errors(answers, "child") == {}
    assert "child_consent" in errors({**answers, "child_consent": False}, "consent")
    assert errors({**answers, "child_consent": True}, "consent") == {}
    assert "child_consent" in errors({**answers, "child_consent": False})  # and once more before sending


def test_a_12_year_old_needs_the_consent_too():
    answers = {"for_whom": "child", "child_address": KASSEL, "all_custodians": True, "child_birth_date": born(12)}
    assert "child_consent" in errors({**answers, "child_consent": False}, "consent")


def test_for_an_11_year_old_the_parents_declare_and_all_custodians_together():
    answers = {"for_whom": "child", "child_address": KASSEL, "child_birth_date": born(11)}
    assert errors({**answers, "all_custodians": True}) == {}
    assert "all_custodians" in errors({**answers, "all_custodians": False}, "child")


def test_a_vormund_cannot_declare_for_a_14_year_old():
    ward = {"for_whom": "ward", "representative_kind": "vormund", "ward_address": KASSEL}
    assert "ward_birth_date" in errors({**ward, "ward_birth_date": born(15)}, "ward")
    assert errors({**ward, "ward_birth_date": born(10)}, "ward") == {}


# --- the journey ---------------------------------------------------------------------------------------


@pytest.fixture
def church(forms, back_office):  # noqa: F811
    appointments_load_seed()
    return forms


def post(client, step: str, data: dict):
    return client.post(f"{BASE}schritt/{step}/", {**data, "action": "continue"})


def me(*, birth_date=datetime.date(1985, 3, 27), postcode="34117"):
    return {
        **name("name", "Erika", "Mustermann"),
        **date_parts("birth_date", birth_date),
        "birth_place": "Kassel",
        **address("address", postcode=postcode),
        "email": "erika@example.org",
        "phone": "",
    }


def community(value="roman_catholic", **extra):
    return {"community": value, "baptism_place": "Fulda", **extra}


def walk(client, steps) -> None:
    log_in(client, EMAIL_LOGIN)
    assert client.post(BASE).status_code == 302
    for step, data in steps:
        response = post(client, step, data)
        assert response.status_code == 302, (step, response.content.decode()[:3000])


SELF = [("who", {"for_whom": "self"}), ("person", me()), ("community", community())]


def send(client):
    return client.post(f"{BASE}pruefen/", {"declaration": "yes"})


def pay(client, pay_url: str) -> str:
    """Pay through the demo provider as the browser does; the address the citizen lands on afterwards."""
    demo_url = client.post(pay_url, {"method": "card"})["Location"]
    back = client.post(demo_url, {"outcome": "paid"})["Location"]
    response = client.get(back)
    assert response.status_code == 302
    return response["Location"]


def test_the_fee_comes_from_the_catalogue_and_after_paying_the_citizen_books_the_case(client, church):
    fee = Fee.objects.get(service__slug="kirchenaustritt", code="declaration")
    fee.amount_cents = 3150  # the catalogue decides, not the code
    fee.save()
    walk(client, SELF)
    check = client.get(f"{BASE}pruefen/")
    assert "31,50" in check.content.decode()
    pay_url = send(client)["Location"]
    assert Payment.objects.get().amount_cents == 3150

    landing = pay(client, pay_url)

    case = Case.objects.get()
    assert case.service.slug == "kirchenaustritt"
    parts = urlsplit(landing)
    assert parts.path.endswith("/termin/standesamt/kirchenaustritt/")
    assert case_from_token(token=parse_qs(parts.query)["vorgang"][0]) == case  # the booking is tied to the case
    page = client.get(landing)
    assert page.status_code == 200
    assert Submission.objects.get().reference in page.content.decode()  # "received, now choose a time"


def test_with_the_eid_name_birth_date_and_address_are_filled_in_and_locked(client, church):
    log_in(client, ADULT)
    assert client.post(BASE).status_code == 302
    post(client, "who", {"for_whom": "self"})
    page = client.get(f"{BASE}schritt/person/").content.decode()
    assert 'value="Heidestraße"' in page and 'value="Mustermann"' in page
    # Whatever the browser sends, the ID's data win.
    response = post(client, "person", me(birth_date=datetime.date(2020, 1, 1), postcode="10117"))
    assert response.status_code == 302
    post(client, "community", community())
    send(client)
    answers = Submission.objects.get().answers
    assert answers["birth_date"] == "1964-08-12"
    assert answers["address"]["street"] == "Heidestraße"
    assert answers["birth_place"] == "Berlin"


def test_a_13_year_old_child_without_consent_is_stopped_and_with_consent_goes_on(client, church):
    child = {
        **name("child_name", "Max", "Mustermann"),
        **date_parts("child_birth_date", datetime.date.fromisoformat(born(13))),
        "child_birth_place": "Kassel",
        **address("child_address"),
        "all_custodians": "yes",
    }
    walk(client, [("who", {"for_whom": "child"}), ("person", me()), ("child", child)])
    refused = post(client, "consent", {"child_consent": "no"})
    assert refused.status_code == 400
    assert "nicht gegen seinen Willen" in refused.content.decode()
    assert post(client, "consent", {"child_consent": "yes"}).status_code == 302
    assert post(client, "community", community("protestant_ekkw")).status_code == 302
    assert send(client).status_code == 302
    assert Submission.objects.get().answers["child_consent"] is True


def test_an_11_year_old_is_not_asked_for_consent(client, church):
    child = {
        **name("child_name", "Mia", "Mustermann"),
        **date_parts("child_birth_date", datetime.date.fromisoformat(born(11))),
        "child_birth_place": "Kassel",
        **address("child_address"),
        "all_custodians": "yes",
    }
    walk(client, [("who", {"for_whom": "child"}), ("person", me()), ("child", child)])
    assert post(client, "community", community()).status_code == 302
    assert "child_consent" not in client.get(f"{BASE}pruefen/").content.decode()


def test_a_14_year_old_fills_it_in_alone(client, church):
    walk(
        client,
        [
            ("who", {"for_whom": "self"}),
            ("person", me(birth_date=datetime.date.fromisoformat(born(14)))),
            ("community", community("jewish")),
        ],
    )
    assert send(client).status_code == 302


def test_someone_else_is_stopped_at_the_first_question(client, church):
    log_in(client, EMAIL_LOGIN)
    assert client.post(BASE).status_code == 302
    refused = post(client, "who", {"for_whom": "other"})
    assert refused.status_code == 400
    assert "Vollmacht" in refused.content.decode()


def test_a_guardian_gets_a_case_with_the_court_approval_listed_not_the_fast_path(client, church):
    ward = {
        "representative_kind": "betreuer",
        **name("ward_name", "Otto", "Mustermann"),
        **date_parts("ward_birth_date", datetime.date(1940, 1, 1)),
        "ward_birth_place": "Kassel",
        **address("ward_address"),
    }
    walk(client, [("who", {"for_whom": "ward"}), ("person", me()), ("ward", ward), ("community", community())])
    documents = client.get(f"{BASE}unterlagen/")
    assert "Genehmigung des Betreuungsgerichts" in documents.content.decode()
    client.post(f"{BASE}unterlagen/", {})
    response = send(client)
    submission = Submission.objects.get()
    assert response["Location"] == f"/antrag/eingereicht/{submission.uuid}/"  # the confirmation, no booking
    assert not Payment.objects.exists()  # checked first, paid at the counter
    assert submission.outcome["kind"] == "case"
    assert Case.objects.get().status == CaseStatus.RECEIVED


# --- the declaration and the certificate ---------------------------------------------------------------


def pdf_text(pdf: bytes) -> str:
    """The PDF's text with every run of white space (line breaks included) as one space."""
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return " ".join(text.split())


@pytest.fixture
def paid_case(client, church):
    walk(client, SELF)
    pay(client, send(client)["Location"])
    return Case.objects.get()


def test_the_prepared_declaration_has_the_data_the_community_the_signature_line_and_the_reference(client, paid_case):
    submission = paid_case.submission
    status = client.get(f"/status/{submission.uuid}/").content.decode()
    url = f"/antrag/kirchenaustritt/{submission.uuid}/erklaerung.pdf"
    assert url in status
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    for expected in (
        "Erklärung über den Austritt aus einer Religionsgemeinschaft",
        "Erika Mustermann",
        "27.3.1985",
        "Geburtsort Kassel",
        "Wilhelmshöher Allee 19, 34117 Kassel",
        "Römisch-katholische Kirche",
        "Fulda",
        "Unterschrift der austretenden Person",
        submission.reference,
    ):
        assert expected in text, expected


def test_another_session_cannot_download_the_declaration(client, paid_case):
    from django.test import Client

    stranger = Client()
    assert stranger.get(f"/antrag/kirchenaustritt/{paid_case.submission.uuid}/erklaerung.pdf").status_code == 401
    log_in(stranger, Identity(provider="email", subject="mail-other", trust_level="basic", email="o@example.org"))
    assert stranger.get(f"/antrag/kirchenaustritt/{paid_case.submission.uuid}/erklaerung.pdf").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_recording_the_declaration_completes_the_case_and_issues_the_certificate(client, paid_case, run_tasks):
    staff = standesamt_staff()
    declared = dates.today()
    run_tasks()
    mail.outbox.clear()

    church_leaving_record(case=paid_case, actor=staff, declared_on=declared)
    run_tasks()

    paid_case.refresh_from_db()
    assert paid_case.status == CaseStatus.COMPLETED
    assert AuditEntry.objects.filter(
        case_uuid=paid_case.uuid, action=AuditAction.PRINT_DOCUMENT, detail__contains=declared.isoformat()
    ).exists()
    event = paid_case.events.get(to_status=CaseStatus.COMPLETED)
    [certificate] = event.attachments.all()
    status = client.get(f"/status/{paid_case.submission.uuid}/").content.decode()
    assert f"/dateien/{certificate.uuid}/" in status
    assert "Bewahren Sie" in status
    download = client.get(f"/status/{paid_case.submission.uuid}/dateien/{certificate.uuid}/")
    text = pdf_text(b"".join(download.streaming_content))
    assert "Bescheinigung über den Kirchenaustritt" in text
    with translation.override("de"):
        assert f"Wirksam seit: {dates.format_day(declared)}" in text
    assert "Römisch-katholische Kirche" in text
    assert "Erika Mustermann" in text and paid_case.reference in text
    [message] = [m for m in mail.outbox if m.to == ["erika@example.org"]]
    assert [a[0] for a in message.attachments] == [certificate.original_name]


def test_the_declaration_cannot_be_in_the_future_or_recorded_twice(paid_case):
    staff = standesamt_staff()
    with pytest.raises(CaseError):
        church_leaving_record(case=paid_case, actor=staff, declared_on=dates.today() + datetime.timedelta(days=1))
    church_leaving_record(case=paid_case, actor=staff, declared_on=dates.today())
    with pytest.raises(CaseError):
        church_leaving_record(case=paid_case, actor=staff, declared_on=dates.today())


def test_only_the_standesamt_works_the_case(client, paid_case):
    other = buergerbuero_staff()
    client.force_login(other)
    assert client.get(f"/intern/faelle/{paid_case.uuid}/kirchenaustritt/erklaerung.pdf").status_code == 404
    response = client.post(
        f"/intern/faelle/{paid_case.uuid}/kirchenaustritt/erklaert/", {"declared_on": dates.today().isoformat()}
    )
    assert response.status_code == 404
    paid_case.refresh_from_db()
    assert paid_case.status != CaseStatus.COMPLETED
    with pytest.raises(CaseError):
        church_leaving_record(case=paid_case, actor=other, declared_on=dates.today())


def test_the_clerk_prints_the_declaration_and_records_it_from_the_case_page(client, paid_case):
    clerk = standesamt_staff()
    client.force_login(clerk)
    page = client.get(f"/intern/faelle/{paid_case.uuid}/").content.decode()
    assert "Erklärung abgegeben am" in page
    printed = client.get(f"/intern/faelle/{paid_case.uuid}/kirchenaustritt/erklaerung.pdf")
    assert printed.status_code == 200 and "Erika Mustermann" in pdf_text(printed.content)
    assert AuditEntry.objects.filter(case_uuid=paid_case.uuid, action=AuditAction.PRINT_DOCUMENT, actor=clerk).exists()
    bad = client.post(
        f"/intern/faelle/{paid_case.uuid}/kirchenaustritt/erklaert/",
        {"declared_on": "morgen"},
        HTTP_REFERER=f"http://testserver/intern/faelle/{paid_case.uuid}/",
    )
    assert bad.status_code == 303
    paid_case.refresh_from_db()
    assert paid_case.status != CaseStatus.COMPLETED
    done = client.post(
        f"/intern/faelle/{paid_case.uuid}/kirchenaustritt/erklaert/", {"declared_on": dates.today().isoformat()}
    )
    assert done.status_code == 303
    paid_case.refresh_from_db()
    assert paid_case.status == CaseStatus.COMPLETED
