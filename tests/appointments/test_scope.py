"""One booking for several services and several persons: durations add up, each person counts on site."""

import datetime
import re
from urllib.parse import urlencode

import pytest
from django.core import mail

from amtsweg.appointments.models import Appointment, BookableService
from tests.appointments.helpers import post_details
from tests.appointments.test_flow import _links, _next_weekday_at
from tests.appointments.test_flow import office as office
from tests.catalogue.factories import ServiceFactory

pytestmark = pytest.mark.django_db

TIMES = "/termin/buergerbuero/meldebescheinigung/"
DETAILS = TIMES + "angaben/"


@pytest.fixture
def passport(office):
    """A second service at the same place (office: 15 minutes, one counter, 8–12 on weekdays)."""
    service = ServiceFactory(
        slug="reisepass", appointment_bring_de="Geburtsurkunde", appointment_bring_en="Birth certificate"
    )
    return BookableService.objects.create(location=office.location, service=service, duration_minutes=30)


def _times(client, **query):
    return client.get(f"{TIMES}?{urlencode(query, doseq=True)}")


def _offered(html: str) -> list[str]:
    return re.findall(r'name="zeit" value="([^"]+)"', html)


def test_the_times_page_offers_further_services_and_persons(client, office, passport):
    html = _times(client).content.decode()
    assert 'name="personen"' in html and 'name="auch" value="reisepass"' in html and "30 Minuten" in html


def test_several_services_and_persons_offer_only_starts_with_room_for_the_whole_booking(client, office, passport):
    # One whole weekday ahead: late on a weekday morning, today has room for one person but not for both.
    day = _next_weekday_at(8).date().isoformat()
    one = _offered(_times(client, tag=day).content.decode())
    both = _offered(_times(client, tag=day, personen=2, auch="reisepass").content.decode())
    # 2 × (15 + 30) = 90 minutes must fit before 12:00 on the one counter: the last start is 10:30.
    assert one[-1].startswith(one[0][:10]) and "T11:45" in one[-1]
    assert both and "T10:30" in both[-1] and not any("T10:45" in start for start in both)
    assert set(both) <= set(one)


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_a_booking_of_two_services_for_two_persons_takes_the_summed_time_and_both_places(
    client, office, passport, run_tasks
):
    start = _next_weekday_at(9)
    data = {"zeit": start.isoformat(), "name": "Erika", "email": "erika@example.org", "personen": "2"}
    response = post_details(client, DETAILS, {**data, "auch": ["reisepass"]})
    assert response.status_code == 200
    appointment = Appointment.objects.get()
    assert appointment.persons == 2
    assert appointment.ends_at - appointment.starts_at == datetime.timedelta(minutes=90)
    assert [s.slug for s in appointment.all_services()] == ["meldebescheinigung", "reisepass"]
    run_tasks()
    body = mail.outbox[0].body
    assert passport.service.name_de in body and "2 Personen" in body
    client.post(_links(mail.outbox[0])[0])
    run_tasks()  # the task worker sends the confirmation
    confirmed = mail.outbox[1].body
    assert "Geburtsurkunde" in confirmed and "Personalausweis" in confirmed  # what to bring, from both services
    # The time overlaps the booking: nobody else gets 9:45 on the single counter.
    later = post_details(client, DETAILS, {**data, "zeit": (start + datetime.timedelta(minutes=45)).isoformat(),
                                           "email": "b@example.org", "personen": "1"})  # fmt: skip
    assert later.status_code == 409


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_a_rebooking_keeps_the_services_and_persons(client, office, passport, run_tasks):
    start = _next_weekday_at(9)
    post_details(
        client,
        DETAILS,
        {"zeit": start.isoformat(), "name": "E", "email": "e@example.org", "personen": "2", "auch": "reisepass"},
    )
    run_tasks()
    manage = client.post(_links(mail.outbox[0])[0])["Location"]
    token = manage.rstrip("/").rsplit("/", 1)[-1]
    html = _times(client, umbuchen=token).content.decode()
    assert "T10:45" not in html  # still sized for 90 minutes
    later = _next_weekday_at(10)
    moved = client.post(DETAILS, {"zeit": later.isoformat(), "name": "E", "email": "e@example.org", "umbuchen": token})
    assert moved.status_code == 302
    new = Appointment.objects.order_by("-created_at").first()
    assert new.persons == 2 and [s.slug for s in new.extra_services.all()] == ["reisepass"]
    assert new.ends_at - new.starts_at == datetime.timedelta(minutes=90)


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"personen": "0"}, "Wählen Sie zwischen 1 und 4 Personen"),
        ({"personen": "99"}, "Wählen Sie zwischen 1 und 4 Personen"),
        ({"personen": "zwei"}, "Wählen Sie zwischen 1 und 4 Personen"),
        ({"auch": "gibt-es-nicht"}, "Wählen Sie weitere Anliegen aus der Liste"),
    ],
)
def test_bad_scope_input_is_explained_on_the_times_page(client, office, passport, query, message):
    response = _times(client, **query)
    html = response.content.decode()
    assert response.status_code == 400 and message in html and "Fehler:" in html
    assert _offered(html)  # the page still shows the free times for one person


def test_a_tampered_scope_on_the_details_form_books_nothing(client, office, passport):
    start = _next_weekday_at(9)
    response = client.post(
        DETAILS, {"zeit": start.isoformat(), "name": "E", "email": "e@example.org", "personen": "50", "start": "x"}
    )
    assert response.status_code == 400 and "Wählen Sie zwischen 1 und 4 Personen" in response.content.decode()
    assert not Appointment.objects.exists()


def test_the_next_free_times_after_a_lost_race_keep_the_scope(client, office, passport):
    start = _next_weekday_at(9)
    data = {"zeit": start.isoformat(), "name": "E", "personen": "2", "auch": "reisepass"}
    post_details(client, DETAILS, {**data, "email": "a@example.org"})
    lost = post_details(client, DETAILS, {**data, "email": "b@example.org"})
    html = lost.content.decode()
    assert lost.status_code == 409 and "personen=2&amp;auch=reisepass" in html
