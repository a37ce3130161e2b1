import datetime

import pytest
from django.http import Http404
from django.utils import timezone

from amtsweg.cases.constants import CaseStatus
from amtsweg.cases.models import Case
from amtsweg.cases.selectors import (
    case_answer_rows,
    case_get_for_staff,
    case_is_overdue,
    case_list_for_staff,
    case_status_counts,
    case_status_labels,
)
from tests.accounts.factories import StaffFactory

from .factories import CaseFactory, ProcessingRuleFactory


def _refs(queryset) -> set[str]:
    return set(queryset.values_list("reference", flat=True))


def _received_days_ago(case: Case, days: int) -> Case:
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - datetime.timedelta(days=days))
    return case


@pytest.fixture
def mine(service):
    return CaseFactory.for_service(service, reference="KS-2026-000123-4", applicant_name="Erika Mustermann")


@pytest.fixture
def theirs(other_service):
    return CaseFactory.for_service(other_service, reference="KS-2026-000999-1", applicant_name="Max Muster")


def test_staff_see_only_the_cases_of_their_departments(staff, mine, theirs):
    assert _refs(case_list_for_staff(user=staff)) == {mine.reference}


def test_superusers_see_every_case(mine, theirs):
    boss = StaffFactory(is_superuser=True)
    assert _refs(case_list_for_staff(user=boss)) == {mine.reference, theirs.reference}


def test_staff_without_a_department_see_nothing(mine):
    assert not case_list_for_staff(user=StaffFactory()).exists()


def test_a_case_of_another_department_is_not_found(outsider, mine):
    with pytest.raises(Http404):
        case_get_for_staff(user=outsider, uuid=mine.uuid)


@pytest.mark.parametrize(
    "q",
    ["KS-2026-000123-4", "ks-2026-000123-4", "KS20260001234", "ks2026000123", "000123", " 2026-000123 ", "Mustermann"],
)
def test_search_finds_the_reference_with_or_without_dashes_and_the_name(staff, mine, service, q):
    CaseFactory.for_service(service, reference="KS-2026-000124-1", applicant_name="Hans Meier")
    assert _refs(case_list_for_staff(user=staff, q=q)) == {mine.reference}


@pytest.mark.parametrize("q", ["müller", "Müller", "MüLLER", "jörg s", "rg Str", "Straßer-Müller"])
def test_search_finds_any_part_of_a_german_name_in_any_case(staff, service, q):
    found = CaseFactory.for_service(service, applicant_name="Jörg Straßer-Müller")
    CaseFactory.for_service(service, applicant_name="Jürgen Muller")
    assert _refs(case_list_for_staff(user=staff, q=q)) == {found.reference}


@pytest.mark.parametrize("q", ["MÜLLER", "JÖRG", "jÖrg straßer-mÜller"])
def test_on_postgresql_search_also_folds_the_case_of_umlauts(staff, service, q):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite's LIKE folds the case of ASCII letters only")
    found = CaseFactory.for_service(service, applicant_name="Jörg Straßer-Müller")
    CaseFactory.for_service(service, applicant_name="Jürgen Muller")
    assert _refs(case_list_for_staff(user=staff, q=q)) == {found.reference}


def test_search_does_not_reach_other_departments(staff, mine, theirs):
    assert not case_list_for_staff(user=staff, q="KS-2026-000999-1").exists()
    assert not case_list_for_staff(user=staff, q="Max Muster").exists()


def test_filters_by_service_status_and_assignee(staff, colleague, service, department):
    from tests.catalogue.factories import ServiceFactory

    second = ServiceFactory(department=department)
    a = CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS, assignee=staff)
    b = CaseFactory.for_service(second, status=CaseStatus.IN_PROGRESS, assignee=colleague)
    c = CaseFactory.for_service(service)
    assert _refs(case_list_for_staff(user=staff, service=service)) == {a.reference, c.reference}
    assert _refs(case_list_for_staff(user=staff, service=second.slug)) == {b.reference}
    assert _refs(case_list_for_staff(user=staff, status="in_progress")) == {a.reference, b.reference}
    assert _refs(case_list_for_staff(user=staff, assignee="me")) == {a.reference}
    assert _refs(case_list_for_staff(user=staff, assignee="bernd")) == {b.reference}
    assert _refs(case_list_for_staff(user=staff, assignee=colleague)) == {b.reference}
    assert _refs(case_list_for_staff(user=staff, assignee="unassigned")) == {c.reference}


