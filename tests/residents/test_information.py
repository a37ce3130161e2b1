"""The Melderegisterauskunft (§§ 44, 45 BMG): identified uniquely, paid before any answer, answered the
same way for nobody, several persons and a blocked person, whose hearing is opened; extended by staff."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from amtsweg.accounts.models import User
from amtsweg.cases.constants import CaseStatus
from amtsweg.cases.models import Case
from amtsweg.catalogue.models import Department, Service
from amtsweg.payments.constants import PaymentStatus
from amtsweg.payments.models import Payment
from amtsweg.residents.models import RegisterRead
from amtsweg.residents.services import information_request_answer
from tests.applications.conftest import address, date_parts

BASE = "/antrag/melderegisterauskunft/"
NO_INFORMATION = "Wir können Ihnen keine Auskunft über die gesuchte Person geben."

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def without_login():
    """The gate (a login by email) is walked in the browser journey; here the answers are tested."""
    Service.objects.filter(slug="melderegisterauskunft").update(trust_level="none")


def fill(client, *, given="Erika", family="Mustermann", person=None, kind="simple", interest=None):
    without_login()
    assert client.post(BASE).status_code == 302
    if person is None:
        person = address("sought_address", street="Friedrich-Ebert-Straße", number="12", postcode="34117")
    steps = [
        ("kind", {"kind": kind}),
        ("person", {"sought_name-given_names": given, "sought_name-family_name": family, **person}),
        *([("interest", interest)] if kind == "extended" else []),
        ("use", {"commercial": "yes", "commercial_purpose": "Forderung einziehen", "no_advertising": "yes"}),
        ("contact", {"requester_name": "Inkasso GmbH", "email": "post@inkasso.example"}),
    ]
    for key, data in steps:
        response = client.post(f"{BASE}schritt/{key}/", {**data, "action": "continue"})
        assert response.status_code == 302, (key, response.content.decode()[:3000])


def pay(client):
    pay_url = client.post(f"{BASE}pruefen/", {"declaration": "yes"})["Location"]
    assert pay_url.startswith("/zahlung/")
    assert not Case.objects.exists() and not RegisterRead.objects.exists()  # nothing before the fee is paid
    demo_url = client.post(pay_url, {"method": "card"})["Location"]
    back = client.post(demo_url, {"outcome": "paid"})["Location"]
    confirmation = client.get(back)
    assert confirmation.status_code == 302
    return confirmation["Location"]


def answer_of(client, run_tasks, confirmation_url):
    run_tasks()
    case = Case.objects.exclude(submission__answers__has_key="register_person_id").get()
    status = client.get(reverse("applications:status", kwargs={"uuid": case.submission.uuid})).content.decode()
    return case, status


def the_answer_email():
    """The one email that carries the answer: the completion (no separate message or "in progress")."""
    return next(message for message in mail.outbox if "abgeschlossen" in message.subject)


def test_a_unique_match_is_answered_after_payment_with_the_data_and_an_audited_read(
    client, forms, demo_register, run_tasks
):
    fill(client)
    case, status = answer_of(client, run_tasks, pay(client))
    assert Payment.objects.get().status == PaymentStatus.PAID and Payment.objects.get().amount_cents == 1100
    assert case.status == CaseStatus.COMPLETED
    assert "Friedrich-Ebert-Straße 12, 34117 Kassel" in status and "Mustermann" in status
    assert "Friedrich-Ebert-Straße 12" in the_answer_email().body
    reads = list(RegisterRead.objects.order_by("pk"))
    assert [read.person_id for read in reads] == ["P-0001", "P-0001"]
    assert all(read.case_reference == case.reference for read in reads)
    assert reads[1].purpose == f"Melderegisterauskunft {case.reference}"
    assert reads[1].items.split(",") == ["0101", "0301", "0401", "1201", "1202", "0801"]


def _no_information(client, run_tasks, **person):
    fill(client, **person)
    case, status = answer_of(client, run_tasks, pay(client))
    assert Payment.objects.get().status == PaymentStatus.PAID  # the fee is charged without an answer
    assert case.status == CaseStatus.COMPLETED
    assert NO_INFORMATION in status
    body = the_answer_email().body
    answer = body[body.index(NO_INFORMATION) : body.index("Statusseite")]
    return case, status, answer


def test_nobody_found_several_found_and_a_blocked_person_get_the_same_answer(client, forms, demo_register, run_tasks):
    answers = []
    for person in (
        {"given": "Niemand", "family": "Unbekannt"},
        {
            "given": "Thomas",
            "family": "Schneider",
            "person": address("sought_address", street="Frankfurter Straße", number="77", postcode="34121"),
        },
        {
            "given": "Sabine",
            "family": "Schutz",
            "person": address("sought_address", street="Goethestraße", number="8", postcode="34119"),
        },
    ):
        client.cookies.clear()
        mail.outbox.clear()
        _case, status, answer = _no_information(client, run_tasks, **person)
        assert "Goethestraße" not in status and "Frankfurter Straße 77, 34121" not in status.split(NO_INFORMATION)[1]
        answers.append(answer)
        Case.objects.all().delete()
        Payment.objects.all().delete()
    assert answers[0] == answers[1] == answers[2]


def test_a_blocked_person_is_answered_as_nobody_and_a_hearing_case_is_opened(client, forms, demo_register, run_tasks):
    person = address("sought_address", street="Goethestraße", number="8", postcode="34119")
    case, status, _answer = _no_information(client, run_tasks, given="Sabine", family="Schutz", person=person)
    assert "Schutz, Sabine" not in status and "Dr." not in status.split(NO_INFORMATION)[0][-200:]
    hearing = Case.objects.get(submission__answers__register_person_id="P-0006")
    assert hearing.department == case.department and hearing.status == CaseStatus.RECEIVED
    assert hearing.submission.answers["request_reference"] == case.reference
    assert not hearing.submission.email  # the person is heard by the office, the requester learns nothing
    assert hearing.events.filter(kind="note", text__contains="§ 51 Abs. 3").exists()
    # Only the blockings were read, none of the person's data.
    assert list(RegisterRead.objects.values_list("items", flat=True)) == ["1801"]


def test_a_request_without_the_address_or_two_more_items_is_refused_with_a_clear_message(client, forms):
    without_login()
    client.post(BASE)
    client.post(f"{BASE}schritt/kind/", {"kind": "simple", "action": "continue"})
    name = {"sought_name-given_names": "Erika", "sought_name-family_name": "Mustermann", "action": "continue"}
    response = client.post(f"{BASE}schritt/person/", name)
    assert response.status_code == 400
    assert "Geben Sie die Anschrift der Person an, oder ihr Geburtsdatum und eine frühere Anschrift" in (
        response.content.decode()
    )
    response = client.post(
        f"{BASE}schritt/person/", {**name, **date_parts("sought_birth_date", datetime.date(1985, 3, 27))}
    )
    assert response.status_code == 400
    assert "Geben Sie eine frühere Anschrift der Person an, oder ihre aktuelle Anschrift" in response.content.decode()
    response = client.post(
        f"{BASE}schritt/person/",
        {
            **name,
            **date_parts("sought_birth_date", datetime.date(1985, 3, 27)),
            **address("sought_former_address", street="Kölnische Straße", number="3"),
        },
    )
    assert response.status_code == 302


def test_an_extended_request_becomes_a_case_that_staff_approve_and_the_requester_is_answered(
    client, forms, demo_register, run_tasks
):
    interest = {
        "extended_items": ["birth"],
        "interest_birth": "Ich brauche das Geburtsdatum für eine Klage (Az. 12 C 345/26).",
    }
    fill(client, kind="extended", interest=interest)
    case, status = answer_of(client, run_tasks, pay(client))
    assert Payment.objects.get().amount_cents == 1500
    assert case.status == CaseStatus.RECEIVED and not RegisterRead.objects.exists()  # waits for staff
    staff = User.objects.create_user(username="bb", password="x", is_staff=True)
    staff.departments.add(Department.objects.get(slug="buergerbuero"))
    information_request_answer(case=case, extended_items=["birth"], actor=staff)
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    status = client.get(reverse("applications:status", kwargs={"uuid": case.submission.uuid})).content.decode()
    assert "Geburtsdatum:" in status and "Geburtsort:" in status
    read = RegisterRead.objects.order_by("pk").last()
    assert read.actor == staff and "0601" in read.items.split(",") and "0602" in read.items.split(",")
