"""A place may keep a service's times for the cases staff invite (``BookableService.case_link_only``): the public
pages neither list nor book it, and only the link of an invited case books it."""

import datetime

import pytest

from amtsweg.appointments.errors import AppointmentError
from amtsweg.appointments.models import Appointment
from amtsweg.appointments.selectors import booking_offers, booking_start_url
from amtsweg.appointments.services import appointment_hold, booking_invite
from amtsweg.appointments.tokens import case_token
from tests.appointments.helpers import post_details
from tests.appointments.test_booking import make_office
from tests.appointments.test_flow import _next_weekday_at
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def reserved():
    bookable = make_office(counters=1, lead=0)
    bookable.case_link_only = True
    bookable.save()
    return bookable


def _details_url(bookable):
    return f"/termin/{bookable.location.slug}/{bookable.service.slug}/angaben/"


def test_a_reserved_service_is_not_offered_on_the_public_pages(client, reserved):
    assert reserved.service.name not in client.get("/termin/").content.decode()
    assert booking_start_url(service=reserved.service) == ""
    response = client.get(f"/termin/{reserved.location.slug}/{reserved.service.slug}/")
    assert response.status_code == 403
    assert "nur nach einer Anfrage" in response.content.decode()


def test_a_booking_without_the_case_link_is_refused_with_a_clear_message(client, reserved):
    response = post_details(
        client,
        _details_url(reserved),
        {"zeit": _next_weekday_at(9).isoformat(), "name": "Erika", "email": "erika@example.org"},
    )
    assert response.status_code == 403
    page = response.content.decode()
    assert "nur nach einer Anfrage" in page and "Link in unserer Antwort" in page
    assert not Appointment.objects.exists()


def test_the_link_of_a_case_that_was_not_invited_is_refused_too(client, reserved):
    case = CaseFactory(submission__service=reserved.service)
    assert booking_offers(case=case) == []  # its status page offers nothing either
    response = post_details(
        client,
        _details_url(reserved),
        {
            "zeit": _next_weekday_at(9).isoformat(),
            "name": "Erika",
            "email": "erika@example.org",
            "vorgang": case_token(case=case),
        },
    )
    assert response.status_code == 403 and not Appointment.objects.exists()


def test_an_invited_case_books_with_its_link_and_its_status_page_offers_it(client, reserved):
    case = CaseFactory(submission__service=reserved.service)
    path = booking_invite(case=case, location=reserved.location.slug, service=reserved.service.slug, actor=None)
    assert [offer["url"] for offer in booking_offers(case=case)] == [path]
    assert client.get(path).status_code == 200
    post_details(
        client,
        _details_url(reserved),
        {
            "zeit": _next_weekday_at(9).isoformat(),
            "name": "Erika",
            "email": "erika@example.org",
            "vorgang": path.split("vorgang=")[1],
        },
    )
    appointment = Appointment.objects.get()
    assert appointment.case == case
    assert appointment.ends_at - appointment.starts_at == datetime.timedelta(minutes=reserved.duration_minutes)


def test_the_booking_service_refuses_a_reserved_time_to_any_other_caller(reserved):
    with pytest.raises(AppointmentError):
        appointment_hold(bookable=reserved, start=_next_weekday_at(9), persons=1, name="E", email="e@example.org")
