"""The Bürgerbüro's back office for the Melderegisterauskunft: staff decide the extended items on the case
page, a register that is down is asked again and then left to staff, the requester gets one email with the
answer, and the inbox shows what the register said."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from amtsweg.cases.constants import CaseStatus, EventKind
from amtsweg.cases.models import Case
from amtsweg.catalogue.models import Department
from amtsweg.residents.constants import INFORMATION_ANSWER_ATTEMPTS, RegisterFinding
from amtsweg.residents.models import RegisterRead, RegisterSubject
from tests.accounts.factories import StaffFactory
from tests.applications.conftest import address

from .test_information import fill, pay

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTER = "post@inkasso.example"
INTEREST = {
    "extended_items": ["birth", "nationalities"],
    "interest_birth": "Ich brauche das Geburtsdatum für eine Klage (Az. 12 C 345/26).",
    "interest_nationalities": "Für die Zustellung im Ausland.",
}


@pytest.fixture(autouse=True)
def back_office(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def clerk(forms):
    return StaffFactory(username="anna", departments=[Department.objects.get(slug="buergerbuero")])


@pytest.fixture
def staff(clerk):
    client = Client()
    client.force_login(clerk)
    return client


@pytest.fixture
def clock_moves_on():
    """Make the tasks that wait for a later time due now, as if the minutes had passed."""
    from django.utils import timezone

    def move() -> int:
        return DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).update(
            run_after=timezone.now()
        )

    return move


def request_case():
    return Case.objects.exclude(submission__answers__has_key="register_person_id").get()


def decide_url(case):
    return reverse("residents:information_decide", kwargs={"uuid": case.uuid})


def status_page(client, case):
    return client.get(reverse("applications:status", kwargs={"uuid": case.submission.uuid})).content.decode()


def requester_subjects():
    return [message.subject for message in mail.outbox if message.to == [REQUESTER]]


def inbox_lines(staff):
    html = staff.get(reverse("cases:inbox")).content.decode()
    return re.findall(r"<span class=\"kern-body--small\" data-inbox-line>([^<]*)</span>", html)


# --- staff decide an extended request ---------------------------------------------------------------------


@pytest.fixture
def extended(client, forms, demo_register, run_tasks):
    fill(client, kind="extended", interest=INTEREST)
    pay(client)
    run_tasks()
    return request_case()


def test_the_case_page_lists_each_item_asked_for_with_its_interest_and_reads_nothing(staff, extended):
    html = staff.get(reverse("cases:case_detail", kwargs={"uuid": extended.uuid})).content.decode()
    assert "Melderegisterauskunft" in html and "Auskunft erteilen" in html and "Auskunft verweigern" in html
    assert 'data-interest="birth"' in html and "Klage (Az. 12 C 345/26)" in html
    assert 'data-interest="nationalities"' in html and "Zustellung im Ausland" in html
    assert 'data-interest="moved_in"' not in html  # not asked for
    assert f'action="{decide_url(extended)}"' in html
    assert not RegisterRead.objects.exists()
    # The status form offers no end: the request ends with its answer, so that the requester is told.
    assert 'value="completed"' not in html and 'value="rejected"' not in html and "data-closing-elsewhere" in html


def test_staff_approve_some_items_and_the_requester_gets_those_with_the_reads_audited_by_the_staff_member(
    client, staff, clerk, extended, run_tasks
):
    mail.outbox.clear()
    response = staff.post(decide_url(extended), {"action": "answer", "answer-items": ["birth"]})
    assert response.status_code == 303 and response["Location"] == f"/intern/faelle/{extended.uuid}/"
    extended.refresh_from_db()
    assert extended.status == CaseStatus.COMPLETED
    status = status_page(client, extended)
    assert "Geburtsdatum:" in status and "Geburtsort:" in status and "Staatsangehörigkeit" not in status
    reads = list(RegisterRead.objects.order_by("pk"))
    assert {read.actor for read in reads} == {clerk}
    assert {read.case_reference for read in reads} == {extended.reference}
    assert {"0601", "0602"} <= set(reads[-1].items.split(",")) and "1001" not in reads[-1].items.split(",")
    run_tasks()
    assert requester_subjects() == [f"Ihr Antrag {extended.reference} ist abgeschlossen"]
    assert "Geburtsdatum:" in mail.outbox[0].body
    page = staff.get(response["Location"]).content.decode()
    assert "Die Auskunft wurde erteilt." in page
    assert RegisterSubject.objects.get(submission=extended.submission).finding == RegisterFinding.FOUND


def test_a_second_submit_leaves_the_answered_request_alone(staff, extended, run_tasks):
    staff.post(decide_url(extended), {"action": "answer", "answer-items": ["birth"]})
    reads = RegisterRead.objects.count()
    response = staff.post(decide_url(extended), {"action": "answer", "answer-items": ["birth"]}, follow=True)
    assert "wurde schon beantwortet oder abgeschlossen. Es wurde nichts geändert." in response.content.decode()
    assert RegisterRead.objects.count() == reads
    assert extended.events.filter(kind=EventKind.STATUS, to_status=CaseStatus.COMPLETED).count() == 1
    mail.outbox.clear()
    run_tasks()
    assert requester_subjects() == [f"Ihr Antrag {extended.reference} ist abgeschlossen"]


def test_refusing_needs_a_reason_shown_as_an_error_summary_and_then_answers_no_information(
    client, staff, extended, run_tasks
):
    response = staff.post(decide_url(extended), {"action": "refuse", "refuse-reason": "  "})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="error-summary"' in html and 'href="#id_refuse-reason"' in html
    assert "Geben Sie den Grund an, warum Sie die Auskunft verweigern." in html
    assert "<title>Fehler:" in html
    extended.refresh_from_db()
    assert extended.status == CaseStatus.RECEIVED
    reason = "Ein berechtigtes Interesse ist nicht glaubhaft gemacht."
    response = staff.post(decide_url(extended), {"action": "refuse", "refuse-reason": reason})
    assert response.status_code == 303
    extended.refresh_from_db()
    assert extended.status == CaseStatus.REJECTED
    assert "keine Auskunft" in extended.rejection_reason and reason in extended.rejection_reason
    assert not RegisterRead.objects.exists()  # nothing was searched or read
    assert reason in status_page(client, extended)
    mail.outbox.clear()
    run_tasks()
    assert requester_subjects() == [f"Entscheidung zu Ihrem Antrag {extended.reference}"]


def test_items_the_requester_did_not_ask_for_are_refused_with_an_error(staff, extended):
    response = staff.post(decide_url(extended), {"action": "answer", "answer-items": ["moved_in"]})
    assert response.status_code == 400
    assert 'href="#id_answer-items_0"' in response.content.decode()
    assert not RegisterRead.objects.exists()


def test_the_decision_needs_the_csrf_token(clerk, extended):
    guarded = Client(enforce_csrf_checks=True)
    guarded.force_login(clerk)
    assert guarded.post(decide_url(extended), {"action": "answer"}).status_code == 403
    extended.refresh_from_db()
    assert extended.status == CaseStatus.RECEIVED


def test_staff_of_another_department_cannot_answer(extended):
    outsider = StaffFactory(username="olga", departments=[Department.objects.get(slug="standesamt")])
    client = Client()
    client.force_login(outsider)
    assert client.post(decide_url(extended), {"action": "answer"}).status_code == 404
    assert not RegisterRead.objects.exists()


def test_a_register_that_is_down_when_staff_answer_sends_nothing_and_says_so(
    staff, extended, demo_register_server, run_tasks
):
    demo_register_server.stop()
    response = staff.post(
        decide_url(extended),
        {"action": "answer", "answer-items": ["birth"]},
        HTTP_REFERER=f"http://testserver/intern/faelle/{extended.uuid}/",
        follow=True,
    )
    assert "Das Melderegister ist gerade nicht erreichbar. Der anfragenden Person wurde nichts geschickt." in (
        response.content.decode()
    )
    extended.refresh_from_db()
    assert extended.status == CaseStatus.RECEIVED


# --- a register that is down: asked again, then left to staff -------------------------------------------------


def simple_request(client, **person):
    fill(client, **person)
    pay(client)
    return request_case()


def test_a_simple_request_is_asked_again_later_and_answered_once_the_register_is_back(
    client, forms, demo_register_server, run_tasks, clock_moves_on
):
    demo_register_server.stop()
    case = simple_request(client)
    run_tasks()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    retry = DBTaskResult.objects.get(task_path__endswith="information_answer_task", status="READY")
    assert retry.args_kwargs["kwargs"] == {"case_uuid": str(case.uuid), "attempt": 2}
    assert not DBTaskResult.objects.filter(task_path__endswith="information_answer_task", status="FAILED").exists()
    demo_register_server.start()
    clock_moves_on()
    mail.outbox.clear()
    run_tasks()
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert requester_subjects() == [f"Ihr Antrag {case.reference} ist abgeschlossen"]
    assert "Friedrich-Ebert-Straße 12" in mail.outbox[-1].body


def test_after_the_last_attempt_the_request_waits_in_the_inbox_and_staff_answer_it_from_the_panel(
    client, staff, clerk, demo_register_server, run_tasks, clock_moves_on
):
    demo_register_server.stop()
    case = simple_request(client)
    run_tasks()
    for _attempt in range(INFORMATION_ANSWER_ATTEMPTS - 1):
        assert clock_moves_on() == 1
        run_tasks()
    assert clock_moves_on() == 0  # bounded: no attempt is left
    runs = DBTaskResult.objects.filter(task_path__endswith="information_answer_task")
    assert runs.count() == INFORMATION_ANSWER_ATTEMPTS and not runs.filter(status="FAILED").exists()
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert case.events.filter(kind=EventKind.NOTE, text__contains="nicht erreicht werden").exists()
    assert inbox_lines(staff) == ["Register nicht erreichbar — bitte beantworten"]
    page = staff.get(reverse("cases:case_detail", kwargs={"uuid": case.uuid})).content.decode()
    assert "data-register-unavailable" in page and "Auskunft erteilen" in page
    assert "Auskunft verweigern" not in page  # a simple request needs no interest: there is nothing to refuse

    demo_register_server.start()
    response = staff.post(decide_url(case), {"action": "answer"})
    assert response.status_code == 303
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert RegisterRead.objects.filter(actor=clerk, case_reference=case.reference).count() == 2
    assert inbox_lines(staff) == ["Register: Person gefunden"]


# --- fewer emails ---------------------------------------------------------------------------------------------


def test_a_simple_request_sends_the_requester_three_emails_and_the_last_carries_the_answer(
    client, forms, demo_register, run_tasks
):
    case = simple_request(client)
    run_tasks()
    assert requester_subjects() == [
        f"Ihr Antrag ist eingegangen: Einfache Melderegisterauskunft ({case.reference})",  # with the access code
        f"Zahlung erhalten: Einfache Melderegisterauskunft ({case.reference})",  # with the receipt
        f"Ihr Antrag {case.reference} ist abgeschlossen",  # with the answer
    ]
    answer = mail.outbox[-1]
    assert "Hauptwohnung: Friedrich-Ebert-Straße 12, 34117 Kassel" in answer.body
    assert "/status/zugang/" in answer.body
    html = answer.alternatives[0][0]
    assert "Friedrich-Ebert-Straße 12, 34117 Kassel" in html


# --- what the register said, in the inbox ---------------------------------------------------------------------


def test_the_inbox_shows_what_the_register_said_about_each_request_and_hearing(
    client, staff, forms, demo_register, run_tasks
):
    for person in (
        {},
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
        fill(client, **person)
        pay_url = client.post("/antrag/melderegisterauskunft/pruefen/", {"declaration": "yes"})["Location"]
        demo_url = client.post(pay_url, {"method": "card"})["Location"]
        client.get(client.post(demo_url, {"outcome": "paid"})["Location"])
        run_tasks()
    findings = dict(
        RegisterSubject.objects.order_by("submission__reference").values_list("submission__reference", "finding")
    )
    references = sorted(findings)
    # The four requests in order, and the hearing the blocked person's request opened (the last reference).
    assert [findings[reference] for reference in references] == [
        RegisterFinding.FOUND,
        RegisterFinding.NOT_FOUND,
        RegisterFinding.AMBIGUOUS,
        RegisterFinding.BLOCKED,
        RegisterFinding.BLOCKED,
    ]
    assert RegisterSubject.objects.get(submission__reference=references[-1]).person_id == "P-0006"
    assert sorted(inbox_lines(staff)) == sorted(
        [
            "Register: Person gefunden",
            "Register: niemand gefunden",
            "Register: nicht eindeutig",
            "Register: gesperrt — Anhörung",
            "Register: gesperrt — Anhörung",
        ]
    )
