"""The built-in field types: good and bad values, display and re-filled inputs."""

import json

import pytest
from django.http import QueryDict
from django.utils import translation

from amtsweg.applications.formengine.base import Cleaned, FieldError, FieldInputs
from amtsweg.applications.formengine.registry import field_types

from .helpers import clean, messages, spec

# (type, options, posted value, stored value)
ACCEPTED = [
    ("text", {}, "Erika", "Erika"),
    ("text", {}, "  Erika  ", "Erika"),
    ("text", {}, "Zeile\neins", "Zeile eins"),
    ("text", {}, "ab\x00c", "abc"),
    ("text", {"max_length": 5}, "12345", "12345"),
    ("text", {"min_length": 3}, "abc", "abc"),
    ("text", {"pattern": "[A-Z]{2}", "pattern_message": {"de": "x", "en": "x"}}, "KS", "KS"),
    ("textarea", {}, "Zeile 1\r\nZeile 2", "Zeile 1\nZeile 2"),
    ("textarea", {}, "x" * 2000, "x" * 2000),
    ("number", {}, "12", 12),
    ("number", {}, " 12 ", 12),
    ("number", {}, "-3", -3),
    ("number", {}, "\uff11\uff12", 12),  # full-width digits from a Japanese keyboard
    ("number", {"min": 1, "max": 10}, "10", 10),
    ("choice", {}, "sibling", "sibling"),
    ("yesno", {}, "yes", True),
    ("yesno", {}, "no", False),
    ("email", {}, "Erika.Muster@Example.ORG", "Erika.Muster@example.org"),
    ("email", {}, " erika@kassel.de ", "erika@kassel.de"),
    ("phone", {}, "0561 123456", "+49561123456"),
    ("phone", {}, "+44 20 7946 0958", "+442079460958"),
    ("phone", {}, "0151 23456789", "+4915123456789"),
    ("postcode", {}, "34117", "34117"),
    ("postcode", {}, " 34 117 ", "34117"),
    ("iban", {}, "de89 3704 0044 0532 0130 00", "DE89370400440532013000"),
    ("iban", {}, "GB82WEST12345698765432", "GB82WEST12345698765432"),
]


@pytest.mark.parametrize(("type_", "options", "posted", "stored"), ACCEPTED)
def test_good_values_are_accepted_and_normalised(type_, options, posted, stored):
    cleaned = clean(spec(type_, **options), {"q": posted})
    assert cleaned.errors == []
    assert cleaned.value == stored


# (type, options, posted value, message)
REFUSED = [
    ("text", {}, "", "Enter an answer"),
    ("text", {}, "   ", "Enter an answer"),
    ("text", {}, "x" * 201, "Your answer must be 200 characters or less"),
    ("text", {}, "x" * 1_000_000, "Your answer must be 200 characters or less"),
    ("text", {"max_length": 1}, "ab", "Your answer must be 1 character or less"),
    ("text", {"min_length": 3}, "ab", "Your answer must be 3 characters or more"),
    (
        "text",
        {"pattern": "[A-Z]{2}", "pattern_message": {"de": "Zwei Buchstaben", "en": "Enter 2 capital letters"}},
        "K1",
        "Enter 2 capital letters",
    ),
    ("textarea", {}, "x" * 2001, "Your answer must be 2000 characters or less"),
    ("number", {}, "", "Enter a number"),
    ("number", {}, "1.5", "Enter a whole number, like 12"),
    ("number", {}, "1,5", "Enter a whole number, like 12"),
    ("number", {}, "abc", "Enter a whole number, like 12"),
    ("number", {}, "1 000", "Enter a whole number, like 12"),
    ("number", {}, "9" * 5000, "Enter a whole number, like 12"),
    ("number", {"min": 1, "max": 10}, "11", "The number must be between 1 and 10"),
    ("number", {"min": 1}, "0", "The number must be 1 or more"),
    ("number", {"max": 10}, "11", "The number must be 10 or less"),
    ("choice", {}, "", "Select an option"),
    ("choice", {}, "uncle", "Select an option"),
    ("yesno", {}, "", "Select yes or no"),
    ("yesno", {}, "maybe", "Select yes or no"),
    ("email", {}, "", "Enter an email address"),
    ("email", {}, "erika", "Enter an email address in the correct format, like name@example.com"),
    ("email", {}, "erika@localhost", "Enter an email address in the correct format, like name@example.com"),
    ("email", {}, "erika@@example.org", "Enter an email address in the correct format, like name@example.com"),
    ("email", {}, "er ika@example.org", "Enter an email address in the correct format, like name@example.com"),
    ("phone", {}, "", "Enter a telephone number"),
    ("phone", {}, "12", "Enter a telephone number, like 0561 123456 or +49 561 123456"),
    ("phone", {}, "call me", "Enter a telephone number, like 0561 123456 or +49 561 123456"),
    ("postcode", {}, "", "Enter a postcode, like 34117"),
    ("postcode", {}, "3411", "Enter a postcode with 5 numbers, like 34117"),
    ("postcode", {}, "341170", "Enter a postcode with 5 numbers, like 34117"),
    ("postcode", {}, "00123", "Enter a postcode with 5 numbers, like 34117"),
    ("postcode", {}, "SW1A 1AA", "Enter a postcode with 5 numbers, like 34117"),
    ("iban", {}, "", "Enter an IBAN"),
    (
        "iban",
        {},
        "DE89 3704 0044 0532 0130 01",
        "Enter a real IBAN. You can find it on your bank card or bank statement",
    ),
    ("iban", {}, "DE89 3704", "Enter an IBAN in the correct format, like DE89 3704 0044 0532 0130 00"),
    ("iban", {}, "hello", "Enter an IBAN in the correct format, like DE89 3704 0044 0532 0130 00"),
    ("iban", {}, "XX89370400440532013000", "Enter an IBAN in the correct format, like DE89 3704 0044 0532 0130 00"),
]


