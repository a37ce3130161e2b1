"""Anonymity is a property of the schema: no join leads from an answer to a person, a case or a submission."""

from django.apps import apps
from django.db import models

from amtsweg.feedback.models import RaffleEntry, Response, UsedToken

# Models that identify a person or an application.
IDENTIFYING = {
    "applications.Submission",
    "applications.Draft",
    "applications.StoredFile",
    "cases.Case",
    "cases.CaseEvent",
    "cases.AuditEntry",
    "identity.CitizenAccount",
    "notifications.Notification",
    "accounts.User",
    "payments.Payment",
    "appointments.Appointment",
    "feedback.RaffleEntry",
}
# A join through these reaches every row of a service or campaign, never one person's.
SHARED = {"feedback.Campaign", "feedback.IdeaTag", "feedback.Question"}
FORBIDDEN_FIELD_WORDS = ("ip", "address", "cookie", "session", "user_agent", "agent", "submission", "case", "person")


def _label(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}.{model.__name__}"


def _reachable(start: type[models.Model]) -> set[str]:
    """Every model reachable from ``start`` through its own relations (forward ones, and reverse ones of feedback
    models). From a catalogue service, the only way on is its many submissions, which is a join by service, not to
    one person; that is exactly what "linked to the service" means, so shared reference tables stop the walk."""
    seen: set[str] = set()
    todo = [start]
    while todo:
        model = todo.pop()
        if _label(model) in seen:
            continue
        seen.add(_label(model))
        if _label(model) in SHARED or model._meta.app_label == "catalogue":
            continue  # shared reference data: a join through it reaches all rows of a service or campaign
        for field in model._meta.get_fields():
            if not field.is_relation or field.related_model is None:
                continue
            if field.auto_created and not field.concrete and field.related_model._meta.app_label != "feedback":
                continue
            todo.append(field.related_model)
    return seen


def test_no_relation_leads_from_a_response_to_a_person_a_case_or_a_submission():
    reachable = _reachable(Response)
    assert {"feedback.Response", "catalogue.Service", "feedback.Campaign", "feedback.IdeaTag"} <= reachable
    assert reachable & IDENTIFYING == set()


def test_no_model_outside_feedback_points_to_a_response_or_a_used_link():
    for model in apps.get_models():
        if model._meta.app_label == "feedback":
            continue
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete:
                assert field.related_model not in (Response, UsedToken), f"{_label(model)}.{field.name}"


def test_response_has_no_field_for_an_ip_a_cookie_or_a_time_of_day():
    for field in Response._meta.concrete_fields:
        assert not any(word in field.name for word in FORBIDDEN_FIELD_WORDS), field.name
        assert not isinstance(field, models.DateTimeField), f"{field.name}: a time could be matched to a submission"


def test_used_links_have_no_sequence_and_no_timestamp_to_pair_them_with_responses():
    fields = UsedToken._meta.concrete_fields
    assert [f.name for f in fields] == ["digest"]
    assert UsedToken._meta.pk.name == "digest"


def test_raffle_entries_are_not_related_to_responses_and_have_random_keys():
    for field in RaffleEntry._meta.get_fields():
        if field.is_relation:
            assert field.related_model is not Response, field.name
    for field in Response._meta.get_fields():
        if field.is_relation:
            assert field.related_model is not RaffleEntry, field.name
    assert isinstance(RaffleEntry._meta.pk, models.UUIDField)
