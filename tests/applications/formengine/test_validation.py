"""Cleaning a step, the per-service rule hooks, and the field-type registry."""

import pytest
from django.http import QueryDict

from amtsweg.applications.formengine.base import FieldError, FieldSpec, FieldType
from amtsweg.applications.formengine.definition import parse_definition
from amtsweg.applications.formengine.fields import TextType
from amtsweg.applications.formengine.hooks import HookRegistry, run_service_rules, service_rules
from amtsweg.applications.formengine.registry import Registry, field_types
from amtsweg.applications.formengine.validation import clean_step, step_raw_inputs

from .helpers import BUILT_IN_TYPES
from .test_definition import EXAMPLE


@pytest.fixture
def definition():
    return parse_definition(EXAMPLE)


def test_clean_step_returns_answers_of_the_visible_fields(definition):
    step = definition.step("moveout")
    data = QueryDict("moved_out_on-day=10&moved_out_on-month=3&moved_out_on-year=2026&relationship=self&reason=ignored")
    answers, errors = clean_step(definition, step, data, {}, {"birth_date": "1985-03-27"})
    assert errors == []
    assert answers == {"moved_out_on": "2026-03-10", "relationship": "self"}


def test_a_field_shown_by_an_answer_on_the_same_page_is_cleaned(definition):
    step = definition.step("moveout")
    data = {"moved_out_on-day": "10", "moved_out_on-month": "3", "moved_out_on-year": "2026", "relationship": "sibling"}
    answers, errors = clean_step(definition, step, data, {}, {"relationship": "self"})
    assert answers == {"moved_out_on": "2026-03-10", "relationship": "sibling", "reason": None}
    assert errors == [FieldError("reason", "Enter an answer")]


def test_clean_step_reports_errors_in_field_order_and_keeps_valid_answers(definition):
    step = definition.step("moveout")
    data = {"moved_out_on-day": "31", "moved_out_on-month": "2", "moved_out_on-year": "2026"}
    answers, errors = clean_step(definition, step, data, {}, {})
    assert [(e.key, e.part) for e in errors] == [("moved_out_on", "day"), ("relationship", None)]
    assert answers == {"moved_out_on": None, "relationship": None}


def test_answers_from_the_id_cannot_be_changed_by_posting_other_values(definition):
    step = definition.step("person")
    locked = {"name": {"given_names": "Erika", "family_name": "Mustermann"}, "birth_date": "1985-03-27"}
    data = {"name-given_names": "Mallory", "name-family_name": "", "birth_date-day": "1"}
    answers, errors = clean_step(definition, step, data, {}, {}, locked_answers=locked)
    assert (answers, errors) == (locked, [])


def test_step_raw_inputs_are_keyed_by_field(definition):
    step = definition.step("moveout")
    raw = step_raw_inputs(step, {"moved_out_on-day": "31", "moved_out_on-month": "Feb", "relationship": "x"})
    assert dict(raw["moved_out_on"]) == {"moved_out_on-day": "31", "moved_out_on-month": "Feb", "moved_out_on-year": ""}
    assert dict(raw["relationship"]) == {"relationship": "x"}
    assert dict(raw["reason"]) == {"reason": ""}


# --- hooks ------------------------------------------------------------------------------


def test_service_rules_run_for_their_service_with_the_step_key():
    calls = []

    def rule(answers, step_key):
        calls.append((dict(answers), step_key))
        answers["tampered"] = True  # a rule gets a copy and cannot change the answers
        return [FieldError("email", "Use an address you can read")] if step_key is None else []

    service_rules.register("test-service")(rule)
    try:
        answers = {"email": "a@b.de"}
        assert run_service_rules("test-service", answers, "contact") == []
        assert run_service_rules("test-service", answers, None) == [FieldError("email", "Use an address you can read")]
        assert run_service_rules("another-service", answers, None) == []
        assert calls == [({"email": "a@b.de"}, "contact"), ({"email": "a@b.de"}, None)]
        assert answers == {"email": "a@b.de"}
    finally:
        service_rules.unregister("test-service", rule)


