import pytest
from django.test import Client

from amtsweg.catalogue.models import Department, Fee, Service
from tests.accounts.factories import StaffFactory

ADMIN = "/intern/admin/catalogue/service/"


def _change_form_data(client, service: Service) -> dict:
    """The admin change form as a browser would post it back, from the form itself."""
    response = client.get(f"{ADMIN}{service.pk}/change/")
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    for formset in response.context["inline_admin_formsets"]:
        management = formset.formset.management_form
        for name in management.fields:
            data[f"{management.prefix}-{name}"] = management[name].value()
        for inline_form in formset.formset.forms:
            for name in inline_form.fields:
                value = inline_form[name].value()
                if value is None:
                    continue
                key = f"{inline_form.prefix}-{name}"
                if isinstance(value, bool):
                    if value:
                        data[key] = "on"
                else:
                    data[key] = str(value)
    return data


@pytest.fixture
def editor(kassel, editors_group):
    user = StaffFactory(departments=list(Department.objects.filter(slug="buergerbuero")))
    user.groups.add(editors_group)
    return user


def test_editor_change_appears_on_the_public_page_at_once(client, editor, django_capture_on_commit_callbacks):
    service = Service.objects.get(slug="meldebescheinigung")
    visitor = Client()
    for _ in range(2):  # the second visit is served from the page cache
        page = visitor.get("/leistungen/meldebescheinigung/")
    assert page["X-Amtsweg-Cache"] == "hit"
    client.force_login(editor)
    data = _change_form_data(client, service)
    data["name_de"] = "Meldebescheinigung (neu formuliert)"
    data["name_en"] = "Certificate of registration (reworded)"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ADMIN}{service.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else response
    client.logout()
    assert "Meldebescheinigung (neu formuliert)" in client.get("/leistungen/meldebescheinigung/").content.decode()
    assert "Certificate of registration (reworded)" in client.get("/en/leistungen/meldebescheinigung/").content.decode()


def test_editor_changes_a_fee_and_the_page_shows_the_new_amount(client, editor, django_capture_on_commit_callbacks):
    service = Service.objects.get(slug="meldebescheinigung")
    client.force_login(editor)
    data = _change_form_data(client, service)
    fee_keys = [k for k in data if k.startswith("fees-") and k.endswith("-amount_cents")]
    assert fee_keys, "the seeded Meldebescheinigung has a fee"
    data[fee_keys[0]] = "1234"
    Client().get("/leistungen/meldebescheinigung/")  # cached before the change
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{ADMIN}{service.pk}/change/", data)
    assert response.status_code == 302
    client.logout()
    assert "12,34 €" in client.get("/leistungen/meldebescheinigung/").content.decode()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_fee_valid_from_a_day_at_the_end_of_the_calendar_is_refused(client, editor, day):
    service = Service.objects.get(slug="meldebescheinigung")
    client.force_login(editor)
    data = _change_form_data(client, service)
    [key] = [k for k in data if k.startswith("fees-0-") and k.endswith("-valid_from")] or ["fees-0-valid_from"]
    data[key] = day
    response = client.post(f"{ADMIN}{service.pk}/change/", data)
    assert response.status_code == 200
    assert "Geben Sie einen Tag zwischen" in response.content.decode()
    assert not Fee.objects.filter(valid_from__year__gt=2099).exists()


def test_editor_unpublishes_and_the_page_is_gone(client, editor, django_capture_on_commit_callbacks):
    service = Service.objects.get(slug="meldebescheinigung")
    assert Client().get("/leistungen/meldebescheinigung/").status_code == 200  # now cached
    client.force_login(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ADMIN, {"action": "unpublish", "_selected_action": [service.pk]})
    assert response.status_code == 302
    client.logout()
    assert client.get("/leistungen/meldebescheinigung/").status_code == 404


def test_editor_cannot_see_or_change_another_departments_service(client, editor):
    other = Service.objects.get(slug="geburtsurkunde")
    client.force_login(editor)
    listing = client.get(ADMIN).content.decode()
    assert "Meldebescheinigung" in listing
    assert "Geburtsurkunde" not in listing
    response = client.get(f"{ADMIN}{other.pk}/change/")
    assert response.status_code == 302  # the admin redirects to its index for objects outside the queryset
    assert client.post(f"{ADMIN}{other.pk}/change/", {"name_de": "gekapert"}).status_code == 302
    other.refresh_from_db()
    assert other.name_de == "Geburtsurkunde"


def test_staff_without_editor_role_cannot_edit(client, kassel):
    reader = StaffFactory(departments=list(Department.objects.all()))
    service = Service.objects.get(slug="meldebescheinigung")
    client.force_login(reader)
    assert client.get(f"{ADMIN}{service.pk}/change/").status_code == 403
    response = client.post(f"{ADMIN}{service.pk}/change/", {"name_de": "gekapert"})
    assert response.status_code == 403
    service.refresh_from_db()
    assert service.name_de == "Meldebescheinigung"


def test_anonymous_visitors_are_sent_to_the_login(client, kassel):
    response = client.get(ADMIN)
    assert response.status_code == 302
    assert "/intern/admin/login/" in response["Location"]


def test_fees_marked_zu_pruefen_can_be_filtered_in_the_admin(client, kassel, admin_user):
    client.force_login(admin_user)
    flagged = Fee.objects.filter(needs_review=True)
    assert flagged.exists(), "the seed marks uncertain fees for review"
    response = client.get(ADMIN, {"needs_review__exact": "1"})
    assert response.status_code == 200
    assert "zu prüfen" in client.get(f"{ADMIN}{flagged.first().service_id}/change/").content.decode()


def test_superuser_sees_every_department(client, kassel, admin_user):
    client.force_login(admin_user)
    listing = client.get(ADMIN).content.decode()
    assert "Geburtsurkunde" in listing and "Meldebescheinigung" in listing
