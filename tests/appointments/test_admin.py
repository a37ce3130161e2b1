import pytest
from django.contrib.auth.models import Permission

from tests.accounts.factories import StaffFactory
from tests.appointments.test_booking import make_office

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(settings):
    settings.STAFF_2FA_REQUIRED = False


def test_a_location_admin_sees_and_edits_only_their_departments_booking_rules(client):
    mine, theirs = make_office(), make_office()
    editor = StaffFactory(departments=[mine.location.department])
    editor.user_permissions.add(
        *Permission.objects.filter(content_type__app_label="appointments", codename__endswith="bookingpolicy")
    )
    client.force_login(editor)
    html = client.get("/intern/admin/appointments/bookingpolicy/").content.decode()
    assert str(mine.location) in html and str(theirs.location) not in html
    other = theirs.location.booking_policy
    assert client.get(f"/intern/admin/appointments/bookingpolicy/{other.pk}/change/").status_code in (302, 404)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_closure_at_the_end_of_the_calendar_is_refused_with_a_message(client, day):
    from amtsweg.appointments.models import Closure

    mine = make_office()
    editor = StaffFactory(departments=[mine.location.department])
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="appointments"))
    client.force_login(editor)
    data = {"location": mine.location.pk, "kind": "closure", "counters": 0, "reason": "Umbau"}
    data |= {"starts_at_0": day, "starts_at_1": "00:00", "ends_at_0": day, "ends_at_1": "23:59"}
    response = client.post("/intern/admin/appointments/closure/add/", data)
    assert response.status_code == 200
    assert "Geben Sie einen Tag zwischen dem 1.1.2000 und dem 31.12.2099 ein." in response.content.decode()
    assert not Closure.objects.exists()
