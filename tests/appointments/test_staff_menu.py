"""The back office's menu links to the places' appointments and call displays, and to the admin only for
those the admin has something for."""

import pytest
from django.utils import timezone, translation

from amtsweg.accounts.constants import CATALOGUE_EDITORS, LEADERSHIP
from amtsweg.accounts.services import roles_ensure
from tests.accounts.factories import StaffFactory
from tests.catalogue.factories import DepartmentFactory

from .test_booking import make_office

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.STAFF_2FA_REQUIRED = False


def test_staff_find_their_places_day_view_and_call_display_from_the_menu(client):
    place = make_office().location
    client.force_login(StaffFactory(departments=[place.department]))
    inbox = client.get("/intern/").content.decode()
    assert 'href="/intern/termine/"' in inbox
    page = client.get("/intern/termine/").content.decode()
    assert f'href="/intern/termine/{place.slug}/"' in page
    assert f'href="/aufruf/{place.slug}/"' in page


def test_staff_of_another_department_see_neither_the_menu_item_nor_the_place(client):
    place = make_office().location
    client.force_login(StaffFactory(departments=[DepartmentFactory()]))
    assert 'href="/intern/termine/"' not in client.get("/intern/").content.decode()
    assert place.slug not in client.get("/intern/termine/").content.decode()


def test_the_administration_link_shows_only_where_the_admin_has_something(client):
    groups = roles_ensure()
    department = DepartmentFactory()
    leader = StaffFactory(departments=[department])
    leader.groups.add(groups[LEADERSHIP])
    client.force_login(leader)
    assert 'href="/intern/admin/"' not in client.get("/intern/").content.decode()
    editor = StaffFactory(departments=[department])
    editor.groups.add(groups[CATALOGUE_EDITORS])
    client.force_login(editor)
    assert 'href="/intern/admin/"' in client.get("/intern/").content.decode()
    assert client.get("/intern/admin/").status_code == 200


def test_please_bring_lists_what_to_bring_to_the_counter_not_the_online_prerequisites():
    from amtsweg.appointments.constants import AppointmentStatus
    from amtsweg.appointments.models import Appointment

    bookable = make_office()
    service = bookable.service
    service.requirements_de = "Ihre sechsstellige PIN\nEin Smartphone mit der AusweisApp"
    service.appointment_bring_de = service.appointment_bring_en = ""
    service.save()
    now = timezone.now()
    appointment = Appointment.objects.create(
        booking_code="ABCDEF",
        location=bookable.location,
        service=service,
        starts_at=now,
        ends_at=now,
        counter=0,
        status=AppointmentStatus.CONFIRMED,
        name="Erika Mustermann",
        email="erika@example.org",
    )
    with translation.override("de"):
        assert appointment.requirements() == ["Ihren gültigen Personalausweis oder Reisepass"]
        service.appointment_bring_de = "Zulassungsbescheinigung Teil II\n- eVB-Nummer Ihrer Versicherung"
        service.save()
        appointment = Appointment.objects.get(pk=appointment.pk)
        assert appointment.requirements() == ["Zulassungsbescheinigung Teil II", "eVB-Nummer Ihrer Versicherung"]
