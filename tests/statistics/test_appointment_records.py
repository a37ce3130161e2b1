"""Each confirmed appointment leaves an anonymous record of its service, place, day and outcome, which outlives
the appointment and its case; holds that were never confirmed and walk-ins leave none."""

import datetime

import pytest
from django.apps import apps
from django.utils import timezone

from amtsweg.appointments.errors import AppointmentError
from amtsweg.appointments.models import Appointment
from amtsweg.appointments.services import (
    appointment_cancel,
    appointment_check_in,
    appointment_confirm,
    appointment_done,
    appointment_hold,
    appointment_no_show,
    appointment_walk_in,
    appointments_cancel_for_case,
    closure_block,
    holds_expire,
)
from amtsweg.cases.constants import CaseStatus
from amtsweg.cases.models import ProcessingRule
from amtsweg.cases.retention import retention_run
from amtsweg.statistics.constants import AppointmentOutcome
from amtsweg.statistics.models import AppointmentRecord
from amtsweg.statistics.selectors import appointment_figures
from tests.accounts.factories import StaffFactory
from tests.appointments.test_booking import DAY, NOW, at, hold, make_office
from tests.cases.factories import CaseFactory
from tests.catalogue.factories import ServiceFactory
from tests.statistics.factories import AppointmentRecordFactory

pytestmark = pytest.mark.django_db

# Every column of the record: what an appointment was for, where, on which day, and what became of it. A new
# column must be added here on purpose, after checking that it cannot point to a person.
ALLOWED_COLUMNS = {"id", "service", "department", "location", "day", "outcome"}


@pytest.fixture
def bookable():
    return make_office()


@pytest.fixture
def staff(bookable):
    return StaffFactory(departments=[bookable.location.department])


def confirmed(bookable, hour=9, email="erika@example.org"):
    return appointment_confirm(appointment=hold(bookable, at(DAY, hour), email=email), now=NOW)


def record_of(appointment) -> AppointmentRecord:
    appointment.refresh_from_db()
    assert appointment.statistics_record_id is not None
    return AppointmentRecord.objects.get(pk=appointment.statistics_record_id)


def test_confirming_an_appointment_records_it_as_booked_without_the_person(bookable):
    appointment = confirmed(bookable)
    record = record_of(appointment)
    assert record.outcome == AppointmentOutcome.BOOKED
    assert record.service == bookable.service
    assert record.department == bookable.service.department
    assert record.location == bookable.location
    assert record.day == timezone.localdate(appointment.starts_at) == DAY


def test_confirming_twice_records_the_appointment_once(bookable):
    appointment = confirmed(bookable)
    appointment_confirm(appointment=appointment, now=NOW)
    assert AppointmentRecord.objects.count() == 1


def test_a_hold_is_not_booked_until_it_is_confirmed(bookable):
    hold(bookable, at(DAY, 9))
    assert not AppointmentRecord.objects.exists()


def test_an_expired_hold_leaves_no_record(bookable):
    held = hold(bookable, at(DAY, 9))
    later = NOW + datetime.timedelta(minutes=11)
    assert holds_expire(now=later) == 1
    with pytest.raises(AppointmentError):
        appointment_confirm(appointment=held, now=later)
    assert not AppointmentRecord.objects.exists()


def test_a_hold_cancelled_before_confirmation_leaves_no_record(bookable):
    appointment_cancel(appointment=hold(bookable, at(DAY, 9)))
    assert not AppointmentRecord.objects.exists()


def test_checking_in_records_the_appointment_as_kept_and_done_keeps_it(bookable, staff):
    appointment = confirmed(bookable)
    appointment_check_in(appointment=appointment, actor=staff)
    assert record_of(appointment).outcome == AppointmentOutcome.KEPT
    appointment_done(appointment=appointment, actor=staff)
    assert record_of(appointment).outcome == AppointmentOutcome.KEPT


def test_a_no_show_is_recorded(bookable, staff):
    appointment = confirmed(bookable)
    appointment_no_show(appointment=appointment, actor=staff)
    assert record_of(appointment).outcome == AppointmentOutcome.NO_SHOW


