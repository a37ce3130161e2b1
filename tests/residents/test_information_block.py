"""The Auskunftssperre (§ 51 BMG): an application with grounds and evidence by the person the register knows,
decided by the Bürgerbüro on the case page; an approval writes the block to the register for two years, and
three months before it ends the citizen and the staff are reminded once each."""

import datetime

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from amtsweg.cases.constants import CaseStatus, EventKind
from amtsweg.cases.models import Case
from amtsweg.cases.services import case_transition
from amtsweg.core.dates import add_months
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.models import Notification
from amtsweg.residents.models import BlockChange, InformationBlock, RegisterRead, RegisterSubject
from amtsweg.residents.register import fields
from amtsweg.residents.services import information_block_reminders_send
from tests.accounts.factories import StaffFactory
from tests.identity.helpers import log_in

from .conftest import register_identity, stored

BASE = "/antrag/auskunftssperre/"

pytestmark = pytest.mark.django_db


def block_in_register(data, person_id):
    return next(
        (
            block
            for block in stored(data)[person_id].get(fields.BLOCKS, [])
            if block["kind"] == fields.INFORMATION_BLOCK
        ),
        None,
    )


def apply(client, *, email="erika.mustermann@example.org"):
    """Walk the Auskunftssperre's form as Erika and send it; returns the case."""
    assert client.post(BASE).status_code == 302
    evidence = SimpleUploadedFile("anzeige.pdf", b"%PDF-1.4\n%Anzeige\n", content_type="application/pdf")
    steps = [
        ("person", {}),
        ("grounds", {"danger": ["life", "freedom"], "reasons": "Mein früherer Partner bedroht mich."}),
        ("evidence", {"evidence": evidence}),
        ("contact", {"email": email, "phone": ""}),
    ]
    for key, data in steps:
        response = client.post(f"{BASE}schritt/{key}/", {**data, "action": "continue"})
        assert response.status_code == 302, (key, response.content.decode()[:3000])
    response = client.post(f"{BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Case.objects.get(service__slug="auskunftssperre")


@pytest.fixture
def applicant(client, forms, demo_register, settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    log_in(client, register_identity("kassel-adult"))
    return client


@pytest.fixture
def clerk(db):
    from amtsweg.catalogue.models import Department

    return StaffFactory(username="anna", departments=[Department.objects.get(slug="buergerbuero")])


@pytest.fixture
def case(applicant):
    return apply(applicant)


def test_the_application_records_whom_the_register_matched_and_reaches_the_buergerbuero(case):
    assert case.department.slug == "buergerbuero" and case.status == CaseStatus.RECEIVED
    assert RegisterSubject.objects.get(submission=case.submission).person_id == "P-0001"
    assert case.submission.files.get().original_name == "anzeige.pdf"
    assert case.submission.answers["danger"] == ["life", "freedom"]


def test_the_inbox_shows_that_the_register_found_the_applicant_when_they_sent_it(client, case, clerk):
    subject = RegisterSubject.objects.get(submission=case.submission)
    assert subject.finding == "found" and subject.checked_at is not None
    client.force_login(clerk)
    assert "data-inbox-line>Register: Person gefunden</span>" in client.get("/intern/").content.decode()
    assert not RegisterRead.objects.filter(actor=clerk).exists()  # the inbox reads nothing from the register


def test_a_file_that_is_no_evidence_document_is_refused_by_the_upload_checks(applicant):
    applicant.post(BASE)
    applicant.post(f"{BASE}schritt/person/", {"action": "continue"})
    applicant.post(f"{BASE}schritt/grounds/", {"danger": ["health"], "reasons": "x", "action": "continue"})
    text = SimpleUploadedFile("nachweis.pdf", b"just some text", content_type="application/pdf")
    response = applicant.post(f"{BASE}schritt/evidence/", {"evidence": text, "action": "continue"})
    assert response.status_code == 400
    assert "Die ausgewählte Datei muss" in response.content.decode()


@pytest.mark.parametrize(
    "key, changes, expected",
    [
        ("kassel-adult", {"birth_date": "1984-08-13"}, "Wir haben Sie im Melderegister nicht gefunden"),
        ("other-city", {}, "Ihre Hauptwohnung ist nicht in unserer Stadt"),
    ],
)
def test_someone_the_register_does_not_match_cannot_apply(client, forms, demo_register, key, changes, expected):
    log_in(client, register_identity(key, **changes))
    response = client.post(BASE)
    assert response.status_code == 403 and expected in response.content.decode()
    assert not client.session.get("drafts")
    assert not RegisterRead.objects.exists()


def test_a_citizen_no_longer_matched_when_sending_is_stopped_before_anything_is_sent(client, applicant):
    assert applicant.post(BASE).status_code == 302
    evidence = SimpleUploadedFile("anzeige.pdf", b"%PDF-1.4\n%Anzeige\n", content_type="application/pdf")
    for key, data in [
        ("person", {}),
        ("grounds", {"danger": ["health"], "reasons": "Bedrohung"}),
        ("evidence", {"evidence": evidence}),
        ("contact", {"email": "erika@example.org", "phone": ""}),
    ]:
        assert applicant.post(f"{BASE}schritt/{key}/", {**data, "action": "continue"}).status_code == 302
    # The match is made again right before sending: an ID that no longer matches the register sends nothing.
    log_in(client, register_identity("kassel-adult", house_number="99"))
    response = client.post(f"{BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 403
    assert not Case.objects.exists() and not RegisterSubject.objects.exists()


def test_the_case_page_shows_the_registers_blockings_and_the_read_is_audited(client, case, clerk, demo_register):
    from amtsweg.residents.services import register_block_file

    register_block_file(person_id="P-0001", kind="50-1")
    client.force_login(clerk)
    html = client.get(f"/intern/faelle/{case.uuid}/").content.decode()
    assert "Melderegister" in html and "§ 50 Abs. 1 BMG" in html
    read = RegisterRead.objects.get(actor=clerk)
    assert (read.actor_label, read.person_id, read.items, read.case_reference) == (
        "anna",
        "P-0001",
        "1801",
        case.reference,
    )
    assert read.purpose == "Auskunftssperre: the case page"


def test_an_approval_writes_the_block_for_two_years_to_the_register(case, clerk, demo_register):
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    assert block_in_register(demo_register, "P-0001") is None
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    until = add_months(timezone.localdate(), 24)
    assert block_in_register(demo_register, "P-0001") == {"kind": "auskunftssperre", "until": until.isoformat()}
    block = InformationBlock.objects.get(case=case)
    assert (block.person_id, block.until, block.remind_on) == ("P-0001", until, add_months(until, -3))
    change = BlockChange.objects.get(kind=fields.INFORMATION_BLOCK)
    assert (change.actor, change.until, change.case_reference) == (clerk, until, case.reference)


@pytest.mark.django_db(transaction=True)  # the task worker sends the email
def test_the_citizen_is_told_by_email_until_when_the_block_is_in_place(case, clerk, run_tasks):
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    mail.outbox.clear()
    run_tasks()
    until = add_months(timezone.localdate(), 24)
    completed = [m for m in mail.outbox if m.to == ["erika.mustermann@example.org"] and "fertig" in m.body]
    assert len(completed) == 1
    assert f"Neuer Stand: Auskunftssperre eingetragen bis {until.day}. " in completed[0].body


def test_a_rejection_writes_nothing_to_the_register(case, clerk, demo_register):
    case_transition(case=case, to_status=CaseStatus.REJECTED, actor=clerk, reason="Keine Gefahr belegt.")
    assert block_in_register(demo_register, "P-0001") is None
    assert not InformationBlock.objects.exists() and not BlockChange.objects.exists()


def test_a_register_that_does_not_take_the_block_leaves_the_case_open(client, case, clerk, settings):
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    config = settings.RESIDENTS_REGISTER["providers"]["demo"]
    settings.RESIDENTS_REGISTER = {
        **settings.RESIDENTS_REGISTER,
        "providers": {"demo": {**config, "url": "http://127.0.0.1:9"}},
    }
    client.force_login(clerk)
    url = f"/intern/faelle/{case.uuid}/"
    response = client.post(
        url, {"action": "status", "status-to_status": "completed", "status-reason": ""}, HTTP_REFERER=url, follow=True
    )
    assert "Das Melderegister hat die Sperre nicht übernommen" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS
    assert not InformationBlock.objects.exists()


def test_an_application_without_a_register_match_cannot_be_approved_from_the_case_page(case, clerk, demo_register):
    from amtsweg.cases.errors import CaseError

    RegisterSubject.objects.all().delete()
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    with pytest.raises(CaseError, match=r"keine Person im Melderegister|no match in the register"):
        case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    assert block_in_register(demo_register, "P-0001") is None


@pytest.fixture
def approved(case, clerk):
    from amtsweg.catalogue.models import Department

    Department.objects.filter(slug="buergerbuero").update(email="buergerbuero@example.org")
    case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=clerk)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=clerk)
    return InformationBlock.objects.get(case=case)


def reminders():
    return list(
        Notification.objects.filter(
            kind__in=[NotificationKind.BLOCK_REMINDER, NotificationKind.BLOCK_REMINDER_STAFF]
        ).values_list("kind", "to")
    )


def test_the_citizen_and_the_staff_are_reminded_once_each_three_months_before_the_end(approved):
    day_before = approved.remind_on - datetime.timedelta(days=1)
    assert information_block_reminders_send(today=day_before).citizens == 0
    assert reminders() == []

    sent = information_block_reminders_send(today=approved.remind_on)
    assert (sent.citizens, sent.staff) == (1, 1)
    assert sorted(reminders()) == [
        (NotificationKind.BLOCK_REMINDER, "erika.mustermann@example.org"),
        (NotificationKind.BLOCK_REMINDER_STAFF, "buergerbuero@example.org"),
    ]
    note = approved.case.events.get(kind=EventKind.NOTE)
    assert "Verlängerung neue Nachweise" in note.text and not note.visible_to_citizen

    # The job runs every day (and may run twice): no second reminder.
    later = approved.remind_on + datetime.timedelta(days=1)
    assert information_block_reminders_send(today=approved.remind_on) == information_block_reminders_send(today=later)
    assert information_block_reminders_send(today=later).citizens == 0
    assert len(reminders()) == 2


def test_a_block_approved_less_than_three_months_before_its_end_is_reminded_at_once(approved):
    """A reminder missed (the job did not run) goes out on the next run, up to the block's last day."""
    after_the_end = approved.until + datetime.timedelta(days=1)
    assert information_block_reminders_send(today=after_the_end).citizens == 0
    assert information_block_reminders_send(today=approved.until).citizens == 1


@pytest.mark.django_db(transaction=True)
def test_the_reminders_say_that_an_extension_needs_fresh_evidence_and_keep_no_address(approved, run_tasks):
    information_block_reminders_send(today=approved.remind_on)
    mail.outbox.clear()
    run_tasks()
    by_address = {message.to[0]: message for message in mail.outbox}
    citizen, staff = by_address["erika.mustermann@example.org"], by_address["buergerbuero@example.org"]
    assert citizen.subject.startswith("Ihre Auskunftssperre endet am")
    assert "neue Nachweise" in citizen.body and "/antrag/auskunftssperre/" in citizen.body
    assert approved.reference in staff.subject and f"/intern/faelle/{approved.case.uuid}/" in staff.body
    assert reminders() == []


def test_the_housekeeping_job_sends_the_reminders_and_deletes_ended_blocks(approved):
    from amtsweg.residents.services import residents_records_prune

    with_reminder = approved.remind_on
    assert information_block_reminders_send(today=with_reminder).staff == 1
    gone = timezone.make_aware(datetime.datetime.combine(approved.until + datetime.timedelta(days=31), datetime.time()))
    assert residents_records_prune(now=gone)["information_blocks_deleted"] == 1
