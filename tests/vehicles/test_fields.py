"""The vehicle registration's own field types: FIN, eVB number, licence plates and the i-Kfz security codes."""

import json
from html.parser import HTMLParser

import pytest
from django.utils import translation
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban

from amtsweg.applications.formengine.base import Cleaned, FieldSpec
from amtsweg.applications.formengine.registry import field_types
from amtsweg.applications.templatetags.formengine import render_field
from amtsweg.vehicles import (
    codes,
    fields,  # noqa: F401  (registers the vehicle field types)
)


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def spec(type_: str, **options) -> FieldSpec:
    return FieldSpec(key="q", type=type_, label={"de": "Frage", "en": "Question"}, options=options)


def clean(type_: str, value, **options) -> Cleaned:
    return field_types.get(type_).clean(spec(type_, **options), {"q": value}, None)


def messages(cleaned: Cleaned) -> list[str]:
    return [error.message for error in cleaned.errors]


VEHICLE_TYPES = ["vin", "evb", "licence_plate", "seal_code", "zb1_code", "zb2_code", "zb2_number"]


def test_importing_the_module_registers_the_vehicle_types():
    assert set(VEHICLE_TYPES) <= set(field_types.names())


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
    type_=st.sampled_from(VEHICLE_TYPES),
    value=st.one_of(st.none(), st.text(), st.lists(st.text(max_size=10)), st.integers()),
    any_area=st.booleans(),
)
def test_vehicle_types_never_raise(type_, value, any_area):
    cleaned = clean(type_, value, **({"any_area": any_area} if type_ == "licence_plate" else {}))
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


# --- licence plate from another district (any_area) ---------------------------------------


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("GÖ-AB 123", "GÖ-AB 123"),
        ("gö ab 123", "GÖ-AB 123"),
        ("GÖ-AB-123", "GÖ-AB 123"),
        ("GÖ AB123", "GÖ-AB 123"),
        ("GO\u0308-AB 1", "GÖ-AB 1"),  # Ö typed as O and a combining diaeresis
        ("M-A 1", "M-A 1"),
        ("MÜ-X 99", "MÜ-X 99"),
        ("DÜW-AB 123", "DÜW-AB 123"),  # 8 characters
        ("B-AB 1234", "B-AB 1234"),
        ("HH-AB 123E", "HH-AB 123E"),
        # Kassel's own plates still pass, also typed together.
        ("KS-AB 123", "KS-AB 123"),
        ("KSAB123", "KS-AB 123"),
        ("HOG-X 99", "HOG-X 99"),
    ],
)
def test_licence_plate_with_any_area_accepts_plates_from_other_districts(typed, stored):
    assert clean("licence_plate", typed, any_area=True) == Cleaned(value=stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a licence plate, like KS-AB 123"),
        ("GÖAB123", "Put a space or a hyphen after the area code, like GÖ-AB 123"),
        ("MAB123", "Put a space or a hyphen after the area code, like GÖ-AB 123"),
        ("ABCD-AB 1", "The area code must be 1 to 3 letters, like M or GÖ"),
        ("G5-AB 1", "The area code must be 1 to 3 letters, like M or GÖ"),
        ("GÖ-ÄB 1", "The letters after the area code cannot include Ä, Ö or Ü"),
        ("M-SS 1", "This combination of letters is not given out. Choose other letters"),
        ("M-AB 0", "The numbers on a licence plate cannot start with 0"),
        ("DÜW-AB 1234", "A licence plate can have at most 8 letters and numbers"),
        (
            "DÜW-AB 123E",
            "A licence plate ending in E or H can have at most 7 letters and numbers before the E or H",
        ),
        ("GÖ-ABC 1", "Enter a licence plate in the correct format, like KS-AB 123"),
        ("GÖ", "Enter a licence plate in the correct format, like KS-AB 123"),
    ],
)
def test_licence_plate_with_any_area_still_checks_the_rest(typed, message):
    assert messages(clean("licence_plate", typed, any_area=True)) == [message]


