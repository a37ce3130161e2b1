"""From the case to the decision: an i-Kfz application is recorded when its case opens, sent to the demo vehicle
registry over HTTP, and its decision recorded once; a registry that does not answer keeps it, and the task, the
sweep or staff send it again, so it is never lost."""

import datetime
import json
import logging

import pytest
from django.test import RequestFactory
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amtsweg.applications.after_sending import after_sending_hooks, redirect_after_sending
from amtsweg.cases.constants import CaseStatus, EventKind
from amtsweg.vehicles import services
from amtsweg.vehicles.constants import (
    PROVISIONAL_PROOF_DAYS,
    ApplicationState,
    DispatchStatus,
    Office,
    ReasonCode,
    Transaction,
)
from amtsweg.vehicles.ikfz.base import Reason
from amtsweg.vehicles.models import VehicleApplication
from amtsweg.vehicles.tasks import vehicles_sweep_task

from .cases import (
    DEREGISTRATION_SERVICE,
    GOLF_OFF_ROAD,
    LENA,
    NEW_ID3,
    NEW_REGISTRATION_SERVICE,
    OCTAVIA_OFF_ROAD,
    vehicle_case,
)

pytestmark = pytest.mark.django_db(transaction=True)

SEND_TASK = "vehicle_application_send_task"


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Generated files, and the demo seal's key for the proof an approval issues, in the test's own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"


@pytest.fixture
def clock_moves_on():
    """Make the tasks that wait for a later time due now, as if the minutes had passed; returns how many."""

    def move() -> int:
        return DBTaskResult.objects.filter(status="READY", run_after__gt=timezone.now()).update(
            run_after=timezone.now()
        )

    return move


def application_of(case) -> VehicleApplication:
    return VehicleApplication.objects.get(case=case)


def registry_applications(server) -> dict:
    return server.read()["applications"]


def send_tasks():
    return DBTaskResult.objects.filter(task_path__endswith=SEND_TASK)


# --- opening: recorded, queued, nothing sent -----------------------------------------------------------------


def test_opening_a_case_records_the_application_and_queues_its_sending_without_calling_the_registry(
    kassel, demo_vehicle_registry_server
):
    case = vehicle_case(DEREGISTRATION_SERVICE, reserve_plate=True, **GOLF_OFF_ROAD)
    application = application_of(case)
    assert application.transaction == Transaction.DEREGISTRATION
    assert application.office == Office.KASSEL
    assert application.state == ApplicationState.TO_SEND and application.attempts == 0
    assert registry_applications(demo_vehicle_registry_server) == {}
    task = send_tasks().get()
    assert task.args_kwargs == {"args": [], "kwargs": {"case_uuid": str(case.uuid)}}


def test_opening_again_keeps_the_one_application_and_queues_nothing_more(kassel, demo_vehicle_registry):
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    again = services.vehicle_application_open(case=case)
    assert again == application_of(case)
    assert VehicleApplication.objects.count() == 1 and send_tasks().count() == 1


def test_the_office_follows_the_keepers_address(kassel, demo_vehicle_registry):
    case = vehicle_case(DEREGISTRATION_SERVICE, person=LENA, plate="KS-LS 690")
    assert application_of(case).office == Office.HOFGEISMAR


def test_an_address_outside_the_district_goes_to_kassel_with_a_note_for_staff(kassel, demo_vehicle_registry):
    elsewhere = {**LENA, "address": {"street": "Weender Str.", "number": "1", "postcode": "37073", "town": "Göttingen"}}
    case = vehicle_case(DEREGISTRATION_SERVICE, person=elsewhere, plate="KS-LS 690")
    assert application_of(case).office == Office.KASSEL
    assert case.events.filter(kind=EventKind.NOTE, text__contains="Kassel").exists()


def test_the_application_sent_holds_the_key_the_keeper_and_only_the_items_given(kassel, demo_vehicle_registry):
    case = vehicle_case(
        DEREGISTRATION_SERVICE,
        reserve_plate=False,
        recycling_date="2026-11-30",
        recycling_company="",
        scrapped=True,
        **GOLF_OFF_ROAD,
    )
    sent = services.application_from_case(application=application_of(case))
    assert sent.key == str(case.submission.uuid) and sent.reference == case.reference
    assert sent.keeper.family_name == "Mustermann" and sent.keeper.house_number == "12"
    assert sent.keeper.birth_date == datetime.date(1984, 8, 12)
    assert dict(sent.items) == {**GOLF_OFF_ROAD, "reserve_plate": False, "recycling_date": "2026-11-30"}


