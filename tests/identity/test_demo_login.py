"""The demo login (identity/contrib/demo): a registered plugin that logs in as a test person, demo mode only."""

import pytest

from amtsweg.identity.registry import registry

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_login_on(settings):
    settings.IDENTITY = {**settings.IDENTITY, "enabled": [*settings.IDENTITY["enabled"], "demo"]}


def _start(client, level="high", next_url="/mein-amtsweg/"):
    start = client.post("/anmelden/demo/start/", {"level": level, "next": next_url})
    assert start.status_code == 302 and start["Location"] == "/anmelden/demo/"
    return client.get("/anmelden/demo/")


def test_it_is_registered_but_offered_only_when_listed(client, settings):
    assert "demo" in registry
    assert "/anmelden/demo/start/" not in client.get("/anmelden/").content.decode()
    assert client.post("/anmelden/demo/start/", {"level": "high"}).status_code == 404
    settings.IDENTITY = {**settings.IDENTITY, "enabled": [*settings.IDENTITY["enabled"], "demo"]}
    assert "/anmelden/demo/start/" in client.get("/anmelden/").content.decode()


def test_a_test_person_is_logged_in_at_their_level(client, demo_login_on):
    page = _start(client)
    assert page.status_code == 200 and "Erika Mustermann" in page.content.decode()
    response = client.post("/anmelden/demo/", {"person": "kassel-adult"})
    assert response.status_code == 302 and response["Location"] == "/mein-amtsweg/"
    identity = client.session["identity"]
    assert (identity["provider"], identity["subject"], identity["trust_level"]) == (
        "demo",
        "DEMO-BPK2-0001-ERIKA-MUSTERMANN",
        "high",
    )
    assert (identity["street"], identity["house_number"], identity["nationality"]) == (
        "Friedrich-Ebert-Straße",
        "12",
        "DE",
    )


def test_a_person_below_the_level_is_refused_and_no_choice_is_explained(client, demo_login_on):
    _start(client)
    assert client.post("/anmelden/demo/", {}).status_code == 400
    response = client.post("/anmelden/demo/", {"person": "basic"})
    assert response.status_code == 403 and "identity" not in client.session


def test_the_page_needs_a_started_login(client, demo_login_on):
    assert client.get("/anmelden/demo/").status_code == 403


def test_it_is_off_outside_demo_mode_and_refused_in_production(settings):
    settings.DEMO_MODE = False
    assert not registry.get("demo").enabled()
    assert registry.get("demo").check_configuration(production=True)
