"""The staff's funnel pages: permission, the user's departments, the period filter and the figures shown."""

import datetime
import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from amtsweg.catalogue.models import Service
from amtsweg.statistics.constants import FunnelKind
from amtsweg.statistics.services import funnel_count
from tests.accounts.factories import StaffFactory
from tests.immigration.helpers import applicant

from .test_funnel_counts import answer, start

LIST = "/intern/statistik/formulare/"
DETAIL = "/intern/statistik/formulare/zuwanderung-kontakt/"


def page(response) -> str:
    return html.unescape(response.content.decode())


def cells(text: str, table: str) -> list[list[str]]:
    """The rows of the table ``data-figures=table`` as lists of cell texts."""
    body = re.search(rf'data-figures="{table}".*?<tbody[^>]*>(.*?)</tbody>', text, re.S)
    assert body is not None, table
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body.group(1), re.S)
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in rows
    ]


def staff(department_slug: str, *, figures: bool = True):
    service = Service.objects.filter(department__slug=department_slug).first()
    user = StaffFactory(departments=[service.department])
    if figures:
        user.user_permissions.add(Permission.objects.get(codename="view_figures", content_type__app_label="statistics"))
    return user


@pytest.fixture
def immigration_staff(forms, settings):
    settings.STAFF_2FA_REQUIRED = False
    return staff(Service.objects.get(slug="zuwanderung-kontakt").department.slug)


@pytest.fixture
def walked(forms, client):
    """Three citizens start the contact form, two answer the topic, one meets an error on the applicant step."""
    from django.test import Client

    first, second, third = Client(), Client(), Client()
    for each in (first, second, third):
        start(each)
    answer(first, "topic", {"topic": "extend_permit"})
    answer(second, "topic", {"topic": "extend_permit"})
    answer(second, "applicant", {**applicant(), "nationality": ""}, status=400)


def test_the_funnel_shows_the_counts_and_shares_per_step_with_the_labels_of_the_form(client, immigration_staff, walked):
    client.force_login(immigration_staff)

    response = client.get(DETAIL)

    assert response.status_code == 200
    text = page(response)
    rows = cells(text, "funnel")
    assert rows[0] == ["Begonnen", "3", "100 %"]
    assert rows[1] == ["Worum geht es?", "3", "100 %"]  # the step's title from the form, not its key
    assert rows[2][1:] == ["2", "67 %"]
    assert rows[-2] == ["Prüfseite erreicht", "0", "0 %"]
    assert rows[-1] == ["Antrag abgeschickt", "0", "0 %"]
    # The step's title and the field's label from the form, not their keys.
    assert cells(text, "funnel-errors") == [["Ihre Angaben", "Ihre Staatsangehörigkeit", "1"]]
    assert 'role="img"' in text and "<title" in text and "Begonnen: 3 (100 %)" in text


def test_the_list_shows_the_forms_of_the_users_departments_only(client, immigration_staff, walked):
    other = Service.objects.exclude(department=immigration_staff.departments.first()).first()
    funnel_count(service_id=other.pk, form_version=1, kind=FunnelKind.STARTED)
    client.force_login(immigration_staff)

    rows = cells(page(client.get(LIST)), "funnel-forms")

    assert len(rows) == 1
    assert rows[0][0] == "Anfrage an die Ausländerbehörde" and rows[0][3:] == ["3", "0", "0 %"]


def test_another_departments_form_is_not_found(client, forms, settings, walked):
    settings.STAFF_2FA_REQUIRED = False
    outsider = staff("standesamt")
    client.force_login(outsider)

    assert client.get(DETAIL).status_code == 404
    assert client.get("/intern/statistik/formulare/gibt-es-nicht/").status_code == 404
    assert "Anfrage an die Ausländerbehörde" not in page(client.get(LIST))


def test_without_the_permission_the_pages_are_refused(client, forms, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(staff("buergerbuero", figures=False))

    assert client.get(LIST).status_code == 403
    assert client.get(DETAIL).status_code == 403


def test_a_bad_date_is_reported_with_the_input_kept_and_the_default_period_shown(client, immigration_staff, walked):
    client.force_login(immigration_staff)

    response = client.get(DETAIL, {"von": "31.02.2026", "bis": timezone.localdate().isoformat()})

    assert response.status_code == 400
    text = page(response)
    assert "Es gibt ein Problem" in text and 'href="#id_von"' in text
    assert 'value="31.02.2026"' in text
    assert cells(text, "funnel")[0] == ["Begonnen", "3", "100 %"]  # the last 30 days instead


def test_a_last_day_before_the_first_is_reported(client, immigration_staff):
    client.force_login(immigration_staff)

    response = client.get(LIST, {"von": "2026-05-10", "bis": "2026-05-01"})

    assert response.status_code == 400
    assert "Der letzte Tag darf nicht vor dem ersten Tag liegen" in page(response)


def test_the_period_filter_leaves_out_the_days_outside_it(client, immigration_staff, walked):
    service = Service.objects.get(slug="zuwanderung-kontakt")
    long_ago = timezone.localdate() - datetime.timedelta(days=100)
    for _ in range(5):
        funnel_count(service_id=service.pk, form_version=1, kind=FunnelKind.STARTED, day=long_ago)
    client.force_login(immigration_staff)

    assert cells(page(client.get(DETAIL)), "funnel")[0][1] == "3"  # the last 30 days by default
    day = long_ago.isoformat()
    assert cells(page(client.get(DETAIL, {"von": day, "bis": day})), "funnel")[0][1] == "5"
