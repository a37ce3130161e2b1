"""Computed counts and where a form's fee is paid (``counts``, ``fees_paid`` in a definition)."""

import pytest

from amtsweg.applications.formengine.definition import DefinitionError, drop_hidden_answers, parse_definition


def definition(**extra):  # type: ignore[no-untyped-def]
    return parse_definition(
        {
            "service": "test-service",
            "version": 1,
            "title": {"de": "Test", "en": "Test"},
            "steps": [
                {
                    "key": "one",
                    "title": {"de": "Eins", "en": "One"},
                    "fields": [
                        {"key": "a_german", "type": "yesno", "label": {"de": "A", "en": "A"}},
                        {"key": "b_german", "type": "yesno", "label": {"de": "B", "en": "B"}},
                    ],
                }
            ],
            **extra,
        }
    )


def test_a_count_is_the_number_of_its_conditions_that_hold_and_is_kept_with_the_answers():
    form = definition(counts={"foreign_laws": ["a_german == False", "b_german == False"]})
    assert drop_hidden_answers(form, {"a_german": True, "b_german": True})["foreign_laws"] == 0
    assert drop_hidden_answers(form, {"a_german": False, "b_german": True})["foreign_laws"] == 1
    assert drop_hidden_answers(form, {"a_german": False, "b_german": False})["foreign_laws"] == 2
    # A count sent as an answer is worked out again, never taken over.
    assert drop_hidden_answers(form, {"a_german": True, "b_german": True, "foreign_laws": 7})["foreign_laws"] == 0


def test_a_form_without_counts_keeps_its_answers_as_they_are():
    assert drop_hidden_answers(definition(), {"a_german": True, "other": 1}) == {"a_german": True}


@pytest.mark.parametrize(
    ("counts", "problem"),
    [
        ({"a_german": ["b_german == False"]}, "already a field"),
        ({"laws": ["nobody == 1"]}, "nobody"),
        ({"laws": []}, "non-empty list"),
        ({"Laws": ["a_german == False"]}, "key of lower-case"),
        (["a_german == False"], "must map a key"),
    ],
)
def test_bad_counts_are_refused_when_the_form_is_loaded(counts, problem):
    with pytest.raises(DefinitionError, match=problem):
        definition(counts=counts)


def test_documents_and_outcomes_may_name_a_count():
    form = definition(
        counts={"laws": ["a_german == False"]},
        documents=[
            {
                "key": "efz",
                "title": {"de": "E", "en": "E"},
                "explanation": {"de": "E", "en": "E"},
                "condition": "laws > 0",
                "original": "original",
            }
        ],
        outcomes=[{"key": "done", "kind": "case", "condition": "laws == 0", "text": {"de": "T", "en": "T"}}],
    )
    assert form.documents[0].condition == "laws > 0"


def test_fees_are_paid_online_unless_the_form_says_at_the_office():
    assert definition().fees_paid == "online"
    assert definition(fees_paid="office").fees_paid == "office"
    with pytest.raises(DefinitionError, match="fees_paid"):
        definition(fees_paid="later")
