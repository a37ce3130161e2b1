"""Anonymity is a property of the schema: no join leads from an answer to a person, a case or a submission."""

import datetime
import uuid

from django.apps import apps
from django.db import models
from django.utils import timezone

from amtsweg.feedback import selectors
from amtsweg.feedback.models import RaffleEntry, Response, UsedRaffleTicket, UsedToken

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
                assert field.related_model not in (Response, UsedToken, UsedRaffleTicket), (
                    f"{_label(model)}.{field.name}"
                )


def test_response_has_no_field_for_an_ip_a_cookie_or_a_time_of_day():
    for field in Response._meta.concrete_fields:
        assert not any(word in field.name for word in FORBIDDEN_FIELD_WORDS), field.name
        assert not isinstance(field, models.DateTimeField), f"{field.name}: a time could be matched to a submission"


def test_used_links_have_no_sequence_and_no_timestamp_to_pair_them_with_responses():
    for model in (UsedToken, UsedRaffleTicket):
        assert [f.name for f in model._meta.concrete_fields] == ["digest"]
        assert model._meta.pk.name == "digest"


def test_no_feedback_table_with_answers_or_contact_data_has_an_integer_key():
    """A sequence would give the order of arrival: a response could be paired with a raffle entry or a used link."""
    for model in (Response, RaffleEntry, UsedToken, UsedRaffleTicket):
        pk = model._meta.pk
        assert not isinstance(pk, (models.AutoField, models.IntegerField)), _label(model)
        assert isinstance(pk, (models.UUIDField, models.CharField)), _label(model)
    assert isinstance(Response._meta.pk, models.UUIDField) and Response._meta.pk.default is uuid.uuid4


def test_survey_links_and_raffle_tickets_are_remembered_in_separate_tables(client):
    assert UsedToken._meta.db_table != UsedRaffleTicket._meta.db_table


def _order_fields(queryset) -> list[str]:
    return [str(item).lstrip("-") for item in queryset.query.order_by]


def test_ideas_and_the_csv_are_never_ordered_by_arrival(db):
    from .factories import CampaignFactory, ResponseFactory

    assert "pk" not in [o.lstrip("-") for o in Response._meta.ordering]
    assert "id" not in [o.lstrip("-") for o in Response._meta.ordering]
    campaign = CampaignFactory()
    day = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday())
    made = [ResponseFactory(campaign=campaign, submitted_on=day, idea=f"Idee {n}") for n in range(12)]
    by_key = sorted(made, key=lambda response: response.uuid)
    assert by_key != made  # 12 random keys in the order of arrival: 1 in 479 million
    ideas = selectors.ideas_of(responses=Response.objects.all())
    assert _order_fields(ideas) == ["week", "uuid"]
    assert [r.idea for r in ideas] == [r.idea for r in by_key]
    _header, rows = selectors.responses_csv_rows(responses=Response.objects.all())
    assert [row[-4] for row in rows] == [r.idea for r in by_key]


def test_raffle_entries_are_not_related_to_responses_and_have_random_keys():
    for field in RaffleEntry._meta.get_fields():
        if field.is_relation:
            assert field.related_model is not Response, field.name
    for field in Response._meta.get_fields():
        if field.is_relation:
            assert field.related_model is not RaffleEntry, field.name
    assert isinstance(RaffleEntry._meta.pk, models.UUIDField)