@pytest.mark.parametrize(("type_", "options", "posted", "message"), REFUSED)
def test_bad_values_are_refused_with_a_clear_message(type_, options, posted, message):
    cleaned = clean(spec(type_, **options), {"q": posted})
    assert cleaned.value is None
    assert messages(cleaned) == [message]
    assert cleaned.errors[0].key == "q"


@pytest.mark.parametrize(
    "type_", ["text", "textarea", "number", "choice", "multichoice", "yesno", "email", "phone", "postcode", "iban"]
)
def test_optional_field_left_empty_has_no_answer_and_no_error(type_):
    assert clean(spec(type_, required=False), {}) == Cleaned(value=None, errors=[])


def test_required_message_can_be_replaced_by_the_definition():
    field = spec("text", error_required={"de": "Geben Sie den Grund an", "en": "Enter the reason"})
    assert messages(clean(field, {})) == ["Enter the reason"]
    with translation.override("de"):
        assert messages(clean(field, {})) == ["Geben Sie den Grund an"]


def test_a_querydict_with_several_values_uses_the_last_like_django():
    data = QueryDict("q=first&q=second")
    assert clean(spec("text"), data).value == "second"


def test_a_mapping_of_lists_is_read_like_a_querydict():
    assert clean(spec("text"), {"q": ["first", "Erika"]}).value == "Erika"


# --- multichoice ---------------------------------------------------------------


def test_multichoice_stores_the_selected_values_in_the_order_of_the_choices():
    data = QueryDict("q=other&q=self&q=other")
    assert clean(spec("multichoice"), data).value == ["self", "other"]


@pytest.mark.parametrize(
    ("options", "posted", "message"),
    [
        ({}, [], "Select at least one option"),
        ({}, ["self", "cousin"], "Select only options from the list"),
        ({"min_selected": 2}, ["self"], "Select at least 2 options"),
        ({"max_selected": 1}, ["self", "sibling"], "Select no more than 1 option"),
    ],
)
def test_multichoice_refuses_too_few_too_many_and_unknown_options(options, posted, message):
    assert messages(clean(spec("multichoice", **options), {"q": posted})) == [message]


def test_multichoice_displays_the_labels_in_the_active_language():
    field = spec("multichoice")
    assert field_types.get("multichoice").display(field, ["self", "other"]) == "Myself, Someone else"
    with translation.override("de"):
        assert field_types.get("multichoice").display(field, ["self", "other"]) == "Ich selbst, Andere Person"


# --- display and inputs ------------------------------------------------------------


def test_choice_displays_its_label_in_the_active_language():
    field = spec("choice")
    assert field_types.get("choice").display(field, "sibling") == "A brother or sister"
    with translation.override("de"):
        assert field_types.get("choice").display(field, "sibling") == "Geschwister"


def test_yesno_displays_yes_and_no():
    yesno = field_types.get("yesno")
    assert (yesno.display(spec("yesno"), True), yesno.display(spec("yesno"), False)) == ("Yes", "No")