@pytest.mark.parametrize("typed", ["GÖ-AB 123", "M-A 1"])
def test_licence_plate_without_any_area_refuses_other_districts(typed):
    assert messages(clean("licence_plate", typed)) == ["The licence plate must start with KS, HOG or WOH"]
    assert messages(clean("licence_plate", typed, any_area=False)) == [
        "The licence plate must start with KS, HOG or WOH"
    ]


def test_licence_plate_option_any_area_is_allowed_and_must_be_true_or_false():
    plate = field_types.get("licence_plate")
    assert plate.validate_spec(spec("licence_plate", any_area=True)) == []
    assert plate.validate_spec(spec("licence_plate", any_area="yes")) == ["option 'any_area' must be true or false"]
    assert plate.validate_spec(spec("licence_plate", area="KS")) != []


@settings(max_examples=200, deadline=None)
@given(
    area=st.from_regex(r"\A[A-ZÄÖÜ]{1,3}\Z"),
    letters=st.from_regex(r"\A[A-Z]{1,2}\Z"),
    number=st.integers(min_value=1, max_value=9999),
    suffix=st.sampled_from(["", "E", "H"]),
)
def test_any_area_plates_round_trip_when_short_enough(area, letters, number, suffix):
    typed = f"{area}-{letters} {number}{suffix}"
    cleaned = clean("licence_plate", typed.lower(), any_area=True)
    length = len(area) + len(letters) + len(str(number))
    should_pass = letters not in {"SS", "SA", "HJ", "KZ", "NS"} and length <= (7 if suffix else 8)
    assert (cleaned.value == typed) is should_pass
    if cleaned.value:
        assert clean("licence_plate", cleaned.value, any_area=True) == cleaned


# --- plate seal and ZB I codes ------------------------------------------------------------

SEAL_LENGTH = "The security code of the plate seal must be 3 characters long"
ZB1_LENGTH = "The security code of the registration certificate part I must be 7 characters long"
CHARACTERS = "Security codes can only include the letters A to Z, capital or small, and numbers"
LOOKALIKE = {
    "I": "Security codes never include a capital I. Check if it is the number 1",
    "i": "Security codes never include a small i. Check if it is the number 1",
    "l": "Security codes never include a small L (l). Check if it is the number 1",
    "O": "Security codes never include a capital O. Check if it is the number 0",
    "o": "Security codes never include a small o. Check if it is the number 0",
}


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("aB2", "aB2"),
        ("abc", "abc"),  # the case is never changed: abc and ABC are different codes
        ("ABC", "ABC"),
        (" a B 2 ", "aB2"),
        ("a-B-2", "aB2"),
        ("ａＢ２", "aB2"),  # full-width, from a phone's keyboard
        ("L1Z", "L1Z"),  # a capital L is allowed, only the small l is not
        ("999", "999"),
    ],
)
def test_seal_code_keeps_the_case_and_drops_spaces(typed, stored):
    assert clean("seal_code", typed) == Cleaned(value=stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the security code from the plate seal"),
        ("   ", "Enter the security code from the plate seal"),
        ("aB", SEAL_LENGTH),
        ("aB23", SEAL_LENGTH),
        ("x" * 300, SEAL_LENGTH),
        ("aB!", CHARACTERS),
        ("äB2", CHARACTERS),
        ("a_2", CHARACTERS),
        ("aI2", LOOKALIKE["I"]),
        ("ai2", LOOKALIKE["i"]),
        ("al2", LOOKALIKE["l"]),
        ("aO2", LOOKALIKE["O"]),
        ("ao2", LOOKALIKE["o"]),
        ("aOI", LOOKALIKE["O"]),  # the first one is named
        ("aOaaa", LOOKALIKE["O"]),  # a look-alike is named before the length
    ],
)
def test_seal_code_refuses_wrong_length_and_characters_that_look_like_1_or_0(typed, message):
    assert messages(clean("seal_code", typed)) == [message]


