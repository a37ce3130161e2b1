"""Writes of appointment booking. A hold is decided under the location's policy row lock.

Two people racing for the last place: the second request waits for the first
one's lock, then sees its booking and gets "just taken" with the next free
times. The check and the write happen inside one transaction under that lock,
never as check-then-write across requests.
"""

from __future__ import annotations

import datetime
import secrets
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amtsweg.core.addresses import mailbox_key
from amtsweg.notifications.constants import NotificationKind
from amtsweg.statistics.constants import AppointmentOutcome
from amtsweg.statistics.services import appointment_record_create, appointment_record_outcome

from . import engine, selectors
from .constants import ACTIVE, AppointmentStatus
from .emails import appointment_email_queue, hold_is_live
from .errors import AppointmentError
from .models import Appointment, BookableService, BookingInvitation, BookingPolicy, free_times_changed

if TYPE_CHECKING:
    from amtsweg.cases.models import Case
    from amtsweg.catalogue.models import Location

HOLD_MINUTES = 10
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def _booking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(6))


# --- the anonymous figures (statistics.AppointmentRecord) -------------------------------------------
# An appointment counts as booked when it is confirmed: a hold that runs out or is given back was never
# booked, and a walk-in never booked at all (it has no ``confirmed_at``). The record is written and moved on
# in the caller's transaction, so a rolled back step leaves no figure behind.


def _statistics_booked(appointment: Appointment, *, outcome: str = AppointmentOutcome.BOOKED) -> None:
    """Write the record of an appointment confirmed now and link it; the caller saves ``statistics_record``."""
    record = appointment_record_create(
        service_id=appointment.service_id,
        department_id=appointment.service.department_id,
        location_id=appointment.location_id,
        day=timezone.localdate(appointment.starts_at),
        outcome=outcome,
    )
    appointment.statistics_record = record


def _statistics_outcome(appointment: Appointment, *, outcome: str) -> None:
    """Move the record of a confirmed appointment on to ``outcome``; nothing for one never confirmed."""
    if appointment.statistics_record_id is not None:
        appointment_record_outcome(record_id=appointment.statistics_record_id, outcome=outcome)
    elif appointment.confirmed_at is not None:
        # Confirmed without a record (made in the admin, say): recorded now, so that it still counts.
        _statistics_booked(appointment, outcome=outcome)
        appointment.save(update_fields=["statistics_record"])