# --- the registry decides at once ----------------------------------------------------------------------------


def test_a_deregistration_is_approved_at_once_and_completes_the_case_with_the_plate(
    kassel, demo_vehicle_registry_server, run_tasks
):
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    run_tasks()
    application = application_of(case)
    assert application.state == ApplicationState.APPROVED and application.attempts == 1
    assert application.number.startswith("KS-IKFZ-") and application.plate == "KS-EM 812"
    assert application.decided_at is not None and application.valid_until is None
    assert application.dispatch == DispatchStatus.NONE  # nothing to post for a deregistration
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    completion = case.events.filter(kind=EventKind.STATUS, to_status=CaseStatus.COMPLETED).get()
    assert "KS-EM 812" in completion.text and application.number in completion.text
    assert demo_vehicle_registry_server.read()["vehicles"]["V-0001"]["status"] == "off_road"


def test_a_new_registration_is_approved_with_ten_days_of_proof_and_queued_for_posting(
    kassel, demo_vehicle_registry, run_tasks
):
    case = vehicle_case(NEW_REGISTRATION_SERVICE, **NEW_ID3)
    run_tasks()
    application = application_of(case)
    assert application.state == ApplicationState.APPROVED and application.plate.startswith("KS-")
    decided_on = timezone.localdate(application.decided_at)
    assert application.valid_until == decided_on + datetime.timedelta(days=PROVISIONAL_PROOF_DAYS)
    assert application.dispatch == DispatchStatus.QUEUED
    case.refresh_from_db()
    assert case.status == CaseStatus.IN_PROGRESS  # the posting completes it


def test_an_approval_reaches_the_citizen_in_one_email_each(kassel, demo_vehicle_registry, run_tasks):
    """The registration's "you may drive" message is the one email (the move to "in progress" adds none);
    the deregistration's completion is the one email (the step through "in progress" adds none)."""
    from amtsweg.notifications.models import Notification

    registration = vehicle_case(NEW_REGISTRATION_SERVICE, **NEW_ID3)
    deregistration = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    run_tasks()
    for case, kind in ((registration, "case_message"), (deregistration, "case_completed")):
        sent = Notification.objects.filter(case=case)
        emails = sent.exclude(kind__in=["submission_confirmation", "payment_received"])
        assert [email.kind for email in emails] == [kind], case.service.slug


def test_a_refusal_rejects_the_case_saying_why_and_what_to_do_in_german(kassel, demo_vehicle_registry, run_tasks):
    case = vehicle_case(DEREGISTRATION_SERVICE, **{**GOLF_OFF_ROAD, "seal_front": "A7K"})  # case-sensitive
    run_tasks()
    application = application_of(case)
    assert application.state == ApplicationState.REFUSED
    assert [(r["code"], r["item"]) for r in application.reasons] == [(ReasonCode.CODE_WRONG, "seal_front")]
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    text = case.rejection_reason
    assert text.startswith("Die Kfz-Zulassungsstelle konnte Ihren Antrag nicht online genehmigen.")
    assert "Ein Sicherheitscode, den Sie eingegeben haben, stimmt nicht:" in text
    assert "Zulassungsstelle in Kassel" in text and "/leistungen/kfz-ausserbetriebsetzung/" in text


def test_a_refusal_speaks_the_citizens_language(kassel, demo_vehicle_registry, run_tasks):
    case = vehicle_case(
        DEREGISTRATION_SERVICE, language="en", plate="KS-EM 99", zb1_code="Aa2Bb3C", seal_front="a7K", seal_rear="Rt3"
    )  # V-0003: registered in 2012
    run_tasks()
    case.refresh_from_db()
    assert case.status == CaseStatus.REJECTED
    text = case.rejection_reason
    assert text.startswith("The vehicle registration office could not approve your application online.")
    assert "last registered before 1 January 2015" in text
    assert "vehicle registration office in Kassel" in text and "/en/leistungen/kfz-ausserbetriebsetzung/" in text


def test_a_reason_the_portal_does_not_know_is_given_in_the_registrys_own_words():
    unknown = Reason(code="XK-4711", text="Die Steuerbehörde hat Einwände.")
    assert services.reason_sentence(reason=unknown) == "Die Steuerbehörde hat Einwände."
    assert services.reason_sentence(reason=Reason(code=ReasonCode.PLATE_TAKEN)) == (
        "Das gewünschte Kennzeichen ist nicht verfügbar."
    )


