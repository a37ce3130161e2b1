"""Who may use the back office: sign-in, lockout, second factor, departments."""

import uuid

import pytest
from django.urls import URLPattern, reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from amtsweg.accounts.views import TOTP_SESSION_KEY
from amtsweg.cases import urls as case_urls
from amtsweg.cases.models import AuditEntry
from tests.accounts.factories import StaffFactory

from .factories import CaseFactory

PASSWORD = "correct-horse-battery"  # StaffFactory's
LOGIN = "/intern/anmelden/"
# Pages that must be reachable before the staff check: signing in and the second factor.
SIGN_IN_PAGES = {"login", "logout", "otp_verify", "otp_setup"}


def _back_office_urls() -> list[tuple[str, str]]:
    urls = []
    for pattern in case_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in SIGN_IN_PAGES:
            continue
        # Fixed UUIDs: test ids must be the same in every pytest-xdist worker.
        kwargs = {name: uuid.UUID(int=i + 1) for i, name in enumerate(pattern.pattern.converters)}
        urls.append((pattern.name, reverse(f"cases:{pattern.name}", kwargs=kwargs)))
    return urls


BACK_OFFICE = _back_office_urls()


def test_the_back_office_has_the_expected_pages():
    assert {name for name, _url in BACK_OFFICE} == {
        "inbox",
        "figures",
        "case_detail",
        "case_file",
        "case_audit",
        "case_audit_csv",
    }


@pytest.mark.parametrize(("name", "url"), BACK_OFFICE)
def test_anonymous_visitors_are_sent_to_the_staff_login(client, db, name, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN + "?next=")


@pytest.mark.parametrize(("name", "url"), BACK_OFFICE)
def test_users_without_a_department_are_refused(client, db, name, url):
    client.force_login(StaffFactory())
    assert client.get(url).status_code == 403


@pytest.mark.parametrize(("name", "url"), BACK_OFFICE)
def test_inactive_or_non_staff_accounts_with_a_department_are_refused(client, department, name, url):
    client.force_login(StaffFactory(is_staff=False, departments=[department]))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("name", ["otp_verify", "otp_setup"])
def test_second_factor_pages_need_a_signed_in_user(client, db, name):
    response = client.get(reverse(f"accounts:{name}"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_signing_out_needs_a_post(staff_client):
    assert staff_client.get("/intern/abmelden/").status_code == 405
    response = staff_client.post("/intern/abmelden/")
    assert response.status_code == 302 and response["Location"] == LOGIN
    assert staff_client.get("/intern/").status_code == 302


# --- another department -------------------------------------------------------------


def test_staff_of_another_department_get_404_for_the_case_its_files_and_its_log(client, service, outsider):
    case = CaseFactory.for_service(service)
    from amtsweg.applications.models import StoredFile

    stored = StoredFile.objects.create(
        submission=case.submission,
        original_name="ausweis.pdf",
        content_type="application/pdf",
        size=3,
        sha256="0" * 64,
        storage_name="aa/bb/ausweis",
    )
    from django.contrib.auth.models import Permission

    outsider.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    client.force_login(outsider)
    for url in [
        f"/intern/faelle/{case.uuid}/",
        f"/intern/faelle/{case.uuid}/dateien/{stored.uuid}/",
        f"/intern/faelle/{case.uuid}/protokoll/",
        f"/intern/faelle/{case.uuid}/protokoll.csv",
    ]:
        assert client.get(url).status_code == 404, url
    response = client.post(f"/intern/faelle/{case.uuid}/", {"action": "note", "note-text": "Hallo"})
    assert response.status_code == 404
    assert not AuditEntry.objects.exists()
    assert not case.events.exists()


# --- sign-in and lockout ----------------------------------------------------------------


def test_staff_sign_in_leads_to_the_inbox(client, staff):
    page = client.get(LOGIN)
    assert page.status_code == 200
    assert 'autocomplete="username"' in page.content.decode()
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/intern/"
    assert client.get("/intern/").status_code == 200


def test_sign_in_returns_to_the_page_asked_for(client, staff, service):
    case = CaseFactory.for_service(service)
    target = f"/intern/faelle/{case.uuid}/"
    response = client.post(f"{LOGIN}?next={target}", {"username": "anna", "password": PASSWORD, "next": target})
    assert response["Location"] == target


def test_a_wrong_password_shows_the_error_summary(client, staff):
    response = client.post(LOGIN, {"username": "anna", "password": "wrong"})
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode() or "Es gibt ein Problem" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_user_name_from_this_address(client, staff):
    for attempt in range(4):
        response = client.post(LOGIN, {"username": "anna", "password": f"wrong-{attempt}"})
        assert response.status_code == 200
    response = client.post(LOGIN, {"username": "anna", "password": "wrong-5"})
    assert response.status_code == 429
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    # Even the right password does not get in now.
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})
    assert response.status_code == 429
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    assert "_auth_user_id" not in client.session