def appointment_hold(
    *,
    bookable: BookableService,
    start: datetime.datetime,
    persons: int,
    name: str,
    email: str,
    phone: str = "",
    language: str = "de",
    now: datetime.datetime | None = None,
    replacing: Appointment | None = None,
    case: Case | None = None,
    extras: Sequence[BookableService] = (),
    duration_minutes: int | None = None,
) -> Appointment:
    """Hold ``start`` for 10 minutes, if the rules allow it now. Raises AppointmentError with alternatives.

    With ``replacing`` (a rebooking from the signed link of a confirmed appointment) the new time is
    confirmed at once and the old one cancelled in the same transaction: the citizen never has none.
    ``extras`` are further services at the same place booked with it; ``duration_minutes`` then gives the
    whole booking's length (appointments/scope.py), which defaults to the one service's duration.
    """
    if replacing is None and not selectors.booking_invited(case=case, bookable=bookable):
        # The booking pages refuse it with the citizen's explanation first; this guards every other caller.
        raise AppointmentError(_("This place books this service only with the link of an invited case."), status=403)
    duration = duration_minutes or bookable.duration_minutes
    now = now or timezone.now()
    location = bookable.location
    local_day = timezone.localdate(start)
    excluding = replacing.pk if replacing else None
    # First without the lock, from the committed bookings (cached until they change): a time already taken
    # (most requests in a rush) is answered at once, without queueing for the location's lock. A free time is
    # decided under the lock. A rebooking, whose own old booking would have to be left out, goes to the lock.
    if replacing is None:
        appointment_hold_precheck(
            bookable=bookable,
            policy=BookingPolicy.objects.get(location=location),
            start=start,
            duration=duration,
            persons=persons,
            now=now,
        )
    outermost = not connection.in_atomic_block
    with transaction.atomic():
        if (
            settings.APPOINTMENTS_HOLD_ASYNC_COMMIT
            and outermost
            and replacing is None
            and connection.vendor == "postgresql"
        ):
            # The lock is held until the commit, and waiting for the commit's disk flush was most of the
            # time the next request waited for the lock. A hold is a 10-minute reservation: PostgreSQL may
            # report it committed before its flush (a crash in the next fraction of a second could lose it,
            # never half of it). A rebooking cancels a confirmed appointment and keeps the full wait.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL synchronous_commit TO OFF")
        policy = BookingPolicy.objects.select_for_update().get(location=location)
        earliest = _hold_time_check(policy=policy, start=start, now=now)
        # One person, whichever spelling of their mailbox they type (erika+1@…, e.rika@gmail.com): core/addresses.py
        active = Appointment.objects.filter(
            email_key=mailbox_key(email), service=bookable.service, status__in=ACTIVE, starts_at__gte=now
        ).exclude(status=AppointmentStatus.HELD, hold_expires_at__lte=now)
        if replacing is not None:
            active = active.exclude(pk=replacing.pk)
        if active.count() >= policy.max_active_per_email:
            raise AppointmentError(
                _("You already have an appointment for this service. Cancel or rebook it instead of booking another."),
                bookable=bookable,
            )
        plan = selectors.day_plan(location=location, policy=policy, day=local_day, now=now)
        bookings = selectors.day_bookings(location=location, day=local_day, now=now, excluding=excluding)
        slot = engine.is_free(plan, bookings, start=start, duration=duration, persons=persons, earliest=earliest)
        if slot is None:
            free = engine.free_starts(plan, bookings, duration=duration, persons=persons, earliest=earliest, limit=3)
            raise _taken(bookable=bookable, policy=policy, day=local_day, free=free, duration=duration,
                         persons=persons, now=now)  # fmt: skip
        if replacing is not None:
            old = Appointment.objects.select_for_update().get(pk=replacing.pk)
            if old.status != AppointmentStatus.CONFIRMED:
                raise AppointmentError(_("This appointment is no longer active."), status=410)
            old.status = AppointmentStatus.CANCELLED
            old.save(update_fields=["status"])
            _statistics_outcome(old, outcome=AppointmentOutcome.CANCELLED)
        appointment = Appointment.objects.create(
            booking_code=_booking_code(),
            location=location,
            service=bookable.service,
            starts_at=slot.start,
            ends_at=slot.end,
            counter=slot.counter,
            persons=persons,
            status=AppointmentStatus.CONFIRMED if replacing else AppointmentStatus.HELD,
            hold_expires_at=None if replacing else now + datetime.timedelta(minutes=HOLD_MINUTES),
            confirmed_at=now if replacing else None,
            name=name[:200],
            email=email,
            phone=phone[:40],
            language=language[:8],
            case=case,
        )
        if extras:
            appointment.extra_services.set([extra.service for extra in extras])
        if replacing is not None:  # the rebooking is confirmed at once: booked now
            _statistics_booked(appointment)
            appointment.save(update_fields=["statistics_record"])
        # The emails go out from the task worker (rendering them and talking SMTP took most of a hold's time
        # in the request), queued with this transaction: the confirm link of a hold, or the confirmation of a
        # rebooking. If the confirm link cannot be sent (or not even queued), the hold is given back at once.
        kind = NotificationKind.APPOINTMENT_CONFIRMED if replacing else NotificationKind.APPOINTMENT_CONFIRM_LINK
        appointment_email_queue(appointment=appointment, kind=kind)
        return appointment


def appointment_confirm_link_deliver(*, appointment_uuid: str, now: datetime.datetime | None = None) -> str:
    """Email the confirm link of a live hold now, through its notification.

    Returns "gone" when the hold no longer exists, is no longer held or has run out (nobody could confirm
    it any more); otherwise what ``notification_deliver`` returns: "sent", or "failed" when the mail server
    refused or could not be reached (then the hold is given back at once, so that its place is free again).
    """
    from amtsweg.notifications.services import notification_deliver

    appointment = Appointment.objects.filter(uuid=appointment_uuid).first()
    if appointment is None or not hold_is_live(appointment=appointment, now=now or timezone.now()):
        return "gone"
    notification = appointment.notifications.filter(kind=NotificationKind.APPOINTMENT_CONFIRM_LINK).first()
    return notification_deliver(notification_uuid=str(notification.uuid)) if notification else "gone"


