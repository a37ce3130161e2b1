"""A service's gate (applications/gates.py) stands before every page of its form and before the submission."""

import pytest
from django.http import HttpResponse

from amtsweg.applications.gates import service_gates
from amtsweg.applications.models import Submission

from .conftest import ABMELDUNG_BASE, fill_abmeldung, log_in_for_abmeldung

SLUG = "nebenwohnung-abmelden"


@pytest.fixture
def gate():
    """A gate for the Abmeldung that lets the citizen in until told otherwise, and notes every call."""
    state = {"open": True, "calls": []}

    def stop_unless_open(*, request, service, draft, submitting):
        state["calls"].append((request.path, service.slug, draft is not None, submitting))
        return None if state["open"] else HttpResponse("Please come to the counter.", status=403)

    service_gates.add(SLUG, stop_unless_open)
    yield state
    service_gates.remove(SLUG, stop_unless_open)


def test_a_closed_gate_shows_its_page_instead_of_the_form(client, abmeldung, gate):
    log_in_for_abmeldung(client)  # the Abmeldung's own gate (the register match) lets Jonas in
    gate["open"] = False
    response = client.post(ABMELDUNG_BASE)
    assert response.status_code == 403 and response.content == b"Please come to the counter."
    assert not client.session.get("drafts")
    assert client.get(ABMELDUNG_BASE).status_code == 200  # the start page itself stays open to read


def test_the_gate_is_asked_on_every_page_and_once_more_when_sending(client, abmeldung, gate):
    fill_abmeldung(client)
    client.get(f"{ABMELDUNG_BASE}pruefen/")
    gate["calls"].clear()
    assert client.post(f"{ABMELDUNG_BASE}pruefen/", {"declaration": "yes"}).status_code == 302
    assert gate["calls"] == [(f"{ABMELDUNG_BASE}pruefen/", SLUG, True, True)]
    assert Submission.objects.count() == 1


def test_a_gate_that_closes_before_sending_stops_the_submission(client, abmeldung, gate):
    fill_abmeldung(client)
    assert [call[0].rsplit("/", 2)[-2] for call in gate["calls"]] == [
        "nebenwohnung-abmelden",
        "person",
        "secondary",
        "contact",
    ]
    gate["open"] = False
    assert client.post(f"{ABMELDUNG_BASE}pruefen/", {"declaration": "yes"}).status_code == 403
    assert not Submission.objects.exists()
