"""Every staff URL, found by walking the URLconf: who may open it, and that it shows one department only.

Modelled on GOV.UK Notify's test_route_authentication.py: a new page under ``intern/`` is covered
the moment it is mounted, without anyone remembering to add a test for it.
"""

import uuid

import pytest
from django.contrib.auth.models import Permission
from django.urls import URLPattern, URLResolver, get_resolver

from amtsweg.applications.models import StoredFile
from amtsweg.appointments.models import BookingPolicy
from amtsweg.catalogue.models import Department, Location
from tests.accounts.factories import StaffFactory
from tests.civil_status.fulfilment import order

LOGIN = "/intern/anmelden/"
# Reachable before the staff check: signing in, signing out and the second factor.
SIGN_IN_PAGES = {"login", "logout", "otp_verify", "otp_setup"}
# Staff pages with an object in their URL that belongs to no department, and why.
NOT_DEPARTMENT_SCOPED = {
    # The survey's ideas and raffles belong to the whole office; the leadership permission guards them.
    "idea_edit",
    "winners",
}


def _walk(patterns, prefix=""):
    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _walk(p.url_patterns, prefix + str(p.pattern))
        elif isinstance(p, URLPattern):
            yield prefix + str(p.pattern), p


def _staff_patterns() -> list[tuple[str, URLPattern]]:
    found = []
    for route, pattern in _walk(get_resolver().url_patterns):
        if not route.startswith("intern/") or route.startswith("intern/admin/"):
            continue  # the Django admin has its own login (tests/test_architecture.py)
        if pattern.name in SIGN_IN_PAGES:
            continue
        found.append((route, pattern))
    return found


STAFF_PATTERNS = _staff_patterns()


def _fill(route: str, pattern: URLPattern, values: dict[str, str]) -> str:
    """The route with each converter replaced by the value for its name (a fixed UUID or slug by default)."""
    path = route
    for position, (name, converter) in enumerate(pattern.pattern.converters.items()):
        kind = type(converter).__name__.removesuffix("Converter").lower()
        value = values.get(name, str(uuid.UUID(int=position + 1)) if kind == "uuid" else "kassel")
        path = path.replace(f"<{kind}:{name}>", value)
    return "/" + path


def test_the_walk_finds_the_staff_pages_of_every_department_module():
    modules = {pattern.callback.__module__.split(".")[1] for _route, pattern in STAFF_PATTERNS}
    assert {"cases", "appointments", "feedback", "civil_status", "payments"} <= modules


@pytest.mark.parametrize(("route", "pattern"), STAFF_PATTERNS, ids=[r for r, _p in STAFF_PATTERNS])
def test_every_staff_page_sends_anonymous_visitors_to_the_staff_login(client, db, route, pattern):
    url = _fill(route, pattern, {})
    for method in (client.get, client.post):
        response = method(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(LOGIN + "?next="), url


@pytest.mark.parametrize(("route", "pattern"), STAFF_PATTERNS, ids=[r for r, _p in STAFF_PATTERNS])
def test_every_staff_page_refuses_accounts_that_are_not_department_staff(client, db, route, pattern, settings):
    settings.STAFF_2FA_REQUIRED = False
    url = _fill(route, pattern, {})
    for user in (StaffFactory(is_staff=False), StaffFactory()):  # a citizen-like account; staff of no department
        client.force_login(user)
        assert client.get(url).status_code in (403, 404), url
        assert client.post(url).status_code in (403, 404), url
        client.logout()


@pytest.fixture
def standesamt_objects(forms, settings, tmp_path):
    """One object of the Standesamt for every converter a staff URL can name."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.STAFF_2FA_REQUIRED = False
    created = order()
    stored = StoredFile.objects.create(
        submission=created.case.submission,
        original_name="ausweis.pdf",
        content_type="application/pdf",
        size=3,
        sha256="0" * 64,
        storage_name="aa/bb/ausweis",
    )
    location = Location.objects.filter(department__slug="standesamt").first()
    BookingPolicy.objects.create(location=location, waiting_room_capacity=12, waiting_minutes=10)
    return {
        # Each staff page names its object by the parameter name; the value is the Standesamt's.
        "cases:": {"uuid": str(created.case.uuid), "file_uuid": str(stored.uuid)},
        "civil_status:": {"uuid": str(created.uuid)},
        # The Bürgerbüro's pages under a case (the paper print, the answer to a request) name the case.
        "residents:": {"uuid": str(created.case.uuid)},
        # The immigration office's triage of a case names the case.
        "immigration:": {"uuid": str(created.case.uuid)},
        # The registration office's action on a vehicle application names its case.
        "vehicles:": {"uuid": str(created.case.uuid)},
        "appointments:": {"location": location.slug},
        # The funnel of one form names its service.
        "statistics:": {"slug": created.case.submission.service.slug},
    }


def test_staff_of_another_department_see_none_of_its_objects(client, standesamt_objects):
    outsider = StaffFactory(departments=[Department.objects.get(slug="buergerbuero")])
    outsider.user_permissions.add(*Permission.objects.all())  # every permission, only the department differs
    client.force_login(outsider)
    checked = []
    for route, pattern in STAFF_PATTERNS:
        if not pattern.pattern.converters:
            continue
        if pattern.name in NOT_DEPARTMENT_SCOPED:
            continue
        module = pattern.callback.__module__.split(".")[1]
        values = standesamt_objects.get(f"{module}:")
        assert values is not None, f"{route}: name the department's object for this staff page, or list it"
        url = _fill(route, pattern, values)
        response = client.get(url)
        if response.status_code == 405:  # a page that only takes POST: the check must hold there too
            response = client.post(url)
        assert response.status_code in (403, 404), url
        checked.append(pattern.name)
    assert {"case_detail", "case_file", "order_detail", "staff_day", "funnel_detail"} <= set(checked)