def _hold_time_check(*, policy: BookingPolicy, start: datetime.datetime, now: datetime.datetime) -> datetime.datetime:
    """The policy's rules on time for a hold at ``start``; the earliest bookable start."""
    if not policy.enabled:
        raise AppointmentError(_("Online booking is closed at this location at the moment."))
    earliest, last_day = selectors.booking_window(policy=policy, now=now)
    if start < now:
        raise AppointmentError(_("This time is in the past. Please choose another time."))
    if start < earliest:
        raise AppointmentError(_("This time is too soon to book online. Please choose a later time."))
    if timezone.localdate(start) > last_day:
        raise AppointmentError(_("This day cannot be booked yet. Please choose an earlier day."))
    return earliest


def appointment_hold_precheck(
    *,
    bookable: BookableService,
    policy: BookingPolicy,
    start: datetime.datetime,
    duration: int,
    persons: int,
    now: datetime.datetime,
) -> None:
    """Raise "just taken" with the next free times when the committed bookings leave no room at ``start``.

    Without the lock and from ``selectors.day_free`` (cached under the policy's ``version``; ``policy`` must be
    read fresh, before this). It never books: a time that passes goes on to ``appointment_hold``, which decides
    under the lock. A time refused here was taken when ``policy`` was read; a place freed since then replaces
    the version, so the next request sees it. Times outside the rules on time are left to the locked check,
    which gives their own messages.
    """
    if not policy.enabled or start < now:
        return
    earliest, last_day = selectors.booking_window(policy=policy, now=now)
    day = timezone.localdate(start)
    if start < earliest or day > last_day:
        return
    location = bookable.location
    free = selectors.day_free(location=location, policy=policy, day=day, duration=duration, persons=persons, now=now)
    if any(slot.start == start for slot in free):
        return
    raise _taken(bookable=bookable, policy=policy, day=day, free=[slot for slot in free if slot.start >= earliest],
                 duration=duration, persons=persons, now=now)  # fmt: skip


def _taken(
    *,
    bookable: BookableService,
    policy: BookingPolicy,
    day: datetime.date,
    free: Sequence[engine.Slot],
    duration: int,
    persons: int,
    now: datetime.datetime,
) -> AppointmentError:
    alternatives = selectors.next_free_after(
        location=bookable.location, policy=policy, day=day, free_that_day=free, duration=duration, persons=persons,
        now=now,
    )  # fmt: skip
    return AppointmentError(
        _("This time has just been taken or is not available. Here are the next free times."),
        status=409,
        alternatives=alternatives,
        bookable=bookable,
    )


