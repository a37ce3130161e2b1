"""Logging out, or in as someone else, ends every access the browser had been granted (a shared computer)."""

import pytest
from django.test import Client

from amtsweg.applications.models import Submission
from amtsweg.catalogue.models import Department
from amtsweg.payments.models import Payment
from tests.accounts.factories import StaffFactory
from tests.civil_status.ordering import GEBURTSURKUNDE, birth_certificate_steps, walk
from tests.payments.test_flow import _pay_at_demo, fill_meldebescheinigung, submit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path, demo_register):
    """Files in the test's folder; the residents' register for the Meldebescheinigung (paid, with the eID)."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def demo_login_on(settings):
    settings.IDENTITY = {**settings.IDENTITY, "enabled": [*settings.IDENTITY["enabled"], "demo"]}


def demo_log_in(client, person):
    assert client.post("/anmelden/demo/start/", {"level": "high", "next": "/mein-amtsweg/"}).status_code == 302
    response = client.post("/anmelden/demo/", {"person": person})
    assert response.status_code == 302, response.content.decode()[:2000]


def log_out(client):
    response = client.post("/abmelden/")
    assert response.status_code == 302


def pages_of(payment: Payment) -> list[str]:
    """The pages the probe opened with the first person's data: confirmation, summary, status, receipt."""
    uuid = payment.submission.uuid
    return [
        f"/antrag/eingereicht/{uuid}/",
        f"/antrag/eingereicht/{uuid}/zusammenfassung.pdf",
        f"/status/{uuid}/",
        f"/zahlung/{payment.uuid}/quittung.pdf",
    ]


def paid_application(client) -> Payment:
    """A paid Meldebescheinigung on paper (with the eID login it needs, if the session has none)."""
    client.get(_pay_at_demo(client, "paid"))
    payment = Payment.objects.get()
    for path in pages_of(payment):
        assert client.get(path).status_code == 200, path
    return payment


def paid_login_free_order(client) -> Payment:
    """A paid Geburtsurkunde, which needs no login."""
    walk(client, GEBURTSURKUNDE, birth_certificate_steps())
    pay_url = client.post(f"{GEBURTSURKUNDE}pruefen/", {"declaration": "yes"})["Location"]
    demo_url = client.post(pay_url, {"method": "card"})["Location"]
    client.get(client.post(demo_url, {"outcome": "paid"})["Location"])
    payment = Payment.objects.get()
    for path in pages_of(payment):
        assert client.get(path).status_code == 200, path
    return payment


def test_after_logout_and_a_login_as_someone_else_none_of_the_first_persons_pages_open(client, forms):
    demo_log_in(client, "kassel-adult")
    payment = paid_application(client)
    assert payment.submission.account is not None

    log_out(client)
    for path in pages_of(payment):
        assert client.get(path).status_code in (401, 403, 404), path
    demo_log_in(client, "kassel-foreign")
    for path in pages_of(payment):
        assert client.get(path).status_code in (403, 404), path
    assert payment.submission.reference not in client.get("/mein-amtsweg/").content.decode()


def test_a_login_as_someone_else_without_logging_out_ends_the_access_too(client, forms):
    demo_log_in(client, "kassel-adult")
    payment = paid_application(client)
    demo_log_in(client, "kassel-foreign")
    for path in pages_of(payment):
        assert client.get(path).status_code in (403, 404), path


def test_the_person_who_made_it_reaches_it_again_by_logging_in(client, forms):
    demo_log_in(client, "kassel-adult")
    payment = paid_application(client)
    log_out(client)
    demo_log_in(client, "kassel-adult")
    for path in pages_of(payment):
        assert client.get(path).status_code == 200, path


def test_a_login_free_application_closes_with_end_session_and_opens_again_with_its_code(client, forms):
    from amtsweg.applications.access import status_access_code

    payment = paid_login_free_order(client)
    submission = payment.submission
    code = status_access_code(session=client.session, submission_uuid=submission.uuid)
    confirmation = client.get(f"/antrag/eingereicht/{submission.uuid}/").content.decode()
    assert "Sitzung beenden" in confirmation  # offered on the page itself, and in the page frame
    page = client.get("/abmelden/").content.decode()
    assert "Sitzung beenden" in page

    log_out(client)
    for path in pages_of(payment):
        assert client.get(path).status_code == 404, path
    assert "Sitzung beenden" not in client.get("/").content.decode()
    found = client.post("/status/", {"reference": submission.reference, "code": code})
    assert found.status_code == 302 and client.get(found["Location"]).status_code == 200


