"""Form pages keep the service and its form version per process and content version: fast, and exact
after an admin's change on the very next request."""

import pytest

from amtsweg.catalogue.constants import TrustLevel
from amtsweg.catalogue.models import Service

pytestmark = pytest.mark.django_db

# A form anyone may fill in without a login (the Abmeldung einer Nebenwohnung, used here before, now needs the eID).
SLUG = "sterbefall-voranzeige"
FORM = f"/antrag/{SLUG}/"
FIRST_STEP = FORM + "schritt/place/"


def _start(client):
    client.post(FORM, {})
    return client.get(FIRST_STEP)


def test_a_changed_trust_level_applies_on_the_next_request(client, forms, django_capture_on_commit_callbacks):
    assert _start(client).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Service.objects.filter(slug=SLUG).update(trust_level=TrustLevel.HIGH)
        Service.objects.get(slug=SLUG).save()  # the admin saves the row: signals fire
    response = client.get(FIRST_STEP)
    assert response.status_code in (302, 401, 403) or "Anmelden" in response.content.decode()
    assert "Name der verstorbenen Person" not in response.content.decode()


def test_an_unpublished_service_is_gone_on_the_next_request(client, forms, django_capture_on_commit_callbacks):
    assert _start(client).status_code == 200
    service = Service.objects.get(slug=SLUG)
    with django_capture_on_commit_callbacks(execute=True):
        service.published = False
        service.save()
    assert client.get(FIRST_STEP).status_code == 404


def test_a_new_version_with_an_old_versions_id_gets_its_own_definition():
    """Ids come again after a rollback or a restored backup; the parsed definition is keyed by the uuid."""
    from amtsweg.applications.models import FormVersion
    from amtsweg.applications.selectors import definition_of
    from tests.applications.factories import SIMPLE_DEFINITION, FormVersionFactory

    first = FormVersionFactory()
    assert [step.key for step in definition_of(form_version=first).steps] == ["person"]
    pk, service = first.pk, first.service
    first.delete()
    other = {**SIMPLE_DEFINITION, "steps": [{**SIMPLE_DEFINITION["steps"][0], "key": "contact"}]}
    second = FormVersion.objects.create(pk=pk, service=service, number=2, definition=other, published=True)
    assert [step.key for step in definition_of(form_version=second).steps] == ["contact"]
