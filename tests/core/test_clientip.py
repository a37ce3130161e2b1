"""Rate limits count the citizen's address, also behind a trusted reverse proxy, and cannot be fooled by it."""

import pytest
from django.test import RequestFactory

from amtsweg.core.clientip import client_ip


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_without_trusted_proxies_the_header_is_ignored(settings):
    settings.TRUSTED_PROXIES = []
    assert client_ip(_request("203.0.113.9", "198.51.100.1")) == "203.0.113.9"


@pytest.mark.parametrize(
    ("forwarded", "expected"),
    [
        ("198.51.100.7", "198.51.100.7"),
        ("1.2.3.4, 198.51.100.7", "198.51.100.7"),  # a forged first hop is not believed
        ("garbage, 198.51.100.7", "198.51.100.7"),
        ("198.51.100.7, 10.0.0.2", "198.51.100.7"),  # a second trusted proxy is skipped
        ("2001:db8::1", "2001:db8::1"),
        ("", "10.0.0.1"),
        ("not-an-address", "10.0.0.1"),
    ],
)
def test_behind_a_trusted_proxy_the_last_untrusted_hop_counts(settings, forwarded, expected):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("10.0.0.1", forwarded)) == expected


def test_a_request_from_elsewhere_cannot_claim_an_address(settings):
    settings.TRUSTED_PROXIES = ["10.0.0.0/8"]
    assert client_ip(_request("203.0.113.9", "198.51.100.7")) == "203.0.113.9"


@pytest.mark.django_db
def test_the_booking_limit_counts_each_citizen_behind_the_proxy(client, settings):
    from amtsweg.appointments.models import Appointment
    from tests.appointments.helpers import post_details
    from tests.appointments.test_booking import make_office
    from tests.appointments.test_flow import _next_weekday_at

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    settings.APPOINTMENTS_PROOF_OF_WORK = {**settings.APPOINTMENTS_PROOF_OF_WORK, "fallback_holds_per_ip": 1}
    bookable = make_office(counters=2, lead=0)
    url = f"/termin/{bookable.location.slug}/{bookable.service.slug}/angaben/"
    start = _next_weekday_at(9)
    for n, address in enumerate(["198.51.100.1", "198.51.100.2"]):
        client.defaults["HTTP_X_FORWARDED_FOR"] = address
        data = {"zeit": start.isoformat(), "name": "E", "email": f"{n}@example.org"}
        assert post_details(client, url, data).status_code == 200
    data = {"zeit": _next_weekday_at(10).isoformat(), "name": "E", "email": "third@example.org"}
    assert post_details(client, url, data).status_code == 429  # the second citizen's own limit
    assert Appointment.objects.count() == 2