def test_age_filter_keeps_cases_received_at_least_that_many_days_ago(staff, service):
    old = _received_days_ago(CaseFactory.for_service(service), 8)
    _received_days_ago(CaseFactory.for_service(service), 2)
    assert _refs(case_list_for_staff(user=staff, age_days=7)) == {old.reference}


def test_overdue_means_past_the_due_date_and_still_open(staff, service):
    past = timezone.now() - datetime.timedelta(hours=1)
    late = CaseFactory.for_service(service, due_at=past, status=CaseStatus.IN_PROGRESS)
    CaseFactory.for_service(service, due_at=past, status=CaseStatus.COMPLETED)
    CaseFactory.for_service(service, due_at=timezone.now() + datetime.timedelta(days=1))
    CaseFactory.for_service(service, due_at=None)
    overdue = case_list_for_staff(user=staff, overdue=True)
    assert _refs(overdue) == {late.reference}
    flags = {c.reference: c.is_overdue for c in case_list_for_staff(user=staff)}
    assert flags[late.reference] is True and sum(flags.values()) == 1
    assert case_is_overdue(late) and not case_is_overdue(Case.objects.get(status="completed"))


def test_status_counts_cover_every_standard_status_of_the_users_departments(staff, service, other_service):
    CaseFactory.for_service(service)
    CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    CaseFactory.for_service(service, status=CaseStatus.IN_PROGRESS)
    CaseFactory.for_service(other_service, status=CaseStatus.IN_PROGRESS)
    counts = case_status_counts(user=staff)
    assert counts == {
        "received": 1,
        "in_progress": 2,
        "waiting": 0,
        "completed": 0,
        "rejected": 0,
        "withdrawn": 0,
    }


def test_extra_states_have_labels_in_the_active_language(staff, service):
    from django.utils import translation

    ProcessingRuleFactory(
        service=service, extra_states=[{"key": "shipped", "label": {"de": "Versendet", "en": "Sent"}}]
    )
    with translation.override("de"):
        assert case_status_labels(user=staff)["shipped"] == "Versendet"
    with translation.override("en"):
        labels = case_status_labels(user=staff)
        assert labels["shipped"] == "Sent" and labels["in_progress"] == "In progress"


def test_answers_are_shown_by_label_in_the_order_of_the_form(service, caplog):
    case = CaseFactory.for_service(service)
    with caplog.at_level("ERROR", logger="amtsweg.cases.selectors"):
        rows = case_answer_rows(case=case)
    assert caplog.records == []  # displayed by the form engine, not by the fallback
    assert [row.value for row in rows][1] == "erika@example.org"
    assert "Mustermann" in rows[0].value
    assert rows[0].label in {"Ihr Name", "Your name"}


def test_answers_fall_back_to_raw_keys_when_the_definition_cannot_be_read(service):
    case = CaseFactory.for_service(service)
    case.submission.definition = {"broken": True}
    rows = case_answer_rows(case=case)
    assert {row.label: row.value for row in rows} == {"name": "Erika Mustermann", "email": "erika@example.org"}


def test_the_forms_computed_counts_are_not_shown_as_answers(service):
    case = CaseFactory.for_service(service)
    submission = case.submission
    submission.definition = {**submission.definition, "counts": {"email_given": ["email != ''"]}}
    submission.answers = {**submission.answers, "email_given": 1}
    rows = case_answer_rows(case=case)
    assert [row.value for row in rows] == ["Erika Mustermann", "erika@example.org"]


@pytest.mark.django_db
def test_the_rule_in_force_is_kept_until_a_rule_changes(django_assert_num_queries, django_capture_on_commit_callbacks):
    from amtsweg.cases.models import ProcessingRule
    from amtsweg.cases.selectors import processing_rule_in_force
    from tests.catalogue.factories import ServiceFactory

    service = ServiceFactory()
    day = datetime.date(2026, 12, 4)
    with django_capture_on_commit_callbacks(execute=True):
        old = ProcessingRule.objects.create(service=service, valid_from=datetime.date(2026, 1, 1), deadline_days=10)
    assert processing_rule_in_force(service=service, on=day) == old
    with django_assert_num_queries(0):
        assert processing_rule_in_force(service=service, on=day) == old
    with django_capture_on_commit_callbacks(execute=True):
        new = ProcessingRule.objects.create(service=service, valid_from=datetime.date(2026, 12, 1), deadline_days=2)
    assert processing_rule_in_force(service=service, on=day) == new
    with django_capture_on_commit_callbacks(execute=True):
        new.delete()
    assert processing_rule_in_force(service=service, on=day) == old