def test_registering_the_same_rule_twice_runs_it_once():
    registry = HookRegistry()

    def rule(answers, step_key):
        return [FieldError("x", "once")]

    registry.register("s")(rule)
    registry.register("s")(rule)
    assert registry.rules_for("s") == [rule]


# --- registry ---------------------------------------------------------------------------


def test_registry_registers_gets_and_lists_types():
    registry = Registry()

    @registry.register("shout")
    class ShoutType(TextType):
        def normalise(self, spec, raw):
            return super().normalise(spec, raw).upper()

    assert ShoutType.name == "shout"
    assert registry.names() == ["shout"]
    assert "shout" in registry
    field = FieldSpec("q", "shout", {"de": "x", "en": "x"})
    assert registry.get("shout").clean(field, {"q": "hallo"}, None).value == "HALLO"
    with pytest.raises(KeyError, match="unknown field type 'whisper'"):
        registry.get("whisper")


def test_registry_refuses_two_different_types_under_one_name():
    registry = Registry()
    registry.register("a")(type("A", (FieldType,), {}))
    with pytest.raises(ValueError, match="already registered"):
        registry.register("a")(type("B", (FieldType,), {}))


def test_registry_refuses_something_that_is_not_a_field_type():
    with pytest.raises(TypeError):
        Registry().register("x")(object)  # type: ignore[type-var]


def test_every_built_in_type_is_registered():
    assert set(BUILT_IN_TYPES) <= set(field_types.names())


# --- plausibility checks across answers ---------------------------------------------------


def _with_check(rule, message=None):
    import copy

    data = copy.deepcopy(EXAMPLE)
    moveout = next(step for step in data["steps"] if step["key"] == "moveout")
    field = next(item for item in moveout["fields"] if item["key"] == "moved_out_on")
    field["checks"] = [{"rule": rule, "message": message or {"de": "Erst nach der Geburt.", "en": "After the birth."}}]
    return parse_definition(data)


MOVED = {"moved_out_on-day": "10", "moved_out_on-month": "3", "moved_out_on-year": "2026", "relationship": "self"}


def test_a_check_that_fails_is_the_fields_error_linked_to_its_first_input():
    definition = _with_check("moved_out_on > birth_date")
    _answers, errors = clean_step(definition, definition.step("moveout"), MOVED, {}, {"birth_date": "2026-05-01"})
    assert errors == [FieldError("moved_out_on", "After the birth.", "day")]


def test_a_check_that_holds_or_lacks_an_answer_gives_no_error():
    definition = _with_check("moved_out_on > birth_date")
    step = definition.step("moveout")
    assert clean_step(definition, step, MOVED, {}, {"birth_date": "1985-03-27"})[1] == []
    assert clean_step(definition, step, MOVED, {}, {})[1] == []  # no birth date given: nothing to compare


def test_an_age_at_an_event_can_be_checked():
    definition = _with_check("years_between(birth_date, moved_out_on) >= 16")
    step = definition.step("moveout")
    assert clean_step(definition, step, MOVED, {}, {"birth_date": "2015-01-01"})[1] != []
    assert clean_step(definition, step, MOVED, {}, {"birth_date": "2000-01-01"})[1] == []


@pytest.mark.parametrize(
    ("check", "problem"),
    [
        ({"rule": "moved_out_on > later_field"}, "exactly a 'rule' and a 'message'"),
        ({"rule": "moved_out_on > nowhere", "message": {"de": "x", "en": "y"}}, "not a field of this form"),
        ({"rule": "moved_out_on >", "message": {"de": "x", "en": "y"}}, "check 1"),
        ({"rule": "moved_out_on > birth_date", "message": {"de": "nur deutsch"}}, "'message'"),
    ],
)
def test_a_check_that_cannot_work_is_refused_when_the_form_is_loaded(check, problem):
    import copy

    from amtsweg.applications.formengine.definition import DefinitionError

    data = copy.deepcopy(EXAMPLE)
    moveout = next(step for step in data["steps"] if step["key"] == "moveout")
    next(item for item in moveout["fields"] if item["key"] == "moved_out_on")["checks"] = [check]
    with pytest.raises(DefinitionError) as refused:
        parse_definition(data)
    assert any(problem in line for line in refused.value.messages)
