"""The citizen's booking through the pages: times, details, confirm link, .ics, rebook, cancel."""

import datetime
import re

import pytest
from django.core import mail
from django.utils import timezone

from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.models import Appointment
from tests.appointments.helpers import post_details
from tests.appointments.test_booking import make_office

pytestmark = pytest.mark.django_db


@pytest.fixture
def office():
    bookable = make_office(counters=1, lead=0)
    bookable.location.slug = "buergerbuero"
    bookable.location.save()
    bookable.service.slug = "meldebescheinigung"
    bookable.service.save()
    return bookable


def _next_weekday_at(hour: int) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=1)
    while day.weekday() >= 5:
        day += datetime.timedelta(days=1)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _book(client, start, email="erika@example.org"):
    url = "/termin/buergerbuero/meldebescheinigung/angaben/"
    data = {"zeit": start.isoformat(), "name": "Erika Mustermann", "email": email, "phone": ""}
    return post_details(client, url, data)


def _links(message):
    return re.findall(r"http://127\.0\.0\.1:8000(/\S+)", message.body)


def test_times_page_lists_free_times_without_javascript(client, office):
    html = client.get("/termin/buergerbuero/meldebescheinigung/").content.decode()
    assert 'type="radio"' in html and 'name="zeit"' in html


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_booking_holds_then_confirms_by_the_emailed_link_and_sends_the_ics(client, office, run_tasks):
    start = _next_weekday_at(9)
    response = _book(client, start)
    assert response.status_code == 200 and "10 Minuten" in response.content.decode()
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.HELD
    assert not mail.outbox  # the confirm link is a background task, not part of the request
    run_tasks()
    [confirm_link] = _links(mail.outbox[0])
    assert client.get(confirm_link).status_code == 200  # a button, so scanners do not confirm
    manage = client.post(confirm_link)
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CONFIRMED
    run_tasks()  # the task worker sends the confirmation
    confirmed_mail = mail.outbox[1]
    assert appointment.booking_code in confirmed_mail.body
    name, content, kind = confirmed_mail.attachments[0]
    content = content if isinstance(content, bytes) else content.encode()
    assert name.endswith(".ics") and kind == "text/calendar" and b"BEGIN:VEVENT" in content
    page = client.get(manage["Location"]).content.decode()
    assert appointment.booking_code in page and "termin.ics" in page


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_rebooking_moves_the_appointment_and_cancelling_frees_it(client, office, run_tasks):
    start = _next_weekday_at(9)
    _book(client, start)
    run_tasks()
    manage_url = client.post(_links(mail.outbox[0])[0])["Location"]
    token = manage_url.rstrip("/").rsplit("/", 1)[-1]
    ics = client.get(f"{manage_url}termin.ics")
    assert ics["Content-Type"].startswith("text/calendar")
    later = _next_weekday_at(10)
    moved = client.post(
        "/termin/buergerbuero/meldebescheinigung/angaben/",
        {"zeit": later.isoformat(), "name": "Erika Mustermann", "email": "erika@example.org", "umbuchen": token},
    )
    assert moved.status_code == 302
    old, new = Appointment.objects.order_by("created_at")
    assert (old.status, new.status, new.starts_at) == ("cancelled", "confirmed", later)
    new_manage = moved["Location"]
    client.post(new_manage, {"action": "cancel"})
    new.refresh_from_db()
    assert new.status == AppointmentStatus.CANCELLED
    again = client.post(new_manage, {"action": "cancel"})
    assert again.status_code == 410 and "nicht mehr aktiv" in again.content.decode()


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_the_emailed_booking_pages_are_not_kept_by_a_browser_without_a_session(client, office, run_tasks):
    from django.test import Client

    _book(client, _next_weekday_at(9))
    run_tasks()
    manage_url = client.post(_links(mail.outbox[0])[0])["Location"]
    fresh = Client()  # the link opened on another computer
    for path in (manage_url, f"{manage_url}termin.ics"):
        response = fresh.get(path)
        assert response.status_code == 200 and "no-store" in response["Cache-Control"], path


