"""An appointment booked from a case's status page is linked to the case; cancelling shows on both sides."""

import re

import pytest
from django.core import mail

from amtsweg.applications.access import status_access_grant
from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.models import Appointment
from tests.accounts.factories import StaffFactory
from tests.appointments.helpers import post_details
from tests.appointments.test_booking import make_office
from tests.appointments.test_flow import _next_weekday_at
from tests.cases.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.mark.django_db(transaction=True)  # the task worker checks its connection
def test_booking_from_the_status_page_links_the_case_and_cancelling_shows_on_the_case(client, run_tasks):
    bookable = make_office(counters=1, lead=0)
    case = CaseFactory(submission__service=bookable.service)
    session = client.session
    status_access_grant(session=session, submission=case.submission)
    session.save()

    status = client.get(f"/status/{case.submission.uuid}/").content.decode()
    offer = re.search(r'href="(/termin/[^"]+\?vorgang=[^"]+)"', status).group(1).replace("&amp;", "&")
    token = offer.split("vorgang=")[1]
    start = _next_weekday_at(9)
    post_details(
        client,
        offer.split("?")[0] + "angaben/",
        {"zeit": start.isoformat(), "name": "Erika", "email": "erika@example.org", "vorgang": token},
    )
    appointment = Appointment.objects.get()
    assert appointment.case == case
    run_tasks()
    confirm = re.search(r"http://127\.0\.0\.1:8000(/\S+)", mail.outbox[0].body).group(1)
    manage = client.post(confirm)["Location"]

    status = client.get(f"/status/{case.submission.uuid}/").content.decode()
    assert appointment.booking_code in status and "Bestätigt" in status and "vorgang=" not in status

    client.post(manage, {"action": "cancel"})
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    client.force_login(StaffFactory(departments=[case.department]))
    page = client.get(f"/intern/faelle/{case.uuid}/").content.decode()
    assert 'data-appointment-status="cancelled"' in page


def test_a_forged_case_link_is_refused(client):
    bookable = make_office(counters=1, lead=0)
    start = _next_weekday_at(9)
    response = client.post(
        f"/termin/{bookable.location.slug}/{bookable.service.slug}/angaben/",
        {"zeit": start.isoformat(), "name": "E", "email": "e@example.org", "vorgang": "forged"},
    )
    assert response.status_code == 404 and not Appointment.objects.exists()


def _status_and_confirmation(client, case):
    session = client.session
    status_access_grant(session=session, submission=case.submission)
    session.save()
    status = client.get(f"/status/{case.submission.uuid}/").content.decode()
    confirmation = client.get(f"/antrag/eingereicht/{case.submission.uuid}/").content.decode()
    return status, confirmation


def test_a_service_completed_on_site_asks_for_an_appointment_until_one_is_booked(client):
    from amtsweg.catalogue.constants import OnlineMode

    bookable = make_office(counters=1, lead=0)
    bookable.service.online_mode = OnlineMode.ONLINE_THEN_APPOINTMENT
    bookable.service.save()
    case = CaseFactory(submission__service=bookable.service)
    status, confirmation = _status_and_confirmation(client, case)
    for page in (status, confirmation):
        assert "Buchen Sie Ihren Termin" in page and "erst erledigt" in page and "vorgang=" in page
    client.force_login(StaffFactory(departments=[case.department]))
    assert "data-appointment-missing" in client.get(f"/intern/faelle/{case.uuid}/").content.decode()

    offer = re.search(r'href="(/termin/[^"]+\?vorgang=[^"]+)"', status).group(1).replace("&amp;", "&")
    post_details(
        client,
        offer.split("?")[0] + "angaben/",
        {
            "zeit": _next_weekday_at(9).isoformat(),
            "name": "E",
            "email": "e@example.org",
            "vorgang": offer.split("=")[1],
        },
    )
    assert Appointment.objects.get().case == case
    assert "data-appointment-missing" not in client.get(f"/intern/faelle/{case.uuid}/").content.decode()
    status, _confirmation = _status_and_confirmation(client, case)
    assert "Buchen Sie Ihren Termin" not in status


def test_a_fully_online_service_only_offers_an_appointment(client):
    from amtsweg.catalogue.constants import OnlineMode

    bookable = make_office(counters=1, lead=0)
    bookable.service.online_mode = OnlineMode.FULLY_ONLINE
    bookable.service.save()
    case = CaseFactory(submission__service=bookable.service)
    status, confirmation = _status_and_confirmation(client, case)
    for page in (status, confirmation):
        assert "können Sie einen Termin vor Ort buchen" in page and "Buchen Sie Ihren Termin" not in page
    client.force_login(StaffFactory(departments=[case.department]))
    assert "data-appointment-missing" not in client.get(f"/intern/faelle/{case.uuid}/").content.decode()


def test_booking_from_a_case_prefills_the_citizens_name_and_email(client):
    bookable = make_office(counters=1, lead=0)
    case = CaseFactory(submission__service=bookable.service, submission__email="erika@example.org")
    status, _confirmation = _status_and_confirmation(client, case)
    offer = re.search(r'href="(/termin/[^"]+\?vorgang=[^"]+)"', status).group(1).replace("&amp;", "&")
    path, query = offer.split("?")
    start = _next_weekday_at(9)
    answer = client.get(f"{path}angaben/", {"vorgang": query.split("=", 1)[1], "zeit": start.isoformat()})
    details = answer.content.decode()
    assert answer.status_code == 200, details[details.find("<main") :][:600]
    assert f'value="{case.applicant_name}"' in details
    assert 'value="erika@example.org"' in details
