import pytest

from tests.accounts.factories import StaffFactory
from tests.catalogue.factories import DepartmentFactory, ServiceFactory


@pytest.fixture(autouse=True)
def _back_office_settings(settings, tmp_path):
    """Files go to a temporary directory."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def department(db):
    return DepartmentFactory(slug="buergerbuero", name_de="Bürgerbüro", name_en="Citizens' office")


@pytest.fixture
def other_department(db):
    return DepartmentFactory(slug="standesamt", name_de="Standesamt", name_en="Registry office")


@pytest.fixture
def service(department):
    return ServiceFactory(
        department=department,
        slug="meldebescheinigung",
        name_de="Meldebescheinigung",
        name_en="Certificate of registration",
    )


@pytest.fixture
def other_service(other_department):
    return ServiceFactory(
        department=other_department, slug="geburtsurkunde", name_de="Geburtsurkunde", name_en="Birth certificate"
    )


@pytest.fixture
def staff(department):
    return StaffFactory(username="anna", first_name="Anna", last_name="Amt", departments=[department])


@pytest.fixture
def colleague(department):
    return StaffFactory(username="bernd", first_name="Bernd", last_name="Büro", departments=[department])


@pytest.fixture
def outsider(other_department):
    """Staff of another department."""
    return StaffFactory(username="olga", first_name="Olga", last_name="Ort", departments=[other_department])


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client