@pytest.mark.parametrize(("typed", "stored"), [("Ab3dEf9", "Ab3dEf9"), ("ab3 def9", "ab3def9"), ("ZZZZZZZ", "ZZZZZZZ")])
def test_zb1_code_keeps_the_case_and_drops_spaces(typed, stored):
    assert clean("zb1_code", typed) == Cleaned(value=stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the security code from the registration certificate part I"),
        ("Ab3dEf", ZB1_LENGTH),
        ("Ab3dEf9X", ZB1_LENGTH),
        ("Ab3dEf?", CHARACTERS),
        ("Ab3dEfI", LOOKALIKE["I"]),
        ("Ab3dEfi", LOOKALIKE["i"]),
        ("Ab3dEfl", LOOKALIKE["l"]),
        ("Ab3dEfO", LOOKALIKE["O"]),
        ("Ab3dEfo", LOOKALIKE["o"]),
    ],
)
def test_zb1_code_refuses_wrong_length_and_characters_that_look_like_1_or_0(typed, message):
    assert messages(clean("zb1_code", typed)) == [message]


@settings(max_examples=200, deadline=None)
@given(
    type_and_length=st.sampled_from([("seal_code", 3), ("zb1_code", 7)]),
    data=st.data(),
)
def test_every_code_from_the_allowed_characters_is_accepted_as_typed(type_and_length, data):
    type_, length = type_and_length
    code = data.draw(st.text(alphabet=codes.CODE_CHARACTERS, min_size=length, max_size=length))
    assert clean(type_, code) == Cleaned(value=code)
    assert clean(type_, " ".join(code)) == Cleaned(value=code)


@settings(max_examples=200, deadline=None)
@given(
    type_and_length=st.sampled_from([("seal_code", 3), ("zb1_code", 7)]),
    lookalike=st.sampled_from("IilOo"),
    data=st.data(),
)
def test_every_code_with_a_character_like_1_or_0_is_refused(type_and_length, lookalike, data):
    type_, length = type_and_length
    code = list(data.draw(st.text(alphabet=codes.CODE_CHARACTERS, min_size=length, max_size=length)))
    code[data.draw(st.integers(0, length - 1))] = lookalike
    first = next(character for character in code if character in "IilOo")
    assert messages(clean(type_, "".join(code))) == [LOOKALIKE[first]]


# --- ZB II code -------------------------------------------------------------------------------

ZB2_CHECK = "Check the code, one character is probably wrong. Capital and small letters are different"
ZB2_LENGTH = "The security code of the registration certificate part II must be 12 characters long"
ALNUM = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"  # codes.py's order: 0–9, A–Z, a–z
bodies = st.text(alphabet=ALNUM, min_size=11, max_size=11)


def zb2(body: str) -> str:
    return body + codes.zb2_check_character(body)


GOOD_ZB2 = zb2("AbCdEfGh123")
WRONG_ZB2 = GOOD_ZB2[:-1] + ("0" if GOOD_ZB2[-1] != "0" else "1")  # the check character changed


def test_zb2_code_accepts_a_code_with_its_check_character():
    assert clean("zb2_code", GOOD_ZB2) == Cleaned(value=GOOD_ZB2)
    spaced = f" {GOOD_ZB2[:4]} {GOOD_ZB2[4:8]}-{GOOD_ZB2[8:]} "
    assert clean("zb2_code", spaced) == Cleaned(value=GOOD_ZB2)


def test_zb2_code_reads_a_small_x_as_the_check_character_x():
    body = next(f"Zb{number:09d}" for number in range(1000) if codes.zb2_check_character(f"Zb{number:09d}") == "X")
    assert clean("zb2_code", body + "x") == Cleaned(value=body + "X")


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the security code from the registration certificate part II"),
        ("AbCdEfGh123", ZB2_LENGTH),
        (GOOD_ZB2 + "1", ZB2_LENGTH),
        ("AbCdEfGh12!4", CHARACTERS),
        ("AbCdÄfGh1234", CHARACTERS),
        (WRONG_ZB2, ZB2_CHECK),
        (GOOD_ZB2.upper(), ZB2_CHECK),  # typed all in capitals
        (GOOD_ZB2.lower(), ZB2_CHECK),
    ],
)
def test_zb2_code_refuses_wrong_length_characters_and_check(typed, message):
    assert messages(clean("zb2_code", typed)) == [message]


