import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from amtsweg.cases.constants import AuditAction
from amtsweg.cases.models import AuditEntry, ProcessingRule
from tests.accounts.factories import StaffFactory

from .factories import CaseFactory, ProcessingRuleFactory

AUDIT = "/intern/admin/cases/auditentry/"
RULES = "/intern/admin/cases/processingrule/"


@pytest.fixture
def superuser(db):
    return StaffFactory(is_superuser=True)


@pytest.fixture
def entry(service, staff):
    case = CaseFactory.for_service(service)
    return AuditEntry.objects.create(
        actor=staff,
        actor_label="anna",
        action=AuditAction.VIEW_CASE,
        case_uuid=case.uuid,
        department=service.department,
    )


def test_even_superusers_can_only_read_the_audit_log_in_the_admin(client, superuser, entry):
    client.force_login(superuser)
    assert client.get(AUDIT).status_code == 200
    change = client.get(f"{AUDIT}{entry.pk}/change/")
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert client.post(f"{AUDIT}{entry.pk}/change/", {"detail": "x"}).status_code == 403
    assert client.get(f"{AUDIT}add/").status_code == 403
    assert client.get(f"{AUDIT}{entry.pk}/delete/").status_code == 403
    assert client.post(f"{AUDIT}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    response = client.post(AUDIT, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"})
    assert response.status_code in (200, 302)
    entry.refresh_from_db()
    assert entry.detail == "" and AuditEntry.objects.count() == 1


def test_department_leads_see_only_their_departments_audit_entries(client, department, entry, other_service):
    other = AuditEntry.objects.create(
        actor_label="olga", action=AuditAction.VIEW_CASE, department=other_service.department
    )
    lead = StaffFactory(departments=[department])
    lead.user_permissions.add(Permission.objects.get(codename="view_auditentry"))
    client.force_login(lead)
    shown = list(client.get(AUDIT).context["cl"].result_list)
    assert shown == [entry] and other not in shown


def test_processing_rules_are_scoped_to_the_editors_departments(client, department, service, other_service):
    mine = ProcessingRuleFactory(service=service)
    ProcessingRuleFactory(service=other_service)
    editor = StaffFactory(departments=[department])
    editor.user_permissions.add(*Permission.objects.filter(content_type__app_label="cases", codename__endswith="rule"))
    client.force_login(editor)
    assert list(client.get(RULES).context["cl"].result_list) == [mine]
    form = client.get(f"{RULES}add/").context["adminform"].form
    assert list(form.fields["service"].queryset) == [service]


@pytest.mark.parametrize(
    ("extra_states", "ok"),
    [
        ('[{"key": "shipped", "label": {"de": "Versendet", "en": "Sent"}}]', True),
        ("[]", True),
        ('[{"key": "completed", "label": {"de": "Fertig"}}]', False),  # a standard status
        ('[{"key": "Shipped!", "label": {"de": "Versendet"}}]', False),
        ('[{"key": "shipped", "label": {"en": "Sent"}}]', False),  # no German label
        ('[{"key": "a", "label": {"de": "A"}}, {"key": "a", "label": {"de": "B"}}]', False),
        ('{"key": "a"}', False),
    ],
)
def test_extra_states_are_checked_when_a_rule_is_saved(client, superuser, service, extra_states, ok):
    client.force_login(superuser)
    data = {
        "service": service.pk,
        "valid_from": "2026-01-01",
        "deadline_days": "5",
        "working_days": "on",
        "extra_states": extra_states,
        "retention_days": "180",
    }
    response = client.post(f"{RULES}add/", data)
    assert (response.status_code == 302) is ok, response.context and response.context["adminform"].form.errors
    assert ProcessingRule.objects.exists() is ok


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("valid_from", "9999-12-31", "Geben Sie einen Tag zwischen"),
        ("valid_from", "0001-01-01", "Geben Sie einen Tag zwischen"),
        ("retention_days", "999999999", "kleiner oder gleich 36525"),
    ],
)
def test_a_rule_with_a_day_or_period_beyond_the_calendar_is_refused(client, superuser, service, field, value, message):
    client.force_login(superuser)
    data = {
        "service": service.pk,
        "valid_from": "2026-01-01",
        "deadline_days": "5",
        "working_days": "on",
        "extra_states": "[]",
        "retention_days": "180",
        field: value,
    }
    response = client.post(f"{RULES}add/", data)
    assert response.status_code == 200 and message in response.content.decode()
    assert not ProcessingRule.objects.exists()


@pytest.mark.parametrize(
    "query",
    [
        "at__year=9999",
        "at__year=9999&at__month=12&at__day=31",
        "at__gte=0001-01-01",
        "at__date=9999-12-31",
        "at__lt=99991231",
        "at__month=99999999999999999999999",
    ],
)
def test_the_audit_log_list_refuses_a_filter_day_beyond_the_calendar_with_a_message(client, superuser, entry, query):
    client.force_login(superuser)
    response = client.get(f"{AUDIT}?{query}")
    assert response.status_code == 302 and response["Location"] == AUDIT
    assert "Geben Sie einen Tag zwischen" in client.get(AUDIT).content.decode()


def test_the_audit_log_list_still_filters_by_a_real_day(client, superuser, entry):
    client.force_login(superuser)
    day = timezone.localtime(entry.at).date()  # the admin filters by the portal's day, not UTC's
    response = client.get(f"{AUDIT}?at__year={day.year}&at__month={day.month}&at__day={day.day}")
    assert response.status_code == 200 and list(response.context["cl"].result_list) == [entry]


def test_the_rules_list_refuses_a_date_hierarchy_year_beyond_the_calendar(client, superuser, service):
    client.force_login(superuser)
    response = client.get(f"{RULES}?valid_from__year=9999")
    assert response.status_code == 302 and response["Location"] == RULES
