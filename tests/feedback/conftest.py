import pytest

from tests.applications.factories import SubmissionFactory
from tests.catalogue.factories import DepartmentFactory, ServiceFactory

from .factories import CampaignFactory


@pytest.fixture
def department(db):
    return DepartmentFactory(slug="buergerbuero", name_de="Bürgerbüro", name_en="Citizens' office")


@pytest.fixture
def service(department):
    return ServiceFactory(department=department, slug="meldebescheinigung", name_de="Meldebescheinigung")


@pytest.fixture
def campaign(db):
    return CampaignFactory()


@pytest.fixture
def submission(service):
    return SubmissionFactory(form_version__service=service)