def test_the_loser_of_the_last_place_sees_the_next_free_times(client, office):
    start = _next_weekday_at(9)
    _book(client, start, email="a@example.org")
    response = _book(client, start, email="b@example.org")
    html = response.content.decode()
    assert response.status_code == 409 and "gerade vergeben" in html and "angaben/?zeit=" in html


def test_losing_races_does_not_use_up_the_attempts_of_an_email_address(client, office):
    start = _next_weekday_at(9)
    _book(client, start, email="a@example.org")
    for _attempt in range(6):  # more than the 5 holds an hour per address
        lost = _book(client, start, email="b@example.org")
        html = lost.content.decode()
        assert lost.status_code == 409 and "Nächste freie Zeiten" in html and "angaben/?zeit=" in html
    assert _book(client, _next_weekday_at(10), email="b@example.org").status_code == 200


def test_plus_addresses_of_one_mailbox_share_the_hourly_attempts_of_an_address(client, office):
    from amtsweg.appointments.models import BookingPolicy

    BookingPolicy.objects.filter(location=office.location).update(max_active_per_email=10)
    first = _next_weekday_at(9)
    times = [first + datetime.timedelta(minutes=15 * n) for n in range(6)]
    answers = [_book(client, start, email=f"erika+{n}@example.org").status_code for n, start in enumerate(times)]
    assert answers == [200, 200, 200, 200, 200, 429]  # 5 holds an hour per address
    assert Appointment.objects.count() == 5


@pytest.mark.django_db(transaction=True)  # the catalogue's content version is replaced after the commit
def test_the_details_page_shows_changes_of_the_place_the_service_and_the_policy_at_once(client, office):
    from amtsweg.appointments.models import BookingPolicy

    url, query = "/termin/buergerbuero/meldebescheinigung/angaben/", {"zeit": _next_weekday_at(9).isoformat()}
    assert client.get(url, query).status_code == 200  # the rows are kept in the process now
    office.location.name_de = "Bürgerbüro am Königsplatz"
    office.location.save()
    office.service.name_de = "Meldebescheinigung (neu)"
    office.service.save()
    html = client.get(url, query).content.decode()
    assert "Bürgerbüro am Königsplatz" in html and "Meldebescheinigung (neu)" in html
    office.duration_minutes = 300  # longer than the day: the time is no longer free
    office.save()
    assert _book(client, _next_weekday_at(9)).status_code == 409
    policy = BookingPolicy.objects.get(location=office.location)
    policy.enabled = False
    policy.save()
    assert client.get(url, query).status_code == 404


@pytest.mark.parametrize("zeit", ["morgen", "2026-13-01T09:00", ""])
def test_a_tampered_time_gets_a_clear_message(client, office, zeit):
    response = client.post(
        "/termin/buergerbuero/meldebescheinigung/angaben/", {"zeit": zeit, "name": "E", "email": "e@example.org"}
    )
    assert response.status_code == 400 and "Wählen Sie eine Zeit" in response.content.decode()
    assert not Appointment.objects.exists()


def test_missing_name_and_bad_email_are_explained_and_kept(client, office):
    start = _next_weekday_at(9)
    response = client.post(
        "/termin/buergerbuero/meldebescheinigung/angaben/", {"zeit": start.isoformat(), "name": "", "email": "erika@"}
    )
    html = response.content.decode()
    assert response.status_code == 400 and "Fehler:" in html and 'value="erika@"' in html