def _value(character: str) -> int:
    return ALNUM.index(character)


@settings(max_examples=300, deadline=None)
@given(body=bodies)
def test_every_body_with_its_check_character_validates(body):
    assert clean("zb2_code", zb2(body)) == Cleaned(value=zb2(body))


@settings(max_examples=500, deadline=None)
@given(body=bodies, position=st.integers(0, 10), replacement=st.sampled_from(ALNUM))
def test_a_changed_character_is_caught_unless_its_value_differs_by_a_multiple_of_11(body, position, replacement):
    """What Mod-11 guarantees, and no more: a character's weight (2 to 7) is prime to 11, so one changed
    character is caught exactly when its value (0–9, A–Z 10–35, a–z 36–61) changes by other than a
    multiple of 11. "0" for "B" (0 and 11) passes; a change of case (26 apart) is always caught."""
    assume(body[position] != replacement)
    code = zb2(body)
    typo = code[:position] + replacement + code[position + 1 :]
    caught = (_value(replacement) - _value(body[position])) % 11 != 0
    cleaned = clean("zb2_code", typo)
    if caught:
        assert messages(cleaned) == [ZB2_CHECK]
    else:
        assert cleaned == Cleaned(value=typo)


@settings(max_examples=300, deadline=None)
@given(body=bodies.filter(lambda text: any(character.isalpha() for character in text)), data=st.data())
def test_a_change_of_case_is_always_caught(body, data):
    position = data.draw(st.sampled_from([index for index, character in enumerate(body) if character.isalpha()]))
    code = zb2(body)
    typo = code[:position] + code[position].swapcase() + code[position + 1 :]
    assert messages(clean("zb2_code", typo)) == [ZB2_CHECK]


@settings(max_examples=300, deadline=None)
@given(body=bodies, replacement=st.sampled_from(ALNUM))
def test_a_changed_check_character_is_always_caught(body, replacement):
    code = zb2(body)
    assume(replacement != code[-1] and not (code[-1] == "X" and replacement == "x"))
    assert messages(clean("zb2_code", code[:-1] + replacement)) == [ZB2_CHECK]


@settings(max_examples=300, deadline=None)
@given(body=bodies, position=st.integers(0, 9))
def test_two_neighbours_swapped_are_caught_unless_their_values_are_equal_modulo_11(body, position):
    """Neighbours' weights differ by 1 or 5, both prime to 11: a swap is caught unless the values agree mod 11."""
    a, b = body[position], body[position + 1]
    assume((_value(a) - _value(b)) % 11 != 0)
    code = zb2(body)
    swapped = code[:position] + b + a + code[position + 2 :]
    assert messages(clean("zb2_code", swapped)) == [ZB2_CHECK]


# --- ZB II number ------------------------------------------------------------------------------

ZB2_NUMBER_FORMAT = "Enter the number in the correct format: 2 letters and 7 numbers, like AB1234567"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("AB1234567", "AB1234567"),
        ("ab 123 4567", "AB1234567"),
        ("AB-1234567", "AB1234567"),
        ("ＡＢ1234567", "AB1234567"),
    ],
)
def test_zb2_number_is_upper_cased_without_spaces(typed, stored):
    assert clean("zb2_number", typed) == Cleaned(value=stored)


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter the number of the registration certificate part II"),
        ("A12345678", ZB2_NUMBER_FORMAT),
        ("ABC123456", ZB2_NUMBER_FORMAT),
        ("AB123456", ZB2_NUMBER_FORMAT),
        ("AB12345678", ZB2_NUMBER_FORMAT),
        ("ÄB1234567", ZB2_NUMBER_FORMAT),
        ("AB123456O", ZB2_NUMBER_FORMAT),
    ],
)
def test_zb2_number_refuses_other_shapes(typed, message):
    assert messages(clean("zb2_number", typed)) == [message]