def test_cancelling_a_confirmed_appointment_records_it_as_cancelled(bookable):
    appointment = confirmed(bookable)
    appointment_cancel(appointment=appointment)
    assert record_of(appointment).outcome == AppointmentOutcome.CANCELLED


def test_a_rebooking_cancels_the_old_record_and_books_a_new_one(bookable):
    old = confirmed(bookable)
    new = appointment_hold(
        bookable=bookable, start=at(DAY, 10), persons=1, name="Erika", email="erika@example.org", now=NOW, replacing=old
    )
    assert record_of(old).outcome == AppointmentOutcome.CANCELLED
    assert record_of(new).outcome == AppointmentOutcome.BOOKED
    assert AppointmentRecord.objects.count() == 2


def test_the_office_cancelling_for_a_case_or_a_closure_records_cancelled(bookable, staff):
    case = CaseFactory()
    for_case = confirmed(bookable, hour=9, email="a@example.org")
    Appointment.objects.filter(pk=for_case.pk).update(case=case)
    in_closure = confirmed(bookable, hour=11, email="b@example.org")
    appointments_cancel_for_case(case=case, actor=staff, now=NOW)
    closure_block(location=bookable.location, starts_at=at(DAY, 11), ends_at=at(DAY, 12), reason="", actor=staff)
    assert record_of(for_case).outcome == AppointmentOutcome.CANCELLED
    assert record_of(in_closure).outcome == AppointmentOutcome.CANCELLED


def test_a_walk_in_was_never_booked_and_leaves_no_record(bookable, staff):
    walk_in = appointment_walk_in(bookable=bookable, persons=1, actor=staff, now=NOW)
    appointment_done(appointment=walk_in, actor=staff)
    assert not AppointmentRecord.objects.exists()


def test_a_confirmed_appointment_without_a_record_is_recorded_at_its_outcome(bookable, staff):
    appointment = confirmed(bookable)
    Appointment.objects.filter(pk=appointment.pk).update(statistics_record=None)
    AppointmentRecord.objects.all().delete()
    appointment_no_show(appointment=appointment, actor=staff)
    assert record_of(appointment).outcome == AppointmentOutcome.NO_SHOW


def test_the_record_outlives_the_deleted_appointment(bookable, staff):
    appointment = confirmed(bookable)
    appointment_check_in(appointment=appointment, actor=staff)
    record = record_of(appointment)
    appointment.delete()
    record.refresh_from_db()
    assert record.outcome == AppointmentOutcome.KEPT


def test_the_record_outlives_the_retention_of_the_appointments_case(bookable):
    case = CaseFactory(status=CaseStatus.COMPLETED, closed_at=timezone.now() - datetime.timedelta(days=40))
    ProcessingRule.objects.create(service=case.service, valid_from=datetime.date(2020, 1, 1), retention_days=30)
    appointment = confirmed(bookable)
    Appointment.objects.filter(pk=appointment.pk).update(case=case)
    record = record_of(appointment)
    assert retention_run().cases_deleted == 1
    record.refresh_from_db()
    assert record.outcome == AppointmentOutcome.BOOKED
    assert AppointmentRecord.objects.count() == 1


def test_the_record_has_only_allowed_columns():
    columns = {field.name for field in AppointmentRecord._meta.get_fields() if field.concrete}
    assert columns == ALLOWED_COLUMNS, "a new column of the anonymous record must not point to a person"
    # Nothing leads from the record back to the appointment, its case or a person.
    assert not [field for field in AppointmentRecord._meta.get_fields() if field.is_relation and not field.concrete]