def test_iban_is_displayed_in_groups_of_four():
    assert field_types.get("iban").display(spec("iban"), "DE89370400440532013000") == "DE89 3704 0044 0532 0130 00"


def test_phone_is_displayed_in_international_format():
    assert field_types.get("phone").display(spec("phone"), "+49561123456") == "+49 561 123456"


@pytest.mark.parametrize(
    ("type_", "value", "expected"),
    [
        ("text", "Erika", {"q": "Erika"}),
        ("number", 12, {"q": "12"}),
        ("yesno", True, {"q": "yes"}),
        ("yesno", None, {"q": ""}),
        ("choice", "self", {"q": "self"}),
        ("multichoice", ["self"], {"q": ["self"]}),
        ("iban", "DE89370400440532013000", {"q": "DE89 3704 0044 0532 0130 00"}),
        ("date", "2026-03-05", {"q-day": "5", "q-month": "3", "q-year": "2026"}),
        ("date", None, {"q-day": "", "q-month": "", "q-year": ""}),
        ("consent", True, {"q": "yes"}),
    ],
)
def test_inputs_put_an_answer_back_into_the_inputs(type_, value, expected):
    inputs = field_types.get(type_).inputs(spec(type_), value)
    assert isinstance(inputs, FieldInputs)
    assert dict(inputs) == expected


@pytest.mark.parametrize(
    ("type_", "value"),
    [
        ("text", "Erika"),
        ("number", -7),
        ("choice", "other"),
        ("multichoice", ["sibling", "other"]),
        ("yesno", False),
        ("email", "erika@example.org"),
        ("phone", "+49561123456"),
        ("postcode", "34117"),
        ("iban", "DE89370400440532013000"),
        ("date", "1985-03-27"),
        ("address", {"street": "Obere Königsstraße", "number": "8", "postcode": "34117", "town": "Kassel"}),
        ("person_name", {"given_names": "Erika", "family_name": "Mustermann", "birth_name": "Gabler"}),
        ("consent", True),
    ],
)
def test_an_answer_put_back_into_the_inputs_cleans_to_the_same_answer(type_, value):
    field = spec(type_)
    field_type = field_types.get(type_)
    assert clean(field, field_type.inputs(field, value)) == Cleaned(value=value)


def test_raw_inputs_show_again_what_was_typed():
    field = spec("number")
    assert dict(field_types.get("number").raw_inputs(field, {"q": "zwölf"})) == {"q": "zwölf"}
    date = spec("date")
    assert dict(field_types.get("date").raw_inputs(date, {"q-day": "31", "q-month": "2", "q-year": "26"})) == {
        "q-day": "31",
        "q-month": "2",
        "q-year": "26",
    }


def test_field_inputs_find_parts_by_name_for_templates():
    inputs = FieldInputs("birth", {"birth-day": "5", "birth": "x"})
    assert inputs["day"] == "5"
    assert inputs["value"] == "x"
    with pytest.raises(KeyError):
        inputs["month"]


# --- address and person name -----------------------------------------------------

ADDRESS = {"q-street": "Obere Königsstraße", "q-number": "8", "q-postcode": "34117", "q-town": "Kassel"}


def test_address_is_stored_as_a_dict_and_displayed_on_one_line():
    cleaned = clean(spec("address"), ADDRESS)
    assert cleaned.value == {"street": "Obere Königsstraße", "number": "8", "postcode": "34117", "town": "Kassel"}
    assert field_types.get("address").display(spec("address"), cleaned.value) == "Obere Königsstraße 8, 34117 Kassel"


def test_address_with_missing_parts_names_each_part():
    cleaned = clean(spec("address"), {**ADDRESS, "q-number": "", "q-town": " "})
    assert [(e.part, e.message) for e in cleaned.errors] == [
        ("number", "Enter the house number"),
        ("town", "Enter the town or city"),
    ]


def test_address_with_a_wrong_postcode_links_to_the_postcode():
    cleaned = clean(spec("address"), {**ADDRESS, "q-postcode": "3411"})
    assert cleaned.errors == [FieldError("q", "Enter a postcode with 5 numbers, like 34117", "postcode")]
    assert cleaned.errors[0].anchor == "id_q-postcode"


def test_address_left_empty_is_one_error_on_the_street():
    assert clean(spec("address"), {}).errors == [FieldError("q", "Enter the street and house number", "street")]


