"""Form pages keep the service and its form version per process and content version: fast, and exact
after an admin's change on the very next request."""

import pytest

from amtsweg.catalogue.constants import TrustLevel
from amtsweg.catalogue.models import Service

pytestmark = pytest.mark.django_db

FORM = "/antrag/nebenwohnung-abmelden/"


def _start(client):
    client.post(FORM, {})
    return client.get(FORM + "schritt/person/")


def test_a_changed_trust_level_applies_on_the_next_request(client, forms, django_capture_on_commit_callbacks):
    assert _start(client).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        Service.objects.filter(slug="nebenwohnung-abmelden").update(trust_level=TrustLevel.HIGH)
        Service.objects.get(slug="nebenwohnung-abmelden").save()  # the admin saves the row: signals fire
    response = client.get(FORM + "schritt/person/")
    assert response.status_code in (302, 403) or "Anmelden" in response.content.decode()
    assert "Vor- und Familienname" not in response.content.decode()


def test_an_unpublished_service_is_gone_on_the_next_request(client, forms, django_capture_on_commit_callbacks):
    assert _start(client).status_code == 200
    service = Service.objects.get(slug="nebenwohnung-abmelden")
    with django_capture_on_commit_callbacks(execute=True):
        service.published = False
        service.save()
    assert client.get(FORM + "schritt/person/").status_code == 404


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