def test_the_migration_records_the_appointments_confirmed_before_it(bookable):
    from importlib import import_module

    migration = import_module("amtsweg.appointments.migrations.0009_statistics_records_for_past_appointments")
    statuses = ["confirmed", "checked_in", "done", "no_show", "cancelled"]
    for hour, status in enumerate(statuses, start=8):
        Appointment.objects.create(
            booking_code=f"PAST{hour}", location=bookable.location, service=bookable.service, starts_at=at(DAY, hour),
            ends_at=at(DAY, hour, 15), counter=0, status=status, confirmed_at=NOW, name="Erika", email="e@example.org",
        )  # fmt: skip
    # Never booked: an expired hold, a hold cancelled before confirmation and a walk-in (no confirmed_at).
    for code, status in [("HELD1", "expired"), ("HELD2", "cancelled"), ("WALK1", "done")]:
        Appointment.objects.create(
            booking_code=code, location=bookable.location, service=bookable.service, starts_at=at(DAY, 9),
            ends_at=at(DAY, 9, 15), counter=0, status=status, name="Erika", email="e@example.org",
        )  # fmt: skip
    migration.records_for_past_appointments(apps, None)
    outcomes = sorted(AppointmentRecord.objects.values_list("outcome", flat=True))
    assert outcomes == sorted(["booked", "kept", "kept", "no_show", "cancelled"])
    assert set(AppointmentRecord.objects.values_list("day", flat=True)) == {DAY}
    assert Appointment.objects.filter(statistics_record__isnull=True).count() == 3
    migration.records_for_past_appointments(apps, None)  # once only
    assert AppointmentRecord.objects.count() == 5


# --- appointment_figures ------------------------------------------------------------------------------


def _records(service, day, **outcomes):
    for outcome, count in outcomes.items():
        AppointmentRecordFactory.create_batch(count, service=service, day=day, outcome=outcome)


def test_appointment_figures_count_each_outcome_and_the_share_of_no_shows():
    first, second = ServiceFactory(), ServiceFactory()
    day = datetime.date(2026, 11, 16)
    _records(first, day, booked=2, kept=6, no_show=2, cancelled=3)
    _records(second, day, kept=1)
    _records(first, day - datetime.timedelta(days=1), no_show=5)  # before the period
    _records(first, datetime.date(2026, 11, 30), kept=4)  # the period's last day counts
    figures = appointment_figures(department_ids=None, date_from=day, date_to=datetime.date(2026, 11, 30))
    assert [(f.service_id, f.booked, f.kept, f.no_show, f.cancelled) for f in figures] == [
        (first.pk, 17, 10, 2, 3),
        (second.pk, 1, 1, 0, 0),
    ]
    assert figures[0].due == 12
    assert figures[0].no_show_share == pytest.approx(2 / 12)
    assert figures[0].no_show_percent == 17
    assert figures[1].no_show_share == 0


def test_appointment_figures_keep_to_the_departments_and_services_asked_for():
    first, second, other = ServiceFactory(), ServiceFactory(), ServiceFactory()
    day = datetime.date(2026, 11, 16)
    for service in (first, second, other):
        _records(service, day, kept=1)
    in_scope = [first.department_id, second.department_id]
    assert {f.service_id for f in appointment_figures(department_ids=in_scope, date_from=day, date_to=day)} == {
        first.pk,
        second.pk,
    }
    only = appointment_figures(department_ids=in_scope, service_ids=[second.pk, other.pk], date_from=day, date_to=day)
    assert [f.service_id for f in only] == [second.pk]
    assert appointment_figures(department_ids=[], date_from=day, date_to=day) == []


def test_no_show_share_is_none_when_nothing_was_due():
    service = ServiceFactory()
    _records(service, datetime.date(2026, 11, 16), booked=2, cancelled=1)
    [figures] = appointment_figures(
        department_ids=None, date_from=datetime.date(2026, 11, 1), date_to=datetime.date(2026, 11, 30)
    )
    assert (figures.booked, figures.due, figures.no_show_share, figures.no_show_percent) == (3, 0, None, None)


def test_figures_of_real_appointments_survive_their_deletion(bookable, staff):
    kept, missed, cancelled = (confirmed(bookable, hour=h, email=f"{h}@example.org") for h in (9, 10, 11))
    appointment_check_in(appointment=kept, actor=staff)
    appointment_no_show(appointment=missed, actor=staff)
    appointment_cancel(appointment=cancelled)
    hold(bookable, at(DAY, 8), email="held@example.org")  # never confirmed
    Appointment.objects.all().delete()
    [figures] = appointment_figures(department_ids=[bookable.service.department_id], date_from=DAY, date_to=DAY)
    assert (figures.booked, figures.kept, figures.no_show, figures.cancelled) == (3, 1, 1, 1)
    assert figures.no_show_percent == 50