# --- the codes' inputs, options and translations --------------------------------------------


class _Inputs(HTMLParser):
    def __init__(self, html: str) -> None:
        super().__init__()
        self.inputs: list[dict[str, str | None]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        if tag == "input":
            self.inputs.append(dict(attrs))


@pytest.mark.parametrize("type_", ["seal_code", "zb1_code", "zb2_code", "zb2_number"])
def test_code_inputs_switch_off_autocomplete_spell_checking_and_capitals(type_):
    html = render_field(spec(type_), {"q": "aB2"}, [])
    (attrs,) = _Inputs(html).inputs
    assert attrs["autocomplete"] == "off"
    assert attrs["spellcheck"] == "false"
    assert attrs["autocapitalize"] == "none"
    assert attrs["value"] == "aB2"


@pytest.mark.parametrize("type_", ["seal_code", "zb1_code", "zb2_code", "zb2_number"])
def test_code_types_take_no_options_but_error_texts(type_):
    field_type = field_types.get(type_)
    assert field_type.validate_spec(spec(type_, error_length={"de": "Zu kurz", "en": "Too short"})) == []
    assert field_type.validate_spec(spec(type_, max_length=3)) != []


def test_a_definition_can_replace_a_code_message_by_its_error_code():
    replaced = spec("zb2_code", error_check={"de": "Prüfziffer falsch", "en": "Wrong check character"})
    assert messages(field_types.get("zb2_code").clean(replaced, {"q": WRONG_ZB2}, None)) == ["Wrong check character"]
    replaced = spec("seal_code", error_lookalike={"de": "Kein O", "en": "No O"})
    assert messages(field_types.get("seal_code").clean(replaced, {"q": "aO2"}, None)) == ["No O"]


@pytest.mark.parametrize(
    ("type_", "typed", "options", "german"),
    [
        ("seal_code", "", {}, "Geben Sie den Sicherheitscode der Stempelplakette ein"),
        ("seal_code", "aB", {}, "Der Sicherheitscode der Stempelplakette muss 3 Zeichen lang sein"),
        ("seal_code", "al2", {}, "Sicherheitscodes enthalten nie ein kleines L (l). Prüfen Sie, ob es eine 1 ist"),
        ("zb1_code", "Ab3dEfO", {}, "Sicherheitscodes enthalten nie ein großes O. Prüfen Sie, ob es eine 0 ist"),
        (
            "zb2_code",
            WRONG_ZB2,
            {},
            "Prüfen Sie den Code, wahrscheinlich ist ein Zeichen falsch. Groß- und Kleinbuchstaben sind verschieden",
        ),
        (
            "zb2_number",
            "AB12",
            {},
            "Geben Sie die Nummer im richtigen Format ein: 2 Buchstaben und 7 Ziffern, zum Beispiel AB1234567",
        ),
        (
            "licence_plate",
            "GÖ-ÄB 1",
            {"any_area": True},
            "Die Buchstaben nach dem Unterscheidungszeichen dürfen kein Ä, Ö oder Ü enthalten",
        ),
    ],
)
def test_code_messages_are_in_german_by_default(type_, typed, options, german):
    with translation.override("de"):
        assert messages(clean(type_, typed, **options)) == [german]


# --- IBAN for the vehicle tax: what the engine's own tests do not cover ----------------------


@settings(max_examples=300, deadline=None)
@given(bban=st.from_regex(r"\A[0-9]{18}\Z"), position=st.integers(2, 21), digit=st.integers(0, 9))
def test_a_german_iban_with_one_digit_changed_is_refused_check_digits_included(bban, position, digit):
    """tests/applications changes the BBAN's digits; the two check digits themselves count too."""
    iban = "DE" + stdnum_iban.calc_check_digits("DE00" + bban) + bban
    assert clean("iban", iban) == Cleaned(value=iban)
    assume(iban[position] != str(digit))
    typo = iban[:position] + str(digit) + iban[position + 1 :]
    cleaned = clean("iban", typo)
    assert cleaned.value is None
    assert len(cleaned.errors) == 1