def test_the_access_code_shown_after_submitting_is_forgotten_at_logout(client, forms):
    fill_meldebescheinigung(client)
    submit(client)
    submission = Submission.objects.get()
    from amtsweg.applications.access import status_access_code

    code = status_access_code(session=client.session, submission_uuid=submission.uuid)
    assert len(code) >= 8
    log_out(client)
    assert code not in str(dict(client.session.items()))


def test_a_draft_in_progress_is_gone_after_logout(client, forms):
    walk(client, GEBURTSURKUNDE, birth_certificate_steps())
    assert client.get(f"{GEBURTSURKUNDE}pruefen/").status_code == 200
    log_out(client)
    assert client.get(f"{GEBURTSURKUNDE}pruefen/")["Location"] == GEBURTSURKUNDE


def test_an_expired_login_keeps_the_draft_for_the_same_person_but_not_for_someone_else(client, forms):
    demo_log_in(client, "kassel-adult")
    walk(client, GEBURTSURKUNDE, birth_certificate_steps())
    session = client.session
    session["identity"] = {**session["identity"], "login_at": 0}
    session.save()
    response = client.get(f"{GEBURTSURKUNDE}pruefen/")  # the level is "none" here: no gate
    assert response.status_code == 200
    assert "identity" not in client.session

    other = Client()
    other.cookies = client.cookies
    demo_log_in(other, "kassel-foreign")
    assert other.get(f"{GEBURTSURKUNDE}pruefen/")["Location"] == GEBURTSURKUNDE


def test_an_expired_login_ends_the_access_to_its_applications(client, forms):
    demo_log_in(client, "kassel-adult")
    payment = paid_login_free_order(client)  # no gate on its pages: the access itself must end
    session = client.session
    session["identity"] = {**session["identity"], "seen_at": 0}
    session.save()
    client.get("/")  # any page notices the expiry
    assert client.get(f"/status/{payment.submission.uuid}/").status_code == 404


def test_an_access_grant_runs_out(client, forms, settings):
    payment = paid_login_free_order(client)
    settings.STATUS_ACCESS_MINUTES = 0
    assert client.get(f"/status/{payment.submission.uuid}/").status_code == 404


@pytest.mark.parametrize("which", range(4))
def test_pages_with_an_application_are_not_kept_by_the_browser(client, forms, which):
    payment = paid_application(client)
    response = client.get(pages_of(payment)[which])
    cache_control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= cache_control


def test_a_form_step_and_the_staff_inbox_are_not_kept_either(client, forms):
    fill_meldebescheinigung(client)
    step = client.get("/antrag/meldebescheinigung/schritt/contact/")
    assert "no-store" in step["Cache-Control"]
    staff = Client()
    staff.force_login(StaffFactory(username="anna", departments=[Department.objects.get(slug="buergerbuero")]))
    inbox = staff.get("/intern/")
    assert inbox.status_code == 200 and "no-store" in inbox["Cache-Control"]


def test_public_pages_without_a_session_stay_cacheable():
    response = Client().get("/leistungen/")
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_logout_message_is_shown_once_and_never_cached_for_others(client, forms):
    walk(client, GEBURTSURKUNDE, birth_certificate_steps())
    home = client.get(client.post("/abmelden/")["Location"]).content.decode()
    assert "Ihre Sitzung ist beendet." in home
    assert "Ihre Sitzung ist beendet." not in client.get("/").content.decode()
    assert "Ihre Sitzung ist beendet." not in Client().get("/").content.decode()


def test_a_logged_in_persons_own_application_stays_open_while_the_login_lasts(client, forms, settings):
    demo_log_in(client, "kassel-adult")
    payment = paid_application(client)
    settings.STATUS_ACCESS_MINUTES = 0  # a grant by code or link would have run out
    assert client.get(f"/status/{payment.submission.uuid}/").status_code == 200
    log_out(client)
    demo_log_in(client, "kassel-adult")
    assert client.get(f"/status/{payment.submission.uuid}/").status_code == 200
