"""The citizen's draft is read with one precompiled query (applications.selectors): it must come back
exactly as the ORM would give it, and only for the service it belongs to."""

import datetime

import pytest

from amtsweg.applications import selectors
from amtsweg.applications.models import Draft

pytestmark = pytest.mark.django_db


def test_the_draft_comes_back_with_its_answers_and_dates_decoded(forms):
    service, version = selectors.service_with_form(slug="geburtsurkunde")
    answers = {"relationship": "self", "copies": 2, "names": ["Erika", "Maria"], "born": "1985-03-27"}
    draft = Draft.objects.create(service=service, form_version=version, answers=answers, completed_steps=["order"])
    found = selectors.draft_for_session(session={"drafts": {service.slug: str(draft.uuid)}}, service=service)
    expected = Draft.objects.get(pk=draft.pk)
    for field in Draft._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert found.answers == answers
    assert isinstance(found.updated_at, datetime.datetime) and found.updated_at.tzinfo is not None
    assert found.form_version is version  # the process's copy of the active version


def test_a_draft_of_another_service_is_not_found(forms):
    service, version = selectors.service_with_form(slug="geburtsurkunde")
    other, _other_version = selectors.service_with_form(slug="nebenwohnung-abmelden")
    draft = Draft.objects.create(service=service, form_version=version, answers={}, completed_steps=[])
    assert selectors.draft_for_session(session={"drafts": {other.slug: str(draft.uuid)}}, service=other) is None
    assert selectors.draft_for_session(session={"drafts": {}}, service=service) is None