def test_a_referral_waits_for_staff_with_a_note_and_the_case_stays_received(kassel, demo_vehicle_registry, run_tasks):
    case = vehicle_case(DEREGISTRATION_SERVICE, **OCTAVIA_OFF_ROAD)
    run_tasks()
    application = application_of(case)
    assert application.state == ApplicationState.REVIEW and application.number
    assert [r["code"] for r in application.reasons] == [ReasonCode.MANUAL]
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    assert case.events.filter(kind=EventKind.NOTE).count() == 1  # the referral, with its reason


def test_sending_a_decided_application_again_changes_and_sends_nothing(kassel, demo_vehicle_registry_server, run_tasks):
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    run_tasks()
    events = case.events.count()
    application = application_of(case)
    assert services.vehicle_application_send(application=application) == services.SendOutcome.DECIDED
    assert vehicles_sweep_task.call() == {"sent": 0, "review": 0, "unavailable": 0, "busy": 0, "left": 0}
    assert application_of(case).attempts == 1 and case.events.count() == events
    assert len(registry_applications(demo_vehicle_registry_server)) == 1


def test_a_lost_answer_sent_again_gets_the_first_decision_and_is_recorded_once(
    kassel, demo_vehicle_registry_server, run_tasks
):
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    run_tasks()
    first = application_of(case)
    # As if the answer had been lost: the application is to send again, the registry has decided it.
    VehicleApplication.objects.filter(pk=first.pk).update(state=ApplicationState.TO_SEND, number="")
    assert services.vehicle_application_send(application=first) == ApplicationState.APPROVED
    again = application_of(case)
    assert again.number == first.number and again.attempts == 2
    assert len(registry_applications(demo_vehicle_registry_server)) == 1
    assert case.events.filter(kind=EventKind.STATUS, to_status=CaseStatus.COMPLETED).count() == 1


# --- a registry that does not answer: kept, tried again, never lost ------------------------------------------


def test_a_registry_that_is_down_keeps_the_application_and_the_task_tries_again_later(
    kassel, demo_vehicle_registry_server, run_tasks, clock_moves_on
):
    demo_vehicle_registry_server.stop()
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    run_tasks()
    application = application_of(case)
    assert application.state == ApplicationState.UNAVAILABLE and application.attempts == 1
    assert application.last_error.startswith("RegistryUnavailable")
    retry = send_tasks().get(status="READY")
    assert retry.args_kwargs["kwargs"] == {"case_uuid": str(case.uuid)}
    assert retry.run_after - timezone.now() > datetime.timedelta(seconds=30)  # after a minute
    assert not send_tasks().filter(status="FAILED").exists()

    demo_vehicle_registry_server.start()
    assert clock_moves_on() == 1
    run_tasks()
    application = application_of(case)
    assert application.state == ApplicationState.APPROVED and application.attempts == 2
    assert application.last_error == ""
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert len(registry_applications(demo_vehicle_registry_server)) == 1


def test_after_the_last_attempt_staff_are_told_and_the_sweep_sends_it_once_the_registry_is_back(
    kassel, demo_vehicle_registry_server, run_tasks, clock_moves_on, settings
):
    settings.VEHICLE_REGISTRY = {**settings.VEHICLE_REGISTRY, "retry_minutes": [1, 5]}
    demo_vehicle_registry_server.stop()
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    run_tasks()
    for _retry in range(2):
        assert clock_moves_on() == 1
        run_tasks()
    assert clock_moves_on() == 0  # bounded: no task is left
    application = application_of(case)
    assert application.state == ApplicationState.UNAVAILABLE and application.attempts == 3
    assert case.events.filter(kind=EventKind.NOTE, text__contains="3").count() == 1
    # The registry is still down: the sweep tries once and leaves it.
    assert vehicles_sweep_task.call()["unavailable"] == 1
    assert application_of(case).state == ApplicationState.UNAVAILABLE

    demo_vehicle_registry_server.start()
    assert vehicles_sweep_task.call() == {"sent": 1, "review": 0, "unavailable": 0, "busy": 0, "left": 0}
    application = application_of(case)
    assert application.state == ApplicationState.APPROVED and application.attempts == 5
    assert len(registry_applications(demo_vehicle_registry_server)) == 1


def test_the_sweep_sends_an_application_no_worker_ever_took(kassel, demo_vehicle_registry):
    case = vehicle_case(NEW_REGISTRATION_SERVICE, **NEW_ID3)
    assert vehicles_sweep_task.call()["sent"] == 1
    assert application_of(case).state == ApplicationState.APPROVED


