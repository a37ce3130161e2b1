"""The form funnel counted from real journeys through the immigration office's contact form, over HTTP."""

import logging

import pytest
from django.db import DatabaseError
from django.utils import timezone

from amtsweg.applications.formengine.base import FieldError
from amtsweg.applications.funnel import funnel_errors
from amtsweg.applications.models import Draft, Submission
from amtsweg.applications.selectors import definition_of
from amtsweg.statistics.constants import FunnelKind
from amtsweg.statistics.models import FunnelCount
from amtsweg.statistics.services import funnel_count
from tests.immigration.helpers import BASE, applicant, steps_for

SLUG = "zuwanderung-kontakt"


def counts() -> dict[tuple[str, str, str], int]:
    return {(row.kind, row.step, row.field): row.count for row in FunnelCount.objects.all()}


def start(client) -> None:
    response = client.post(BASE, follow=True)  # the first step's page is shown, as in a browser
    assert response.status_code == 200


def answer(client, step: str, data: dict, *, status: int = 200):
    response = client.post(f"{BASE}schritt/{step}/", {**data, "action": "continue"}, follow=True)
    assert response.status_code == status, (step, response.content.decode()[:2000])
    return response


def answer_all(client) -> None:
    for key, data in steps_for():
        answer(client, key, data)


@pytest.fixture
def journeys(client, forms, django_capture_on_commit_callbacks):
    """Three citizens start; two answer the topic; one meets an error on the applicant step, corrects it,
    answers every step, reaches the check page and sends the form."""
    from django.test import Client

    first, second, third = client, Client(), Client()
    for each in (first, second, third):
        start(each)
    answer(first, "topic", {"topic": "extend_permit"})
    answer(second, "topic", {"topic": "extend_permit"})
    assert first.get(f"{BASE}schritt/applicant/").status_code == 200  # a reload of the step it reached
    bad = {**applicant(), "nationality": ""}
    answer(second, "applicant", bad, status=400)
    answer(second, "applicant", bad, status=400)  # the same error again
    answer_all(second)
    second.post(f"{BASE}unterlagen/", {})
    assert second.get(f"{BASE}pruefen/").status_code == 200
    second.get(f"{BASE}pruefen/")  # a reload of the check page
    with django_capture_on_commit_callbacks(execute=True):
        assert second.post(f"{BASE}pruefen/", {"declaration": "yes"}).status_code == 302
    second.post(f"{BASE}pruefen/", {"declaration": "yes"})  # a second click sends nothing again
    assert Submission.objects.count() == 1


def test_started_steps_check_and_submitted_are_counted_once_per_draft(journeys):
    found = counts()
    assert found[(FunnelKind.STARTED, "", "")] == 3
    assert found[(FunnelKind.STEP, "topic", "")] == 3
    assert found[(FunnelKind.STEP, "applicant", "")] == 2  # the first citizen's reload counts once
    for key, _data in steps_for()[2:]:
        assert found[(FunnelKind.STEP, key, "")] == 1, key
    assert found[(FunnelKind.CHECK, "", "")] == 1
    assert found[(FunnelKind.SUBMITTED, "", "")] == 1


def test_the_field_whose_error_was_met_is_counted_once_per_draft(journeys):
    errors = {key: count for key, count in counts().items() if key[0] == FunnelKind.ERROR}
    assert errors == {(FunnelKind.ERROR, "applicant", "nationality"): 1}


def test_the_counts_carry_the_form_version_and_the_steps_place(journeys):
    rows = {row.step: row for row in FunnelCount.objects.filter(kind=FunnelKind.STEP)}
    assert {row.form_version for row in FunnelCount.objects.all()} == {1}
    assert rows["topic"].position == 0 and rows["applicant"].position == 1
    assert rows["request"].position > rows["permit"].position


def test_counting_does_not_touch_the_drafts_last_change(client, forms):
    start(client)
    draft = Draft.objects.get()
    before = draft.updated_at
    assert client.get(f"{BASE}schritt/topic/").status_code == 200
    client.post(f"{BASE}schritt/topic/", {"action": "continue"})  # an error: nothing saved, the error counted

    draft.refresh_from_db()
    assert draft.updated_at == before
    assert draft.funnel_counted == ["started", "step:topic", "error:topic:topic"]


def test_a_step_rule_that_names_no_field_of_the_step_counts_as_the_steps_own_error(forms, client):
    start(client)
    draft = Draft.objects.select_related("form_version").get()
    step = definition_of(form_version=draft.form_version).step("topic")

    funnel_errors(draft=draft, step=step, position=0, errors=[FieldError(key="elsewhere", message="x")])

    assert counts()[(FunnelKind.ERROR, "topic", "")] == 1


def test_nothing_personal_is_kept_in_the_funnel(journeys):
    allowed = {"id", "service", "form_version", "day", "kind", "step", "field", "position", "count"}
    assert {field.name for field in FunnelCount._meta.concrete_fields} == allowed
    stored = " ".join(str(value) for row in FunnelCount.objects.values_list() for value in row)
    for personal in ("Amina", "Haddad", "syrisch", "34117", "example.org", "Verlängerung"):
        assert personal not in stored


def test_a_failure_to_count_does_not_break_the_citizens_request(client, forms, monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise DatabaseError("disk full")

    monkeypatch.setattr(FunnelCount.objects, "filter", broken)
    with caplog.at_level(logging.WARNING, logger="amtsweg.statistics.services"):
        start(client)
        answer(client, "topic", {"topic": "extend_permit"})

    assert Draft.objects.get().answers["topic"] == "extend_permit"
    assert "funnel count failed" in caplog.text
    assert not FunnelCount.objects.exists()


def test_a_count_made_twice_on_one_day_adds_to_one_row(forms):
    from amtsweg.catalogue.models import Service

    service = Service.objects.get(slug=SLUG)
    for _ in range(2):
        funnel_count(service_id=service.pk, form_version=1, kind=FunnelKind.STEP, step="topic")

    assert FunnelCount.objects.get().count == 2


def test_a_first_count_that_loses_the_race_for_the_days_row_adds_to_the_winners(forms, monkeypatch):
    from amtsweg.catalogue.models import Service

    service = Service.objects.get(slug=SLUG)
    key = {"service_id": service.pk, "form_version": 1, "kind": FunnelKind.STARTED}
    FunnelCount.objects.create(**key, day=timezone.localdate(), count=1)  # the other request's row
    real_filter = FunnelCount.objects.filter
    looked = []

    def row_not_there_yet(**kwargs):
        queryset = real_filter(**kwargs)
        if not looked:  # when this request looked, the other one had not made the row yet
            looked.append(True)
            queryset.update = lambda **_changes: 0
        return queryset

    monkeypatch.setattr(FunnelCount.objects, "filter", row_not_there_yet)
    funnel_count(**key)

    assert FunnelCount.objects.get().count == 2