def appointment_confirm(*, appointment: Appointment, now: datetime.datetime | None = None) -> Appointment:
    """The double opt-in: the emailed link turns a live hold into an appointment. Idempotent."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status == AppointmentStatus.CONFIRMED:
            return locked
        if locked.status != AppointmentStatus.HELD or (locked.hold_expires_at and locked.hold_expires_at <= now):
            raise AppointmentError(_("This reservation has expired. Please book a new time."), status=410)
        locked.status = AppointmentStatus.CONFIRMED
        locked.confirmed_at = now
        locked.hold_expires_at = None
        _statistics_booked(locked)
        locked.save(update_fields=["status", "confirmed_at", "hold_expires_at", "statistics_record"])
        appointment_email_queue(appointment=locked, kind=NotificationKind.APPOINTMENT_CONFIRMED)
        return locked


def appointment_cancel(*, appointment: Appointment, by: object = None) -> Appointment:
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().get(pk=appointment.pk)
        if locked.status not in ACTIVE:
            raise AppointmentError(_("This appointment is no longer active."), status=410)
        locked.status = AppointmentStatus.CANCELLED
        locked.save(update_fields=["status"])
        _statistics_outcome(locked, outcome=AppointmentOutcome.CANCELLED)
        return locked


def appointments_cancel_for_case(*, case: Any, actor: Any, now: datetime.datetime | None = None) -> list[Appointment]:
    """Cancel the case's appointments still to come (held or confirmed), because the office no longer needs
    them: their places are free again. The caller tells the citizen (the case's message). Returns them."""
    now = now or timezone.now()
    with transaction.atomic():
        cancelled = list(
            Appointment.objects.select_for_update()
            .filter(case=case, status__in=(AppointmentStatus.HELD, AppointmentStatus.CONFIRMED), starts_at__gt=now)
            .select_related("location")
            .order_by("starts_at")
        )
        for appointment in cancelled:
            appointment.status = AppointmentStatus.CANCELLED
            appointment.cancelled_by = actor if getattr(actor, "is_authenticated", False) else None
            appointment.save(update_fields=["status", "cancelled_by"])
            _statistics_outcome(appointment, outcome=AppointmentOutcome.CANCELLED)
    return cancelled


def booking_invite(*, case: Any, location: str, service: str, actor: Any) -> str:
    """Invite the citizen of ``case`` to book ``service`` at ``location``: the case's booking link (returned,
    as a path) works there even where the place keeps its times for invited cases
    (``BookableService.case_link_only``), and the case's status page offers it. Idempotent."""
    from django.urls import reverse

    from .tokens import case_token

    bookable = selectors.bookable_open(location=location, service=service)
    if bookable is None:
        raise AppointmentError(_("This place takes no online bookings for this service."))
    BookingInvitation.objects.get_or_create(case=case, bookable=bookable, defaults={"created_by": actor})
    return reverse("appointments:times", args=[location, service]) + f"?vorgang={case_token(case=case)}"


def holds_expire(*, now: datetime.datetime | None = None) -> int:
    """Unconfirmed holds past their 10 minutes free their slot (they already count as free; this tidies up)."""
    now = now or timezone.now()
    return Appointment.objects.filter(status=AppointmentStatus.HELD, hold_expires_at__lte=now).update(
        status=AppointmentStatus.EXPIRED
    )


def appointments_remind(*, now: datetime.datetime | None = None) -> int:
    """Email the reminder for confirmed appointments starting within the next 24 hours, once each."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        status=AppointmentStatus.CONFIRMED,
        reminded_at__isnull=True,
        starts_at__gt=now,
        starts_at__lte=now + datetime.timedelta(hours=24),
    )
    sent = 0
    for appointment in due.select_related("location", "service"):
        with transaction.atomic():
            claimed = Appointment.objects.filter(pk=appointment.pk, reminded_at__isnull=True).update(reminded_at=now)
            if claimed:
                appointment_email_queue(appointment=appointment, kind=NotificationKind.APPOINTMENT_REMINDER)
                sent += 1
    return sent


# --- staff: the day at a location ------------------------------------------------------------------


def _staff_may(actor: object, appointment: Appointment) -> None:
    from amtsweg.cases.selectors import case_department_ids

    allowed = case_department_ids(user=actor)
    if allowed is not None and appointment.location.department_id not in allowed:
        raise AppointmentError(_("You may only work on appointments of your own departments."), status=403)


def _staff_step(
    *,
    appointment: Appointment,
    actor: object,
    required: str,
    refusal: str,
    changes: dict[str, object],
    outcome: str | None = None,
) -> Appointment:
    """One step of the day at the counter: under the appointment's lock, the actor's department and the
    ``required`` state are checked (``refusal`` otherwise), then ``changes`` are saved and the anonymous
    record moved on to ``outcome`` (if given)."""
    with transaction.atomic():
        locked = Appointment.objects.select_for_update().select_related("location").get(pk=appointment.pk)
        _staff_may(actor, locked)
        if locked.status != required:
            raise AppointmentError(refusal, status=409)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changes))
        if outcome is not None:
            _statistics_outcome(locked, outcome=outcome)
        return locked


def appointment_check_in(
    *, appointment: Appointment, actor: object, now: datetime.datetime | None = None
) -> Appointment:
    """The citizen has arrived: they now wait to be called."""
    return _staff_step(
        appointment=appointment,
        actor=actor,
        required=AppointmentStatus.CONFIRMED,
        refusal=_("Only a confirmed appointment can be checked in."),
        changes={"status": AppointmentStatus.CHECKED_IN, "checked_in_at": now or timezone.now()},
        outcome=AppointmentOutcome.KEPT,
    )


def appointment_no_show(*, appointment: Appointment, actor: object) -> Appointment:
    return _staff_step(
        appointment=appointment,
        actor=actor,
        required=AppointmentStatus.CONFIRMED,
        refusal=_("Only a confirmed appointment can be marked as not attended."),
        changes={"status": AppointmentStatus.NO_SHOW},
        outcome=AppointmentOutcome.NO_SHOW,
    )


def appointment_call(*, appointment: Appointment, actor: object, now: datetime.datetime | None = None) -> Appointment:
    """Call a checked-in citizen to their counter; the call display shows the booking code."""
    return _staff_step(
        appointment=appointment,
        actor=actor,
        required=AppointmentStatus.CHECKED_IN,
        refusal=_("Only a checked-in citizen can be called."),
        changes={"called_at": now or timezone.now()},
    )


def appointment_done(*, appointment: Appointment, actor: object) -> Appointment:
    return _staff_step(
        appointment=appointment,
        actor=actor,
        required=AppointmentStatus.CHECKED_IN,
        refusal=_("Only a checked-in citizen can be finished."),
        changes={"status": AppointmentStatus.DONE},
        # Kept since the check-in already; said again for a record made before that was done.
        outcome=AppointmentOutcome.KEPT,
    )


def closure_block(
    *, location: Location, starts_at: datetime.datetime, ends_at: datetime.datetime, reason: str, actor: Any
) -> list[Appointment]:
    """Block a time range (an absence, a closure): no new bookings, and the appointments in it are cancelled
    and their citizens told, with a link to choose a new time. Returns the cancelled appointments."""
    from .models import Closure

    if not starts_at < ends_at:
        raise AppointmentError(_("The end must be after the start."))
    reason = (reason or "").strip()[:200]
    with transaction.atomic():
        BookingPolicy.objects.select_for_update().get(location=location)
        Closure.objects.create(location=location, kind="absence", starts_at=starts_at, ends_at=ends_at, reason=reason)
        affected = list(
            Appointment.objects.select_for_update()
            .filter(location=location, status__in=ACTIVE, starts_at__lt=ends_at, ends_at__gt=starts_at)
            .select_related("location", "service")
        )
        for appointment in affected:
            appointment.status = AppointmentStatus.CANCELLED
            appointment.cancelled_by = actor if getattr(actor, "is_authenticated", False) else None
            appointment.save(update_fields=["status", "cancelled_by"])
            _statistics_outcome(appointment, outcome=AppointmentOutcome.CANCELLED)
            appointment_email_queue(
                appointment=appointment, kind=NotificationKind.APPOINTMENT_CANCELLED_BY_OFFICE, reason=reason
            )
    return affected


def appointment_walk_in(
    *, bookable: BookableService, persons: int, actor: object, now: datetime.datetime | None = None
) -> Appointment:
    """Someone came without an appointment: they get a booking code to be called by and count in the waiting
    room at once. They take the lowest counter free for their service's duration, or wait for counter 1.

    A walk-in was never booked: it gets no anonymous appointment record (the figures count appointments
    booked ahead, and what became of them), and none when it is done."""
    now = now or timezone.now()
    if not 1 <= persons <= 10:
        raise AppointmentError(_("Enter between 1 and 10 persons."))
    location = bookable.location
    with transaction.atomic():
        policy = BookingPolicy.objects.select_for_update().get(location=location)
        _staff_may(actor, Appointment(location=location))
        day = timezone.localdate(now)
        plan = selectors.day_plan(location=location, policy=policy, day=day, now=now)
        end = now + datetime.timedelta(minutes=bookable.duration_minutes)
        counter = engine.free_counter(plan, selectors.day_bookings(location=location, day=day, now=now), now, end)
        return Appointment.objects.create(
            booking_code=_booking_code(),
            location=location,
            service=bookable.service,
            starts_at=now,
            ends_at=end,
            counter=max(counter, 0),
            persons=persons,
            status=AppointmentStatus.CHECKED_IN,
            checked_in_at=now,
            name=_("Walk-in"),
            email="",
            language="de",
        )


def appointment_release(*, appointment: Appointment) -> None:
    """Give a hold back at once (e.g. its confirm email could not be sent), so the citizen can try again."""
    with transaction.atomic():
        if Appointment.objects.filter(pk=appointment.pk, status=AppointmentStatus.HELD).update(
            status=AppointmentStatus.EXPIRED
        ):
            free_times_changed(location_id=appointment.location_id)
