"""Fairness against bots on the hold step: the ALTCHA proof of work and its no-JavaScript fallback."""

import base64
import json
import time
from urllib.parse import urlencode

import altcha
import pytest
from django.core import signing

from amtsweg.appointments import proof
from amtsweg.appointments.models import Appointment
from tests.appointments.helpers import form_start_token, post_details
from tests.appointments.test_flow import _next_weekday_at
from tests.appointments.test_flow import office as office

pytestmark = pytest.mark.django_db

URL = "/termin/buergerbuero/meldebescheinigung/angaben/"


@pytest.fixture
def pow_settings(settings):
    settings.APPOINTMENTS_PROOF_OF_WORK = {**settings.APPOINTMENTS_PROOF_OF_WORK}
    return settings.APPOINTMENTS_PROOF_OF_WORK


def _challenge_from_page(client, zeit: str) -> dict:
    page = client.get(f"{URL}?{urlencode({'zeit': zeit})}").content.decode()
    raw = page.split('challenge="', 1)[1].split('"', 1)[0].replace("&quot;", '"')
    return json.loads(raw)


def _solve(challenge: dict) -> str:
    """What the widget does in the browser: find the counter, post challenge and solution as base64 JSON."""
    parsed = altcha.Challenge.from_dict(challenge)
    solution = altcha.solve_challenge(parsed)
    payload = {"challenge": challenge, "solution": solution.to_dict()}
    return base64.b64encode(json.dumps(payload).encode()).decode()


def _data(start, email="erika@example.org"):
    return {"zeit": start.isoformat(), "name": "Erika Mustermann", "email": email}


def _old_start_token(seconds: int) -> str:
    signer = signing.TimestampSigner(salt=f"{proof.SALT}.start")
    signer.timestamp = lambda: signing.b62_encode(int(time.time()) - seconds)
    return signer.sign("nonce-for-test")


def test_the_form_carries_a_signed_challenge_and_the_widget(client, office):
    start = _next_weekday_at(9)
    page = client.get(f"{URL}?{urlencode({'zeit': start.isoformat()})}").content.decode()
    assert "<altcha-widget" in page and "vendor/altcha/altcha.min.js" in page and 'name="start"' in page
    challenge = _challenge_from_page(client, start.isoformat())
    assert challenge["signature"] and challenge["parameters"]["algorithm"] == "PBKDF2/SHA-256"


def test_a_solved_challenge_holds_the_time_and_cannot_be_used_twice(client, office, pow_settings):
    pow_settings["fallback_wait_seconds"] = 600  # the no-JavaScript path cannot help here
    start, later = _next_weekday_at(9), _next_weekday_at(10)
    payload = _solve(_challenge_from_page(client, start.isoformat()))
    first = client.post(URL, {**_data(start), "altcha": payload, "start": "x"})
    assert first.status_code == 200 and Appointment.objects.count() == 1
    again = client.post(URL, {**_data(later, "other@example.org"), "altcha": payload, "start": "x"})
    assert again.status_code == 400 and "erneut" in again.content.decode()
    assert Appointment.objects.count() == 1


def test_a_tampered_solution_is_not_accepted(client, office, pow_settings):
    pow_settings["fallback_wait_seconds"] = 600
    start = _next_weekday_at(9)
    challenge = _challenge_from_page(client, start.isoformat())
    challenge["parameters"]["keyPrefix"] = "ff"  # an easier puzzle than the one signed
    response = client.post(URL, {**_data(start), "altcha": _solve(challenge), "start": "x"})
    assert response.status_code == 400 and not Appointment.objects.exists()
    garbage = client.post(URL, {**_data(start), "altcha": "not base64 {", "start": "x"})
    assert garbage.status_code == 400 and not Appointment.objects.exists()


def test_without_javascript_a_form_sent_too_fast_asks_to_wait_and_keeps_the_details(client, office, pow_settings):
    pow_settings["fallback_wait_seconds"] = 600
    start = _next_weekday_at(9)
    response = post_details(client, URL, _data(start))
    html = response.content.decode()
    assert response.status_code == 400 and "Fehler:" in html and "Sekunden" in html
    assert 'value="erika@example.org"' in html and 'value="Erika Mustermann"' in html
    assert not Appointment.objects.exists()


def test_without_javascript_a_form_open_long_enough_holds_the_time_once(client, office, pow_settings):
    pow_settings["fallback_wait_seconds"] = 15
    start, later = _next_weekday_at(9), _next_weekday_at(10)
    token = _old_start_token(20)
    assert client.post(URL, {**_data(start), "start": token}).status_code == 200
    reused = client.post(URL, {**_data(later, "b@example.org"), "start": token})
    assert reused.status_code == 400 and Appointment.objects.count() == 1


def test_a_forged_or_expired_start_token_gets_a_clear_message(client, office, pow_settings):
    start = _next_weekday_at(9)
    for token in ["forged", "a:b:c", "", _old_start_token(4000)]:
        response = client.post(URL, {**_data(start), "start": token})
        assert response.status_code == 400 and "erneut" in response.content.decode(), token
    assert not Appointment.objects.exists()


def test_the_no_javascript_path_has_its_own_lower_limit_per_address(client, office, pow_settings):
    pow_settings["fallback_holds_per_ip"] = 1
    first = post_details(client, URL, _data(_next_weekday_at(9), "a@example.org"))
    second = post_details(client, URL, _data(_next_weekday_at(10), "b@example.org"))
    assert first.status_code == 200 and second.status_code == 429
    assert Appointment.objects.count() == 1


def test_a_deployment_can_switch_the_proof_off(client, office, pow_settings):
    pow_settings["enabled"] = False
    start = _next_weekday_at(9)
    assert form_start_token(client, URL, {"zeit": start.isoformat()}) == ""
    assert "<altcha-widget" not in client.get(f"{URL}?{urlencode({'zeit': start.isoformat()})}").content.decode()
    assert client.post(URL, _data(start)).status_code == 200 and Appointment.objects.count() == 1
