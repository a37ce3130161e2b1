"""Parsing form definitions, reporting every problem, and showing only what the answers call for."""

import copy

import pytest
import yaml

from amtsweg.applications.formengine.definition import (
    DefinitionError,
    drop_hidden_answers,
    parse_definition,
    visible_fields,
    visible_steps,
)
from amtsweg.applications.formengine.registry import field_types

EXAMPLE = yaml.safe_load(
    """
service: nebenwohnung-abmelden
version: 1
title: {de: Abmeldung einer Nebenwohnung, en: Deregistering a secondary residence}
processing: {deadline_days: 5}
steps:
  - key: person
    title: {de: Ihre Angaben, en: About you}
    fields:
      - {key: name, type: person_name, label: {de: Ihr Name, en: Your name}}
      - {key: birth_date, type: date, label: {de: Geburtsdatum, en: Date of birth},
         options: {not_in_future: true, min_age: 16}}
  - key: moveout
    title: {de: Auszug, en: Moving out}
    condition: "age(birth_date) >= 16"
    fields:
      - {key: moved_out_on, type: date, label: {de: Auszugsdatum, en: Moving-out date},
         options: {max_days_ago: 14, max_days_ahead: 7}}
      - key: relationship
        type: choice
        label: {de: Beziehung, en: Relationship}
        options:
          choices:
            - {value: self, label: {de: Ich selbst, en: Myself}}
            - {value: sibling, label: {de: Geschwister, en: Sibling}}
      - {key: reason, type: textarea, label: {de: Grund, en: Reason}, condition: "relationship == 'sibling'"}
  - key: contact
    title: {de: Kontakt, en: Contact}
    fields:
      - {key: email, type: email, label: {de: E-Mail, en: Email}, required: false,
         hint: {de: Für Rückfragen, en: In case we have questions}}
"""
)

ADULT = {"birth_date": "1985-03-27"}
CHILD = {"birth_date": "2015-01-01"}


def keys(items):
    return [item.key for item in items]


def problems(data) -> list[str]:
    with pytest.raises(DefinitionError) as caught:
        parse_definition(data)
    return caught.value.messages


def test_the_documented_example_parses():
    definition = parse_definition(EXAMPLE)
    assert definition.service == "nebenwohnung-abmelden"
    assert keys(definition.steps) == ["person", "moveout", "contact"]
    email = definition.field("email")
    assert (email.required, email.hint["en"]) == (False, "In case we have questions")
    assert definition.field("name").required is True
    assert definition.step("moveout").condition == "age(birth_date) >= 16"
    assert definition.raw["processing"] == {"deadline_days": 5}  # other parts' keys are kept


def test_definition_raw_is_a_copy_not_the_callers_data():
    data = copy.deepcopy(EXAMPLE)
    definition = parse_definition(data)
    data["steps"].clear()
    assert len(definition.raw["steps"]) == 3


def test_every_problem_in_a_definition_is_reported_at_once():
    data = copy.deepcopy(EXAMPLE)
    data["title"] = {"de": "Nur Deutsch"}
    person, moveout, contact = data["steps"]
    person["fields"].append({"key": "name", "type": "text", "label": {"de": "Doppelt", "en": "Twice"}})
    person["fields"].append({"key": "nickname", "type": "textbox", "label": {"de": "Spitzname", "en": "Nickname"}})
    person["fields"].append({"key": "hobby", "type": "text", "label": {"de": "Hobby"}})
    person["fields"].append({"key": "x", "type": "text", "label": {"de": "X", "en": "X"}, "requird": False})
    person["condition"] = "relationship == 'self'"
    moveout["fields"][1]["options"]["choices"].append({"label": {"de": "Ohne Wert", "en": "No value"}})
    moveout["fields"][2]["condition"] = "relationship.upper() == 'SIBLING'"
    moveout["fields"][0]["options"]["max_days_ago"] = "two weeks"
    contact["fields"].append({"key": "extra", "type": "text", "label": {"de": "X", "en": "X"}, "condition": "nobody"})
    known_types = ", ".join(field_types.names())
    contact["fields"].append({"key": "later", "type": "text", "label": {"de": "X", "en": "X"}, "condition": "later"})
    assert problems(data) == [
        "the form's 'title' has no text in en",
        "step 1 ('person'): the condition refers to 'relationship', which is asked only later",
        "step 1 ('person'), field 3 ('name'): the field key 'name' is used twice",
        f"step 1 ('person'), field 4 ('nickname'): unknown field type 'textbox' (known: {known_types})",
        "step 1 ('person'), field 5 ('hobby'): 'label' has no text in en",
        "step 1 ('person'), field 6 ('x'): unknown entries requird",
        "step 2 ('moveout'), field 1 ('moved_out_on'): option 'max_days_ago' must be a whole number of at least 0",
        "step 2 ('moveout'), field 2 ('relationship'): choice 3 has no value (values must be text: quote yes, no "
        "and numbers in YAML)",
        "step 2 ('moveout'), field 3 ('reason'): only these functions may be called: age(), today(), days_since(), "
        "years_between(), len()",
        "step 3 ('contact'), field 2 ('extra'): the condition refers to 'nobody', which is not a field of this form",
        "step 3 ('contact'), field 3 ('later'): the condition refers to the field itself ('later')",
    ]


