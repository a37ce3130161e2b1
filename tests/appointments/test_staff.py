"""The back office's day view: check-in, calling, no-show, the waiting-room count and the call display."""

import datetime

import pytest
from django.utils import timezone

from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.services import appointment_confirm, appointment_hold
from tests.accounts.factories import StaffFactory
from tests.appointments.test_booking import make_office
from tests.catalogue.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def todays():
    bookable = make_office(counters=2, lead=0)
    now = timezone.localtime()
    start = (now + datetime.timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    for weekday in range(7):  # open today and now, whatever day the tests run
        bookable.location.opening_hours.create(weekday=weekday, opens=datetime.time(0), closes=datetime.time(23, 59))
        bookable.location.counter_hours.create(
            weekday=weekday, start=datetime.time(0), end=datetime.time(23, 59), counters=2
        )
    bookable.location.opening_hours.filter(closes=datetime.time(12)).delete()
    bookable.location.counter_hours.filter(end=datetime.time(12)).delete()
    appointment = appointment_hold(
        bookable=bookable, start=start, persons=2, name="Erika", email="erika@example.org", now=now
    )
    return appointment_confirm(appointment=appointment, now=now)


def _staff(client, department):
    client.force_login(StaffFactory(departments=[department]))


def test_check_in_then_call_shows_the_code_on_the_call_display(client, todays):
    if timezone.localdate(todays.starts_at) != timezone.localdate():
        pytest.skip("too close to midnight for a same-day appointment")
    _staff(client, todays.location.department)
    url = f"/intern/termine/{todays.location.slug}/"
    page = client.get(url).content.decode()
    assert todays.booking_code in page and "0 von 12" in page
    client.post(url, {"appointment": str(todays.uuid), "action": "check_in"})
    todays.refresh_from_db()
    assert todays.status == AppointmentStatus.CHECKED_IN
    assert "2 von 12" in client.get(url).content.decode()
    assert todays.booking_code not in client.get(f"/aufruf/{todays.location.slug}/").content.decode()
    client.post(url, {"appointment": str(todays.uuid), "action": "call"})
    display = client.get(f"/aufruf/{todays.location.slug}/")
    html = display.content.decode()
    assert todays.booking_code in html and 'http-equiv="refresh"' in html
    assert '<td class="aw-call-counter">1</td>' in html


def test_no_show_and_actions_in_the_wrong_state_are_refused(client, todays):
    _staff(client, todays.location.department)
    url = f"/intern/termine/{todays.location.slug}/"
    assert client.post(url, {"appointment": str(todays.uuid), "action": "call"}).status_code == 409
    client.post(url, {"appointment": str(todays.uuid), "action": "no_show"})
    todays.refresh_from_db()
    assert todays.status == AppointmentStatus.NO_SHOW


def test_staff_of_another_department_cannot_open_the_day(client, todays):
    _staff(client, DepartmentFactory())
    assert client.get(f"/intern/termine/{todays.location.slug}/").status_code == 403


def test_the_day_view_needs_a_staff_login(client, todays):
    response = client.get(f"/intern/termine/{todays.location.slug}/")
    assert response.status_code == 302 and "/intern/anmelden/" in response["Location"]


def test_an_unknown_action_is_not_found(client, todays):
    _staff(client, todays.location.department)
    response = client.post(f"/intern/termine/{todays.location.slug}/", {"appointment": str(todays.uuid), "action": "x"})
    assert response.status_code == 404


def test_the_day_exports_as_csv_without_names(client, todays):
    _staff(client, todays.location.department)
    day = timezone.localdate(todays.starts_at).isoformat()
    response = client.get(f"/intern/termine/{todays.location.slug}/tag.csv", {"tag": day})
    text = response.content.decode("utf-8-sig")
    assert response["Content-Type"].startswith("text/csv")
    assert todays.booking_code in text and "Erika" not in text
    assert text.splitlines()[0].startswith("Beginn;Ende;Schalter")


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_blocking_a_time_range_cancels_and_notifies_the_citizens_and_stops_bookings(
    client, todays, django_capture_on_commit_callbacks, run_tasks
):
    from django.core import mail

    from amtsweg.appointments.models import Closure

    _staff(client, todays.location.department)
    run_tasks()  # the booking's own confirmation goes out first
    mail.outbox.clear()
    local = timezone.localtime(todays.starts_at)
    # An hour, but not past midnight: late in the evening the fixture's appointment starts at 23:00.
    until = min(local + datetime.timedelta(hours=1), local.replace(hour=23, minute=59))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/intern/termine/{todays.location.slug}/sperren/",
            {
                "tag": local.date().isoformat(),
                "von": local.strftime("%H:%M"),
                "bis": until.strftime("%H:%M"),
                "grund": "Krankheit",
            },
        )
    assert response.status_code == 302
    todays.refresh_from_db()
    assert todays.status == AppointmentStatus.CANCELLED
    run_tasks()
    [message] = mail.outbox
    assert "Krankheit" in message.body and "/termin/" in message.body
    assert Closure.objects.filter(location=todays.location, reason="Krankheit").exists()


def test_blocking_with_bad_times_changes_nothing(client, todays):
    _staff(client, todays.location.department)
    response = client.post(f"/intern/termine/{todays.location.slug}/sperren/", {"tag": "x", "von": "25:00"})
    assert response.status_code == 302
    todays.refresh_from_db()
    assert todays.status == AppointmentStatus.CONFIRMED


