"""Property tests: clean never raises, and valid values survive the way through the inputs."""

import datetime
import json
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from stdnum import iban as stdnum_iban

from amtsweg.applications.formengine.base import Cleaned
from amtsweg.applications.formengine.registry import field_types
from amtsweg.core import dates

from .conftest import TODAY
from .helpers import clean, date_data, spec

# The autouse fixtures (language, fixed today) run once per test, not per example; that is fine here.
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

posted_value = st.one_of(
    st.none(),
    st.text(),
    st.text(alphabet=st.characters(codec="utf-8")),
    st.text(alphabet=st.characters(categories=["Cc", "Cs", "Zs", "Mn", "Nd", "Cf"])),
    st.lists(st.text(max_size=20), max_size=5),
    st.integers(),
    st.binary(max_size=20),
    st.dictionaries(st.text(max_size=5), st.text(max_size=5), max_size=3),
)
part_names = st.sampled_from(
    ["q", "q-day", "q-month", "q-year", "q-street", "q-number", "q-postcode", "q-town", "q-given_names",
     "q-family_name", "q-birth_name", "q-stored", "other"]
)  # fmt: skip
posted_data = st.dictionaries(part_names, posted_value, max_size=8)


@SETTINGS
@given(type_=st.sampled_from(field_types.names()), data=posted_data)
def test_clean_never_raises_for_any_type(type_, data):
    cleaned = clean(spec(type_), data)
    assert isinstance(cleaned, Cleaned)
    assert (cleaned.value is None) or not cleaned.errors
    json.dumps(cleaned.value)


# --- text ---------------------------------------------------------------------------


@SETTINGS
@given(value=posted_value, max_length=st.integers(min_value=1, max_value=300))
def test_text_clean_never_raises(value, max_length):
    cleaned = clean(spec("text", max_length=max_length), {"q": value})
    assert isinstance(cleaned, Cleaned)
    if cleaned.value is not None:
        assert 0 < len(cleaned.value) <= max_length


# Printable text as people type it: letters, digits, punctuation, symbols, spaces inside.
typed_text = st.text(
    alphabet=st.characters(categories=["L", "N", "P", "S"], exclude_characters="\x00"), min_size=1, max_size=200
).map(lambda text: text.strip())


@SETTINGS
@given(value=typed_text)
def test_text_valid_values_round_trip(value):
    value = unicodedata.normalize("NFC", value)
    if not value:
        return
    field = spec("text")
    cleaned = clean(field, {"q": value})
    assert cleaned == Cleaned(value=value)
    assert clean(field, field_types.get("text").inputs(field, cleaned.value)) == cleaned


# --- date ---------------------------------------------------------------------------


@SETTINGS
@given(day=posted_value, month=posted_value, year=posted_value)
def test_date_clean_never_raises(day, month, year):
    cleaned = clean(spec("date", not_in_future=True, min_age=16), {"q-day": day, "q-month": month, "q-year": year})
    assert isinstance(cleaned, Cleaned)
    assert all(error.part in ("day", "month", "year") for error in cleaned.errors)


@SETTINGS
@given(day=st.dates(min_value=datetime.date(1850, 1, 1), max_value=datetime.date(TODAY.year + 100, 12, 31)))
def test_date_valid_dates_round_trip(day):
    field = spec("date")
    cleaned = clean(field, date_data("q", day))
    assert cleaned == Cleaned(value=day.isoformat())
    assert clean(field, field_types.get("date").inputs(field, cleaned.value)) == cleaned
    assert dates.parse_iso_date(cleaned.value) == day


@SETTINGS
@given(day=st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_date_min_age_matches_the_whole_years_lived(day):
    cleaned = clean(spec("date", min_age=18), date_data("q", day))
    assert (cleaned.errors == []) == (dates.age_on(day, TODAY) >= 18)


# --- IBAN ---------------------------------------------------------------------------


@SETTINGS
@given(value=posted_value)
def test_iban_clean_never_raises(value):
    assert isinstance(clean(spec("iban"), {"q": value}), Cleaned)


german_bban = st.from_regex(r"\A[0-9]{18}\Z")


def with_check_digits(country: str, bban: str) -> str:
    return country + stdnum_iban.calc_check_digits(country + "00" + bban) + bban


@SETTINGS
@given(bban=german_bban, spaced=st.booleans(), lower=st.booleans())
def test_iban_valid_german_ibans_round_trip(bban, spaced, lower):
    value = with_check_digits("DE", bban)
    typed = stdnum_iban.format(value) if spaced else value
    typed = typed.lower() if lower else typed
    field = spec("iban")
    cleaned = clean(field, {"q": typed})
    assert cleaned == Cleaned(value=value)
    assert clean(field, field_types.get("iban").inputs(field, cleaned.value)) == cleaned


@SETTINGS
@given(bban=german_bban, position=st.integers(min_value=4, max_value=21), digit=st.integers(0, 9))
def test_iban_one_wrong_digit_is_refused(bban, position, digit):
    value = with_check_digits("DE", bban)
    if value[position] == str(digit):
        return
    typo = value[:position] + str(digit) + value[position + 1 :]
    assert clean(spec("iban"), {"q": typo}).value is None


@pytest.mark.parametrize("country", ["FR", "NL", "AT", "IT"])
def test_iban_from_other_sepa_countries_is_accepted(country):
    examples = {
        "FR": "FR1420041010050500013M02606",
        "NL": "NL91ABNA0417164300",
        "AT": "AT611904300234573201",
        "IT": "IT60X0542811101000000123456",
    }
    assert clean(spec("iban"), {"q": examples[country]}).value == examples[country]
