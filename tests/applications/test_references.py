import pytest
from hypothesis import given
from hypothesis import strategies as st

from amtsweg.applications import references


def test_reference_has_year_number_and_check_digit():
    assert references.reference_format(prefix="KS", year=2026, number=4711) == "KS-2026-004711-1"


@given(st.integers(min_value=2020, max_value=2099), st.integers(min_value=1, max_value=999_999))
def test_every_formatted_reference_normalizes_to_itself(year, number):
    reference = references.reference_format(prefix="KS", year=year, number=number)
    assert references.reference_normalize(reference) == reference
    assert references.reference_normalize(reference.lower().replace("-", " ")) == reference


@given(st.integers(min_value=2020, max_value=2099), st.integers(min_value=1, max_value=999_999), st.data())
def test_a_single_digit_typo_is_caught(year, number, data):
    reference = references.reference_format(prefix="KS", year=year, number=number)
    digits = [i for i, ch in enumerate(reference) if ch.isdigit()]
    position = data.draw(st.sampled_from(digits))
    wrong = data.draw(st.sampled_from([d for d in "0123456789" if d != reference[position]]))
    typo = reference[:position] + wrong + reference[position + 1 :]
    assert references.reference_normalize(typo) is None


def test_swapped_neighbours_are_caught():
    reference = references.reference_format(prefix="KS", year=2026, number=4711)  # KS-2026-004711-1
    swapped = reference.replace("4711", "7411")
    assert references.reference_normalize(swapped) is None


@pytest.mark.parametrize("raw", ["", "KS", "KS-2026-4711", "XX-20-004711-1", "KS-2026-004711-11", "💥", "a" * 500])
def test_garbage_is_not_a_reference(raw):
    assert references.reference_normalize(raw) is None


@pytest.mark.django_db
def test_numbers_are_given_out_in_sequence_per_year():
    first = references.reference_allocate(year=2026)
    second = references.reference_allocate(year=2026)
    other_year = references.reference_allocate(year=2027)
    assert first.startswith("KS-2026-000001-")
    assert second.startswith("KS-2026-000002-")
    assert other_year.startswith("KS-2027-000001-")


def test_access_codes_are_random_readable_and_checked_in_constant_time():
    code = references.access_code_new()
    assert len(code) == 11 and code[5] == "-"
    assert not set(code.replace("-", "")) & set("01IO")
    hashed = references.access_code_hash(code)
    assert references.access_code_matches(code.lower().replace("-", " "), hashed)
    assert not references.access_code_matches("AAAAA-AAAAA", hashed)
    assert code not in hashed
