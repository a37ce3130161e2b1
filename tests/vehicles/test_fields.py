"""The vehicle registration's own field types: FIN, eVB number and Kassel licence plates."""

import json

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from amtsweg.applications.formengine.base import Cleaned, FieldSpec
from amtsweg.applications.formengine.registry import field_types
from amtsweg.vehicles import fields  # noqa: F401  (registers vin, evb and licence_plate)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def clean(type_: str, value) -> Cleaned:
    spec = FieldSpec(key="q", type=type_, label={"de": "Frage", "en": "Question"})
    return field_types.get(type_).clean(spec, {"q": value}, None)


def test_importing_the_module_registers_the_vehicle_types():
    assert {"vin", "evb", "licence_plate"} <= set(field_types.names())


# --- FIN / VIN -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("WVWZZZ1JZXW000001", "WVWZZZ1JZXW000001"),
        ("wvwzzz1jzxw000001", "WVWZZZ1JZXW000001"),
        ("WVW ZZZ 1JZ XW 000001", "WVWZZZ1JZXW000001"),
        # A North-American check digit would refuse this one (position 9 is "1"); we must not.
        ("1M8GDM9AXKP042788", "1M8GDM9AXKP042788"),
        ("1M8GDM91XKP042788", "1M8GDM91XKP042788"),
    ],
)
def test_vin_is_upper_cased_without_spaces_and_has_no_check_digit_rule(typed, stored):
    assert clean("vin", typed) == Cleaned(value=stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the vehicle identification number"),
        ("WVWZZZ1JZXW00000", "The vehicle identification number must be 17 characters long"),
        ("WVWZZZ1JZXW0000011", "The vehicle identification number must be 17 characters long"),
        ("WVWZZZ1JZXWO00001", "The vehicle identification number never includes I, O or Q. Check if it is 1 or 0"),
        ("WVWZZZIJZXW000001", "The vehicle identification number never includes I, O or Q. Check if it is 1 or 0"),
        ("QVWZZZ1JZXW000001", "The vehicle identification number never includes I, O or Q. Check if it is 1 or 0"),
        ("WVWZZZ1JZXW00000Ä", "The vehicle identification number can only include letters A to Z and numbers"),
        ("WVWZZZ1JZXW0000_1", "The vehicle identification number can only include letters A to Z and numbers"),
    ],
)
def test_vin_refuses_wrong_length_and_characters(typed, message):
    assert [e.message for e in clean("vin", typed).errors] == [message]


# --- eVB ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [("A1B2C3D", "A1B2C3D"), ("a1b 2c3d", "A1B2C3D"), ("KZ12345", "KZ12345")])
def test_evb_accepts_seven_letters_and_numbers(typed, stored):
    assert clean("evb", typed) == Cleaned(value=stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the eVB number from your insurance company"),
        ("A1B2C3", "The eVB number must be 7 characters long"),
        ("A1B2C3D4", "The eVB number must be 7 characters long"),
        ("AOB2C3D", "The eVB number never includes the letters I or O. Check if it is 1 or 0"),
        ("AIB2C3D", "The eVB number never includes the letters I or O. Check if it is 1 or 0"),
        ("A1B2C3!", "The eVB number can only include letters A to Z and numbers"),
    ],
)
def test_evb_refuses_wrong_length_o_and_i(typed, message):
    assert [e.message for e in clean("evb", typed).errors] == [message]


# --- licence plate ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("KS-AB 123", "KS-AB 123"),
        ("ks ab 123", "KS-AB 123"),
        ("KS-AB-123", "KS-AB 123"),
        ("KSAB123", "KS-AB 123"),
        ("KS - A 1", "KS-A 1"),
        ("HOG-X 99", "HOG-X 99"),
        ("WOH-AB 123", "WOH-AB 123"),
        ("KS-AB 1234", "KS-AB 1234"),  # 8 characters: the limit
        ("HOG-A 1234", "HOG-A 1234"),  # 8 characters
        ("KS-AB 123E", "KS-AB 123E"),  # 7 characters before the E
        ("KS-A 123H", "KS-A 123H"),
        ("KS-S 1", "KS-S 1"),
    ],
)
def test_licence_plate_accepts_kassel_plates_and_stores_them_in_one_form(typed, stored):
    assert clean("licence_plate", typed) == Cleaned(value=stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a licence plate, like KS-AB 123"),
        ("M-AB 123", "The licence plate must start with KS, HOG or WOH"),
        ("KSA-AB 123", "The licence plate must start with KS, HOG or WOH"),
        ("KS-ÄB 12", "The licence plate cannot include Ä, Ö or Ü"),
        ("KS-AB 0123", "The numbers on a licence plate cannot start with 0"),
        ("KS-AB 0", "The numbers on a licence plate cannot start with 0"),
        ("KS-SS 123", "This combination of letters is not given out. Choose other letters"),
        ("KS-SA 1", "This combination of letters is not given out. Choose other letters"),
        ("HOG-HJ 1", "This combination of letters is not given out. Choose other letters"),
        ("WOH-KZ 1", "This combination of letters is not given out. Choose other letters"),
        ("KS-NS 1", "This combination of letters is not given out. Choose other letters"),
        ("HOG-AB 1234", "A licence plate can have at most 8 letters and numbers"),
        (
            "KS-AB 1234E",
            "A licence plate ending in E or H can have at most 7 letters and numbers before the E or H",
        ),
        ("KS-ABC 1", "Enter a licence plate in the correct format, like KS-AB 123"),
        ("KS-AB 12345", "Enter a licence plate in the correct format, like KS-AB 123"),
        ("KS-AB", "Enter a licence plate in the correct format, like KS-AB 123"),
        ("KS 123", "Enter a licence plate in the correct format, like KS-AB 123"),
        ("KS-AB 12X", "Enter a licence plate in the correct format, like KS-AB 123"),
    ],
)
def test_licence_plate_refuses_other_areas_blocked_letters_and_long_plates(typed, message):
    assert [e.message for e in clean("licence_plate", typed).errors] == [message]


@settings(max_examples=300, deadline=None)
@given(
    type_=st.sampled_from(["vin", "evb", "licence_plate"]),
    value=st.one_of(st.none(), st.text(), st.lists(st.text(max_size=10)), st.integers()),
)
def test_vehicle_types_never_raise(type_, value):
    cleaned = clean(type_, value)
    assert isinstance(cleaned, Cleaned)
    json.dumps(cleaned.value)


@settings(max_examples=200, deadline=None)
@given(
    area=st.sampled_from(["KS", "HOG", "WOH"]),
    letters=st.from_regex(r"\A[A-Z]{1,2}\Z"),
    number=st.integers(min_value=1, max_value=9999),
    suffix=st.sampled_from(["", "E", "H"]),
)
def test_every_valid_plate_round_trips_and_every_stored_plate_is_short_enough(area, letters, number, suffix):
    typed = f"{area}-{letters} {number}{suffix}"
    cleaned = clean("licence_plate", typed)
    length = len(area) + len(letters) + len(str(number))
    should_pass = letters not in {"SS", "SA", "HJ", "KZ", "NS"} and length <= (7 if suffix else 8)
    assert (cleaned.value == typed) is should_pass
    if cleaned.value:
        assert clean("licence_plate", cleaned.value) == cleaned