@pytest.mark.parametrize("token", ["forged", "x" * 80])
def test_a_forged_manage_or_confirm_link_is_refused(client, office, token):
    assert client.get(f"/termin/verwalten/{token}/").status_code == 404
    assert client.post(f"/termin/bestaetigen/{token}/").status_code == 404


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_a_reminder_goes_out_once_the_day_before(client, office, run_tasks):
    from amtsweg.appointments.services import appointments_remind

    start = _next_weekday_at(9)
    _book(client, start)
    run_tasks()
    client.post(_links(mail.outbox[0])[0])
    run_tasks()  # the confirmation goes out
    mail.outbox.clear()
    now = start - datetime.timedelta(hours=20)
    assert appointments_remind(now=now) == 1
    assert appointments_remind(now=now) == 0
    run_tasks()  # the task worker sends the reminder
    assert "Erinnerung" in mail.outbox[0].subject or "Reminder" in mail.outbox[0].subject


def test_earliest_at_any_place_lists_each_office_earliest_first(client):
    first, second = make_office(counters=1, lead=0), make_office(counters=1, lead=0)
    second.service = first.service
    second.save()
    from amtsweg.appointments.models import Closure

    now = timezone.now()  # the first office is closed for a week, so the second one has the earliest time
    Closure.objects.create(location=first.location, starts_at=now, ends_at=now + datetime.timedelta(days=7))
    html = client.get(f"/termin/frueheste/{first.service.slug}/").content.decode()
    assert html.index(second.location.name) < html.index(first.location.name)
    assert client.get("/termin/frueheste/no-such-service/").status_code == 404


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_when_the_mail_server_is_down_the_hold_is_given_back_and_the_page_says_to_book_again(
    client, office, settings, run_tasks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.notifications.mail_backends.DisconnectingSMTPBackend"}}
    start = _next_weekday_at(9)
    response = _book(client, start)
    assert response.status_code == 200 and "keine E-Mail ankommt" in response.content.decode()
    assert _book(client, start, email="b@example.org").status_code == 409  # held until the email is tried
    run_tasks()
    assert Appointment.objects.get(email="erika@example.org").status == AppointmentStatus.EXPIRED
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert _book(client, start, email="b@example.org").status_code == 200  # the place is free again at once
    run_tasks()
    assert [message.to for message in mail.outbox] == [["b@example.org"]]


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_the_confirm_link_of_a_hold_that_ran_out_or_was_given_back_is_not_sent(client, office, run_tasks):
    from amtsweg.appointments.services import appointment_confirm_link_deliver, appointment_release

    _book(client, _next_weekday_at(9))
    appointment = Appointment.objects.get()
    later = appointment.hold_expires_at
    assert appointment_confirm_link_deliver(appointment_uuid=str(appointment.uuid), now=later) == "gone"
    appointment_release(appointment=appointment)
    run_tasks()
    assert not mail.outbox


@pytest.mark.parametrize(
    "far", ["9999-12-31T23:59:00-05:00", "9999-12-31T23:59:00", "0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_time_at_the_end_of_the_calendar_is_refused_with_a_message(client, office, far, method):
    url = "/termin/buergerbuero/meldebescheinigung/angaben/"
    data = {"zeit": far, "name": "Erika Mustermann", "email": "erika@example.org", "phone": ""}
    response = client.get(url, {"zeit": far}) if method == "get" else client.post(url, data)
    assert response.status_code == 400
    assert "Wählen Sie eine Zeit aus der Liste." in response.content.decode()
    assert not Appointment.objects.exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "2026-02-30"])
def test_a_day_that_is_not_in_the_list_is_refused_with_a_message(client, office, day):
    response = client.get("/termin/buergerbuero/meldebescheinigung/", {"tag": day})
    assert response.status_code == 400
    assert "Wählen Sie einen Tag aus der Liste." in response.content.decode()


def test_a_day_from_the_list_is_shown(client, office):
    day = _next_weekday_at(9).date()
    response = client.get("/termin/buergerbuero/meldebescheinigung/", {"tag": day.isoformat()})
    assert response.status_code == 200
    assert f'href="?tag={day.isoformat()}" aria-current="date"' in response.content.decode()
