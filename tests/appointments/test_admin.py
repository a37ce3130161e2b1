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
