"""Login by email link: signed, single use, 15 minutes, rate-limited; then "Mein Amtsweg"."""

import re

import pytest
from django.core import mail, signing

from amtsweg.identity.contrib.email.views import SALT

pytestmark = pytest.mark.django_db(transaction=True)  # the task worker that sends the link checks its connection


def _ask_for_link(client, email="erika@example.org", next_url="/mein-amtsweg/"):
    start = client.post("/anmelden/email/start/", {"level": "basic", "next": next_url})
    assert start.status_code == 302 and start["Location"] == "/anmelden/email/"
    return client.post("/anmelden/email/", {"email": email})


def _link(message) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


def test_email_link_logs_in_at_basic_level_and_shows_my_amtsweg(client, run_tasks):
    response = _ask_for_link(client)
    run_tasks()
    assert "Sehen Sie in Ihre E-Mails" in response.content.decode()
    [message] = mail.outbox
    link = _link(message)
    assert client.get(link).status_code == 200  # a page with a button: mail scanners do not use the link up
    assert "identity" not in client.session
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == "/mein-amtsweg/"
    assert client.session["identity"]["trust_level"] == "basic"
    assert "Mein Amtsweg" in client.get("/mein-amtsweg/").content.decode()


def test_the_link_works_only_once(client, caplog, run_tasks):
    _ask_for_link(client)
    run_tasks()
    link = _link(mail.outbox[0])
    client.post(link)
    client.post("/abmelden/")
    response = client.post(link)
    assert response.status_code == 403 and "Die Anmeldung hat nicht geklappt" in response.content.decode()
    assert "identity" not in client.session
    assert "used already" in caplog.text


def test_an_expired_or_forged_link_is_refused(client, settings):
    settings.IDENTITY = {
        **settings.IDENTITY,
        "providers": {**settings.IDENTITY["providers"], "email": {**settings.IDENTITY["providers"]["email"]}},
    }
    token = signing.dumps({"email": "a@example.org", "level": "basic", "next": "/", "jti": "x"}, salt=SALT)
    settings.IDENTITY["providers"]["email"]["max_age_minutes"] = -1
    assert client.post(f"/anmelden/email/link/{token}/").status_code == 403
    settings.IDENTITY["providers"]["email"]["max_age_minutes"] = 15
    assert client.post(f"/anmelden/email/link/{token}x/").status_code == 403
    assert "identity" not in client.session


def test_a_bad_address_is_explained_and_kept(client, run_tasks):
    client.post("/anmelden/email/start/", {"level": "basic", "next": "/"})
    response = client.post("/anmelden/email/", {"email": "erika@"})
    run_tasks()
    html = response.content.decode()
    assert response.status_code == 400 and "Fehler:" in html and 'value="erika@"' in html
    assert mail.outbox == []


def test_links_are_rate_limited_per_address(client, settings, run_tasks):
    limit = settings.IDENTITY["providers"]["email"]["limit_per_address"]
    for _ in range(limit):
        _ask_for_link(client)
    response = _ask_for_link(client)
    run_tasks()
    assert response.status_code == 400 and "zu viele" in response.content.decode().lower()
    assert len(mail.outbox) == limit


def test_plus_addresses_of_one_mailbox_share_its_limit_of_links(client, settings, run_tasks):
    limit = settings.IDENTITY["providers"]["email"]["limit_per_address"]
    for number in range(limit):
        _ask_for_link(client, email=f"erika+{number}@example.org")
    response = _ask_for_link(client, email="Erika+Noch1mal@example.org")
    run_tasks()
    assert response.status_code == 400 and "zu viele" in response.content.decode().lower()
    assert len(mail.outbox) == limit
    assert mail.outbox[0].to == ["erika+0@example.org"]  # sent to the address as typed


def test_the_email_link_cannot_be_used_for_a_higher_level(client):
    response = client.post("/anmelden/email/start/", {"level": "high", "next": "/"})
    assert response.status_code == 404


def test_logging_out_ends_the_session(client, run_tasks):
    _ask_for_link(client)
    run_tasks()
    client.post(_link(mail.outbox[0]))
    client.post("/abmelden/")
    assert "identity" not in client.session


def test_links_are_rate_limited_per_ip_address(client, settings, run_tasks):
    settings.IDENTITY = {
        **settings.IDENTITY,
        "providers": {
            **settings.IDENTITY["providers"],
            "email": {**settings.IDENTITY["providers"]["email"], "limit_per_ip": 2},
        },
    }
    for number in range(2):
        _ask_for_link(client, email=f"person{number}@example.org")
    response = _ask_for_link(client, email="third@example.org")
    run_tasks()
    assert response.status_code == 400
    assert len(mail.outbox) == 2