def test_person_name_with_birth_name():
    data = {"q-given_names": "Erika", "q-family_name": "Mustermann", "q-birth_name": "Gabler"}
    cleaned = clean(spec("person_name"), data)
    assert cleaned.value == {"given_names": "Erika", "family_name": "Mustermann", "birth_name": "Gabler"}
    assert (
        field_types.get("person_name").display(spec("person_name"), cleaned.value) == "Erika Mustermann (born Gabler)"
    )


def test_person_name_birth_name_is_optional_and_can_be_left_out():
    data = {"q-given_names": "Nguyễn Văn", "q-family_name": "O’Neill-Müller", "q-birth_name": "ignored"}
    assert clean(spec("person_name"), {**data, "q-birth_name": ""}).value["birth_name"] == ""
    without = clean(spec("person_name", with_birth_name=False), data).value
    assert without == {"given_names": "Nguyễn Văn", "family_name": "O’Neill-Müller"}


def test_an_empty_required_name_reports_both_missing_names():
    errors = clean(spec("person_name"), {}).errors
    assert [(error.part, error.message) for error in errors] == [
        ("given_names", "Enter the given names"),
        ("family_name", "Enter the family name"),
    ]
    assert clean(spec("person_name", required=False), {}).value is None


@pytest.mark.parametrize(
    ("data", "part", "message"),
    [
        ({"q-family_name": "Mustermann"}, "given_names", "Enter the given names"),
        ({"q-given_names": "Erika"}, "family_name", "Enter the family name"),
        (
            {"q-given_names": "Erika1", "q-family_name": "Mustermann"},
            "given_names",
            "Names can only include letters, spaces, hyphens, apostrophes and full stops",
        ),
        ({"q-given_names": "E" * 101, "q-family_name": "M"}, "given_names", "A name must be 100 characters or less"),
    ],
)
def test_person_name_problems_link_to_the_part(data, part, message):
    cleaned = clean(spec("person_name"), data)
    assert [(e.part, e.message) for e in cleaned.errors] == [(part, message)]


# --- consent -------------------------------------------------------------------------


def test_consent_must_be_ticked_when_required():
    assert clean(spec("consent"), {"q": "yes"}).value is True
    assert messages(clean(spec("consent"), {})) == ["Tick the box to confirm"]
    assert clean(spec("consent", required=False), {}) == Cleaned(value=None)


# --- robustness ------------------------------------------------------------------------

ODD_INPUTS = [
    None,
    {},
    [],
    "not a mapping",
    {"q": None},
    {"q": []},
    {"q": {"nested": "dict"}},
    {"q": 12},
    {"q": True},
    {"q": b"bytes"},
    {"q": "x" * 2_000_000},
    {"q": "\x00\x00\x00"},
    {"q": "\ud800 lone surrogate"},
    {"q": "🙂" * 500},
    {"q": "\u202eRTL override"},
    {"q": "e\u0301"},
    {f"q-{part}": "\x00" for part in ("day", "month", "year", "street", "number", "postcode", "town")},
    {f"q-{part}": "9" * 100_000 for part in ("day", "month", "year", "given_names", "family_name", "birth_name")},
    {f"q-{part}": ["a", "b"] for part in ("day", "month", "year", "street", "number", "postcode", "town")},
    QueryDict("q=%00&q-day=%FF&q-stored=x"),
]


@pytest.mark.parametrize("data", ODD_INPUTS, ids=range(len(ODD_INPUTS)))
@pytest.mark.parametrize("type_", field_types.names())
def test_clean_never_raises_and_gives_json_or_an_error(type_, data):
    field = spec(type_)
    for required in (True, False):
        field = spec(type_, required=required)
        cleaned = clean(field, data, files={"q": "not a file"})
        assert isinstance(cleaned, Cleaned)
        assert all(isinstance(error, FieldError) and error.message for error in cleaned.errors)
        json.dumps(cleaned.value)  # answers are stored as JSON
        # Re-showing whatever was posted never fails either.
        json.dumps(dict(field_types.get(type_).raw_inputs(field, data)))


@pytest.mark.parametrize("type_", field_types.names())
def test_display_and_inputs_accept_an_answer_of_the_wrong_shape(type_):
    field_type = field_types.get(type_)
    for value in (None, "", 12, ["a"], {"a": 1}, "not-a-date"):
        assert isinstance(field_type.display(spec(type_), value), str)
        assert isinstance(field_type.inputs(spec(type_), value), dict)