def test_a_condition_on_a_later_field_of_the_same_step_is_refused():
    data = copy.deepcopy(EXAMPLE)
    data["steps"][1]["fields"][0]["condition"] = "relationship == 'self'"
    assert problems(data) == [
        "step 2 ('moveout'), field 1 ('moved_out_on'): "
        "the condition refers to 'relationship', which is asked only later"
    ]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"service": "Not A Slug"}, "'service' must be the catalogue slug of the service (got 'Not A Slug')"),
        ({"version": 0}, "'version' must be a whole number from 1 (got 0)"),
        ({"steps": []}, "'steps' must be a non-empty list"),
    ],
)
def test_top_level_problems_are_reported(change, expected):
    assert problems({**EXAMPLE, **change}) == [expected]


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("Name", "needs a key of lower-case letters"),
        ("birth-date", "needs a key of lower-case letters"),
        ("__class__", "needs a key of lower-case letters"),
        ("class", "the key 'class' is reserved"),
        ("age", "the key 'age' is reserved"),
        ("action", "the key 'action' is reserved"),
    ],
)
def test_field_keys_must_be_usable_in_conditions_and_post_data(key, expected):
    data = copy.deepcopy(EXAMPLE)
    data["steps"][2]["fields"][0]["key"] = key
    assert len(problems(data)) == 1 and expected in problems(data)[0]


def test_duplicate_step_keys_and_steps_without_fields_are_reported():
    data = copy.deepcopy(EXAMPLE)
    data["steps"][2]["key"] = "person"
    data["steps"][2]["fields"] = []
    assert problems(data) == [
        "step 3 ('person'): the step key 'person' is used twice",
        "step 3 ('person'): 'fields' must be a non-empty list",
    ]


def test_a_definition_that_is_not_a_mapping_is_refused():
    assert problems(["steps"]) == ["the definition must be a mapping (service, version, title, steps)"]


# --- visibility --------------------------------------------------------------------


def test_step_with_a_condition_is_shown_only_when_it_holds():
    definition = parse_definition(EXAMPLE)
    assert keys(visible_steps(definition, ADULT)) == ["person", "moveout", "contact"]
    assert keys(visible_steps(definition, CHILD)) == ["person", "contact"]
    assert keys(visible_steps(definition, {})) == ["person", "contact"]


def test_reason_is_shown_when_relationship_is_sibling():
    step = parse_definition(EXAMPLE).step("moveout")
    assert keys(visible_fields(step, {"relationship": "sibling"})) == ["moved_out_on", "relationship", "reason"]
    assert keys(visible_fields(step, {"relationship": "self"})) == ["moved_out_on", "relationship"]


def test_drop_hidden_answers_removes_answers_of_hidden_fields():
    definition = parse_definition(EXAMPLE)
    answers = {**ADULT, "relationship": "self", "reason": "Written before the answer changed", "email": "a@b.de"}
    assert drop_hidden_answers(definition, answers) == {**ADULT, "relationship": "self", "email": "a@b.de"}


def test_drop_hidden_answers_removes_answers_of_hidden_steps_and_unknown_keys():
    definition = parse_definition(EXAMPLE)
    answers = {**CHILD, "moved_out_on": "2026-03-10", "relationship": "sibling", "reason": "x", "old_field": 1}
    assert drop_hidden_answers(definition, answers) == CHILD


def test_a_stale_answer_of_a_hidden_step_does_not_switch_on_later_questions():
    data = copy.deepcopy(EXAMPLE)
    data["steps"][2]["condition"] = "relationship == 'sibling'"
    definition = parse_definition(data)
    answers = {**CHILD, "relationship": "sibling"}  # given while the citizen was still an adult
    assert keys(visible_steps(definition, answers)) == ["person"]