def test_a_walk_in_gets_a_code_and_counts_in_the_waiting_room(client, todays):
    from amtsweg.appointments.models import Appointment, BookableService

    _staff(client, todays.location.department)
    bookable = BookableService.objects.get(location=todays.location)
    url = f"/intern/termine/{todays.location.slug}/"
    client.post(f"{url}ohne-termin/", {"leistung": bookable.pk, "personen": "3"})
    walk_in = Appointment.objects.get(status=AppointmentStatus.CHECKED_IN)
    assert walk_in.persons == 3 and len(walk_in.booking_code) == 6
    assert "3 von 12" in client.get(url).content.decode()
    response = client.post(f"{url}ohne-termin/", {"leistung": bookable.pk, "personen": "viele"})
    assert response.status_code == 400
    assert Appointment.objects.filter(status=AppointmentStatus.CHECKED_IN).count() == 1


FAR_DAYS = ["9999-12-31", "0001-01-01"]


@pytest.mark.parametrize("far", FAR_DAYS)
def test_the_day_view_refuses_a_day_at_the_end_of_the_calendar_with_a_message(client, todays, far):
    _staff(client, todays.location.department)
    response = client.get(f"/intern/termine/{todays.location.slug}/", {"tag": far})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Geben Sie einen Tag zwischen" in page
    assert timezone.localdate().strftime("%Y-%m-%d") in page  # the page shows today instead


@pytest.mark.parametrize("far", FAR_DAYS)
def test_the_day_export_refuses_a_day_at_the_end_of_the_calendar_with_a_message(client, todays, far):
    _staff(client, todays.location.department)
    response = client.get(f"/intern/termine/{todays.location.slug}/tag.csv", {"tag": far})
    assert response.status_code == 400
    assert not response["Content-Type"].startswith("text/csv")
    assert "Geben Sie einen Tag zwischen" in response.content.decode()


@pytest.mark.parametrize("bad", ["24.11.2026", "2026-02-30", ""])
def test_the_day_export_refuses_a_malformed_day_instead_of_exporting_today(client, todays, bad):
    _staff(client, todays.location.department)
    response = client.get(f"/intern/termine/{todays.location.slug}/tag.csv", {"tag": bad})
    assert response.status_code == 400
    assert "Jahr-Monat-Tag" in response.content.decode()


@pytest.mark.parametrize("far", FAR_DAYS)
def test_blocking_a_day_at_the_end_of_the_calendar_is_refused_with_a_message(client, todays, far):
    from amtsweg.appointments.models import Closure

    _staff(client, todays.location.department)
    response = client.post(
        f"/intern/termine/{todays.location.slug}/sperren/", {"tag": far, "von": "10:00", "bis": "12:00"}, follow=True
    )
    assert response.status_code == 200
    assert "Geben Sie einen Tag zwischen" in response.content.decode()
    assert not Closure.objects.exists()


def test_the_day_view_opens_a_day_two_years_back_and_ahead_and_links_its_neighbours(client, todays):
    _staff(client, todays.location.department)
    url = f"/intern/termine/{todays.location.slug}/"
    for offset in (-730, 730):
        day = timezone.localdate() + datetime.timedelta(days=offset)
        response = client.get(url, {"tag": day.isoformat()})
        assert response.status_code == 200
        assert f"?tag={(day + datetime.timedelta(days=1)).isoformat()}" in response.content.decode()
    beyond = timezone.localdate() + datetime.timedelta(days=731)
    assert client.get(url, {"tag": beyond.isoformat()}).status_code == 400


def test_the_call_display_shows_only_the_called_codes_and_their_counters(client, todays):
    from amtsweg.appointments.models import BookableService

    if timezone.localdate(todays.starts_at) != timezone.localdate():
        pytest.skip("too close to midnight for a same-day appointment")
    todays.service.name_de = "Kirchenaustritt"
    todays.service.save()
    later = todays.starts_at + datetime.timedelta(minutes=15)
    bookable = BookableService.objects.get(location=todays.location, service=todays.service)
    private = appointment_confirm(
        appointment=appointment_hold(
            bookable=bookable, start=later, persons=1, name="Zacharias Unverwechselbar",
            email="zacharias.geheim@example.org", phone="0561 987654", now=timezone.now(),
        )
    )  # fmt: skip
    waiting = appointment_confirm(
        appointment=appointment_hold(
            bookable=bookable, start=later, persons=1, name="Wilma Wartend", email="wilma@example.org",
            now=timezone.now(),
        )
    )  # fmt: skip
    _staff(client, todays.location.department)
    url = f"/intern/termine/{todays.location.slug}/"
    for called in (todays, private):
        client.post(url, {"appointment": str(called.uuid), "action": "check_in"})
        client.post(url, {"appointment": str(called.uuid), "action": "call"})
    client.post(url, {"appointment": str(waiting.uuid), "action": "check_in"})
    client.logout()

    display = client.get(f"/aufruf/{todays.location.slug}/")
    html = display.content.decode()
    assert display["Cache-Control"] == "no-store"
    assert todays.booking_code in html and private.booking_code in html
    assert waiting.booking_code not in html  # checked in, not yet called
    for secret in ["Erika", "erika@", "Zacharias", "Unverwechselbar", "zacharias.geheim", "0561 987654", "Wilma",
                   "Kirchenaustritt", str(private.uuid), str(todays.uuid)]:  # fmt: skip
        assert secret not in html, secret