def test_a_lockout_does_not_block_another_user(client, staff, colleague):
    for attempt in range(5):
        client.post(LOGIN, {"username": "anna", "password": f"wrong-{attempt}"})
    response = client.post(LOGIN, {"username": "bernd", "password": PASSWORD})
    assert response.status_code == 302


# --- the second factor ---------------------------------------------------------------


def _code(device_or_key) -> str:
    key = device_or_key.bin_key if isinstance(device_or_key, TOTPDevice) else bytes.fromhex(device_or_key)
    return f"{totp(key):06d}"


@pytest.fixture
def required(settings):
    settings.STAFF_2FA_REQUIRED = True


def test_when_required_staff_without_an_app_must_set_one_up_first(client, staff, required):
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})
    assert response["Location"] == "/intern/2fa/einrichten/?next=%2Fintern%2F"
    assert client.get("/intern/")["Location"].startswith("/intern/2fa/einrichten/")

    page = client.get("/intern/2fa/einrichten/?next=/intern/")
    assert page.status_code == 200
    key = client.session[TOTP_SESSION_KEY]
    body = page.content.decode()
    assert "otpauth://totp/Amtsweg%3Aanna?secret=" in body
    assert page.context["secret_groups"]

    wrong = client.post("/intern/2fa/einrichten/", {"token": "000000", "next": "/intern/"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.exists()

    response = client.post("/intern/2fa/einrichten/", {"token": _code(key), "next": "/intern/"})
    assert response.status_code == 303 and response["Location"] == "/intern/"
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed and device.key == key
    assert client.get("/intern/").status_code == 200


def test_when_required_staff_with_an_app_must_enter_a_code(client, staff, required):
    device = TOTPDevice.objects.create(user=staff, name="App", confirmed=True)
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})
    assert response["Location"] == "/intern/2fa/?next=%2Fintern%2F"
    assert client.get("/intern/")["Location"].startswith("/intern/2fa/")
    page = client.get("/intern/2fa/?next=/intern/")
    assert "Skip" not in page.content.decode() and "überspringen" not in page.content.decode()

    assert client.post("/intern/2fa/", {"token": "12345x", "next": "/intern/"}).status_code == 400
    assert client.get("/intern/").status_code == 302

    response = client.post("/intern/2fa/", {"token": _code(device), "next": "/intern/"})
    assert response.status_code == 303 and response["Location"] == "/intern/"
    assert client.get("/intern/").status_code == 200


def test_a_second_app_cannot_be_registered_with_the_password_alone(client, staff, required):
    TOTPDevice.objects.create(user=staff, name="App", confirmed=True)
    client.force_login(staff)
    response = client.get("/intern/2fa/einrichten/")
    assert response.status_code == 302 and response["Location"].startswith("/intern/2fa/?")
    assert TOTPDevice.objects.count() == 1


def test_an_outside_next_address_is_ignored(client, staff, required):
    device = TOTPDevice.objects.create(user=staff, name="App", confirmed=True)
    client.force_login(staff)
    response = client.post("/intern/2fa/", {"token": _code(device), "next": "https://evil.example/"})
    assert response["Location"] == "/intern/"


def test_when_not_required_the_second_factor_can_be_skipped(client, staff):
    TOTPDevice.objects.create(user=staff, name="App", confirmed=True)
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})
    assert response["Location"].startswith("/intern/2fa/")  # offered, because the user has an app
    page = client.get(response["Location"])
    assert page.context["optional"] is True
    assert client.get("/intern/").status_code == 200  # ... but not needed


def test_when_not_required_staff_without_an_app_go_straight_in(client, staff):
    response = client.post(LOGIN, {"username": "anna", "password": PASSWORD})
    assert response["Location"] == "/intern/"
    page = client.get("/intern/2fa/einrichten/")
    assert page.status_code == 200 and page.context["optional"] is True