def test_the_sweep_stops_at_a_registry_that_is_down_and_leaves_the_rest_for_the_next_run(
    kassel, demo_vehicle_registry_server
):
    demo_vehicle_registry_server.stop()
    cases = [vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD), vehicle_case(NEW_REGISTRATION_SERVICE, **NEW_ID3)]
    assert vehicles_sweep_task.call() == {"sent": 0, "review": 0, "unavailable": 1, "busy": 0, "left": 1}
    assert [application_of(case).state for case in cases] == [ApplicationState.UNAVAILABLE, ApplicationState.TO_SEND]


def test_a_stale_claim_is_taken_over_and_a_fresh_one_is_left_alone(kassel, demo_vehicle_registry, settings):
    fresh, stale = (
        vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD),
        vehicle_case(NEW_REGISTRATION_SERVICE, **NEW_ID3),
    )
    now = timezone.now()
    long_ago = now - datetime.timedelta(seconds=settings.VEHICLE_REGISTRY["claim_seconds"] + 5)
    VehicleApplication.objects.filter(case=fresh).update(state=ApplicationState.SENDING, attempts=1, claimed_at=now)
    VehicleApplication.objects.filter(case=stale).update(
        state=ApplicationState.SENDING, attempts=1, claimed_at=long_ago
    )
    busy = application_of(fresh)
    assert services.vehicle_application_send(application=busy) == services.SendOutcome.BUSY
    assert vehicles_sweep_task.call()["sent"] == 1  # only the stale one is due
    assert application_of(fresh).state == ApplicationState.SENDING
    taken_over = application_of(stale)
    assert taken_over.state == ApplicationState.APPROVED and taken_over.attempts == 2


def test_no_task_carries_personal_data(kassel, demo_vehicle_registry_server, run_tasks, clock_moves_on):
    demo_vehicle_registry_server.stop()
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    run_tasks()
    demo_vehicle_registry_server.start()
    clock_moves_on()
    run_tasks()
    personal = ["Erika", "Mustermann", "1984-08-12", "Friedrich-Ebert", "KS-EM 812", "K4mT7pX", "a7K", "Rt3"]
    personal.append(case.reference)
    rows = list(send_tasks())
    assert len(rows) == 2
    for row in rows:
        stored = json.dumps([row.args_kwargs, row.return_value], ensure_ascii=False)
        assert [value for value in personal if value in stored] == []


def test_nothing_personal_is_logged_when_the_registry_is_down(kassel, demo_vehicle_registry_server, run_tasks, caplog):
    demo_vehicle_registry_server.stop()
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    with caplog.at_level(logging.INFO, logger="amtsweg.vehicles"):
        run_tasks()
    logged = " ".join(record.getMessage() for record in caplog.records if record.name.startswith("amtsweg.vehicles"))
    assert "unavailable" in logged
    assert [value for value in ("Erika", "Mustermann", "KS-EM 812", case.reference) if value in logged] == []


# --- right after sending: the citizen's own request sends it ---------------------------------------------------


def _after_sending(submission):
    request = RequestFactory().get("/")
    return redirect_after_sending(request, submission)


def test_after_sending_the_application_goes_out_at_once_so_the_confirmation_shows_the_decision(
    kassel, demo_vehicle_registry
):
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    response = _after_sending(case.submission)
    assert response.status_code == 302 and str(case.submission.uuid) in response["Location"]
    assert application_of(case).state == ApplicationState.APPROVED


def test_after_sending_with_the_registry_down_still_redirects_and_leaves_it_to_the_task(
    kassel, demo_vehicle_registry_server, run_tasks
):
    demo_vehicle_registry_server.stop()
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    assert _after_sending(case.submission).status_code == 302
    assert application_of(case).state == ApplicationState.UNAVAILABLE
    run_tasks()  # the queued task tries again and plans its own retry
    assert send_tasks().filter(status="READY").count() == 1


def test_a_failing_after_sending_hook_never_breaks_the_redirect(kassel, demo_vehicle_registry, caplog):
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)

    def broken(*, submission):
        raise RuntimeError("boom")

    after_sending_hooks.add(DEREGISTRATION_SERVICE, broken)
    try:
        with caplog.at_level(logging.ERROR, logger="amtsweg.applications.after_sending"):
            response = _after_sending(case.submission)
    finally:
        after_sending_hooks.remove(DEREGISTRATION_SERVICE, broken)
    assert response.status_code == 302
    assert "failed for submission" in caplog.text
    assert application_of(case).state == ApplicationState.APPROVED  # the other hook still ran
