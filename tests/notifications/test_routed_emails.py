"""The emails of the other modules go out as the case emails do: a Notification row queued with the change, a
task that carries only the row's uuid, retries while the mail server is down, and sealed data blanked once sent."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.models import Appointment
from amtsweg.appointments.services import appointment_confirm, appointment_hold, appointments_remind, closure_block
from amtsweg.feedback.models import RaffleEntry
from amtsweg.feedback.services import raffle_draw
from amtsweg.notifications.constants import NotificationKind, NotificationStatus
from amtsweg.notifications.models import Notification
from tests.appointments.test_booking import make_office
from tests.feedback.factories import RaffleEntryFactory
from tests.feedback.test_draw import SEED, _closed_campaign

from .checks import assert_tasks_carry_only_notification_uuids

pytestmark = pytest.mark.django_db(transaction=True)  # the task worker checks its connection

EMAIL = "erika@example.org"


def _the(kind: str) -> Notification:
    return Notification.objects.get(kind=kind)


def _first_attempt_failed(kind: str) -> Notification:
    notification = _the(kind)
    assert (notification.status, notification.attempts) == (NotificationStatus.PENDING, 1)
    assert "SMTPServerDisconnected" in notification.last_error
    assert DBTaskResult.objects.filter(status="READY").count() == 1  # the retry, waiting for its time
    return notification


def _retried_after_the_server_is_back(run_tasks, clock_moves_on, mail_server_back):  # type: ignore[no-untyped-def]
    mail_server_back()
    clock_moves_on()
    run_tasks()
    [message] = mail.outbox
    return message


def _next_weekday_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=2)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def test_the_resume_link_goes_through_a_notification_and_is_retried(
    client, forms, demo_register, mail_server_down, mail_server_back, clock_moves_on, run_tasks
):
    from tests.applications.conftest import ABMELDUNG_BASE, log_in_for_abmeldung

    log_in_for_abmeldung(client)
    client.post(ABMELDUNG_BASE)
    assert client.post(f"{ABMELDUNG_BASE}speichern/", {"email": EMAIL}).status_code == 200
    assert_tasks_carry_only_notification_uuids(EMAIL)
    run_tasks()
    notification = _first_attempt_failed(NotificationKind.DRAFT_RESUME_LINK)
    assert notification.draft is not None and notification.to == EMAIL

    message = _retried_after_the_server_is_back(run_tasks, clock_moves_on, mail_server_back)

    assert message.to == [EMAIL] and "/antrag/fortsetzen/" in message.body
    assert _the(NotificationKind.DRAFT_RESUME_LINK).status == NotificationStatus.SENT


def test_the_login_link_is_kept_encrypted_retried_and_forgotten_once_sent(
    client, mail_server_down, mail_server_back, clock_moves_on, run_tasks
):
    client.post("/anmelden/email/start/", {"level": "basic", "next": "/"})
    client.post("/anmelden/email/", {"email": EMAIL})
    notification = _the(NotificationKind.LOGIN_LINK)
    assert notification.sealed and "/anmelden/email/link/" not in notification.sealed
    assert_tasks_carry_only_notification_uuids(EMAIL, "/anmelden/email/link/")
    run_tasks()
    assert _first_attempt_failed(NotificationKind.LOGIN_LINK).sealed == notification.sealed  # the retry needs it

    message = _retried_after_the_server_is_back(run_tasks, clock_moves_on, mail_server_back)

    assert message.to == [EMAIL] and "http://testserver/anmelden/email/link/" in message.body
    assert not Notification.objects.exists()  # the address and the link are gone with the row


def test_the_booking_confirmation_reminder_and_cancellation_go_through_notifications_with_retries(
    mail_server_down, mail_server_back, clock_moves_on, run_tasks
):
    bookable = make_office(counters=1, lead=0)
    start = _next_weekday_at(9)
    hold = appointment_hold(bookable=bookable, start=start, persons=1, name="Erika", email=EMAIL)
    appointment_confirm(appointment=hold)
    assert_tasks_carry_only_notification_uuids(EMAIL)
    run_tasks()
    assert not Notification.objects.filter(kind=NotificationKind.APPOINTMENT_CONFIRM_LINK).exists()  # confirmed
    _first_attempt_failed(NotificationKind.APPOINTMENT_CONFIRMED)
    confirmed = _retried_after_the_server_is_back(run_tasks, clock_moves_on, mail_server_back)
    assert hold.booking_code in confirmed.body and confirmed.attachments[0][0].endswith(".ics")
    mail.outbox.clear()

    assert appointments_remind(now=start - datetime.timedelta(hours=20)) == 1
    run_tasks()
    [reminder] = mail.outbox
    assert "Erinnerung" in reminder.subject and reminder.attachments[0][2] == "text/calendar"
    mail.outbox.clear()

    closure_block(location=bookable.location, starts_at=start, ends_at=start + datetime.timedelta(hours=1),
                  reason="Krankheit", actor=None)  # fmt: skip
    cancellation = _the(NotificationKind.APPOINTMENT_CANCELLED_BY_OFFICE)
    assert cancellation.sealed and "Krankheit" not in cancellation.sealed
    assert_tasks_carry_only_notification_uuids(EMAIL, "Krankheit")
    run_tasks()
    [message] = mail.outbox
    assert "Krankheit" in message.body
    cancellation.refresh_from_db()
    assert (cancellation.status, cancellation.sealed) == (NotificationStatus.SENT, "")


def test_a_confirm_link_the_mail_server_refuses_is_given_up_at_once_and_frees_the_hold(mail_server_down, run_tasks):
    bookable = make_office(counters=1, lead=0)
    hold = appointment_hold(bookable=bookable, start=_next_weekday_at(9), persons=1, name="Erika", email=EMAIL)
    assert_tasks_carry_only_notification_uuids(EMAIL)

    run_tasks()

    notification = _the(NotificationKind.APPOINTMENT_CONFIRM_LINK)
    assert (notification.status, notification.attempts) == (NotificationStatus.FAILED, 1)
    assert not DBTaskResult.objects.filter(status="READY").exists()  # no retry: the place is free again instead
    assert Appointment.objects.get(pk=hold.pk).status == AppointmentStatus.EXPIRED


def test_the_raffle_winner_is_told_through_a_notification_and_marked_only_once_sent(
    mail_server_down, mail_server_back, clock_moves_on, run_tasks
):
    campaign = _closed_campaign(prizes=1)
    RaffleEntryFactory(campaign=campaign, email=EMAIL, language="de")
    [winner] = raffle_draw(campaign=campaign, seed=SEED)
    assert_tasks_carry_only_notification_uuids(EMAIL)
    run_tasks()
    _first_attempt_failed(NotificationKind.RAFFLE_WON)
    assert RaffleEntry.objects.get(pk=winner.pk).notified_at is None

    message = _retried_after_the_server_is_back(run_tasks, clock_moves_on, mail_server_back)

    assert message.to == [EMAIL] and "Sie haben gewonnen" in message.subject
    assert RaffleEntry.objects.get(pk=winner.pk).notified_at is not None
    assert _the(NotificationKind.RAFFLE_WON).raffle_entry_id == winner.pk


def test_a_refused_recipient_is_named_on_the_row_but_not_in_the_log(settings, caplog, run_tasks):
    from .mail_backends import UNREACHABLE_DOMAIN

    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.mail_backends.RecipientRefusingSMTPBackend"}}
    address = f"erika@{UNREACHABLE_DOMAIN}"
    bookable = make_office(counters=1, lead=0)
    appointment_hold(bookable=bookable, start=_next_weekday_at(9), persons=1, name="Erika", email=address)

    run_tasks()

    assert address in _the(NotificationKind.APPOINTMENT_CONFIRM_LINK).last_error
    assert "SMTPRecipientsRefused" in caplog.text and address not in caplog.text
