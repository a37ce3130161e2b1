"""The self-check of the Voranfrage zur Einbürgerung, criterion by criterion, at the edges of each rule
(StAG in force since 27 June 2024; domain-facts-wave2.md A2)."""

import datetime

import pytest
from django.utils import translation

from amtsweg.civil_status import naturalisation as n
from amtsweg.civil_status.naturalisation import MET, NOT_MET, UNCLEAR, Conviction

TODAY = datetime.date(2026, 12, 7)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def years_before(day: datetime.date, years: int) -> datetime.date:
    return day.replace(year=day.year - years)


# --- residence ------------------------------------------------------------------------------------------


def test_exactly_five_years_is_met():
    found = n.residence_duration(since=years_before(TODAY, 5), today=TODAY)
    assert found.state == MET
    assert found.basis == "section 10(1) StAG"
    assert "5 years" in found.reason


def test_four_years_and_364_days_is_not_met():
    since = years_before(TODAY, 5) + datetime.timedelta(days=1)
    found = n.residence_duration(since=since, today=TODAY)
    assert found.state == NOT_MET
    assert "4 full years" in found.reason


def test_three_years_with_c1_and_special_integration_is_met():
    found = n.residence_duration(since=years_before(TODAY, 3), today=TODAY, c1=True, special_integration=True)
    assert found.state == MET
    assert found.basis == "section 10(3) StAG"


@pytest.mark.parametrize(("c1", "special"), [(True, False), (False, True)])
def test_three_years_need_both_c1_and_special_integration(c1, special):
    found = n.residence_duration(since=years_before(TODAY, 3), today=TODAY, c1=c1, special_integration=special)
    assert found.state == NOT_MET


def test_two_years_with_c1_and_special_integration_is_not_met():
    since = years_before(TODAY, 3) + datetime.timedelta(days=1)
    assert n.residence_duration(since=since, today=TODAY, c1=True, special_integration=True).state == NOT_MET


def test_spouse_of_a_german_after_three_years_and_two_years_marriage_is_to_verify():
    found = n.residence_duration(
        since=years_before(TODAY, 3), today=TODAY, married_to_german_since=years_before(TODAY, 2)
    )
    assert found == (UNCLEAR, found.reason, "section 9 StAG")
    short_marriage = years_before(TODAY, 2) + datetime.timedelta(days=1)
    assert (
        n.residence_duration(since=years_before(TODAY, 3), today=TODAY, married_to_german_since=short_marriage).state
        == NOT_MET
    )


# --- residence title ------------------------------------------------------------------------------------


@pytest.mark.parametrize("title", ["settlement", "eu"])
def test_unlimited_titles_and_freedom_of_movement_count(title):
    assert n.residence_title(title=title).state == MET


def test_a_toleration_never_counts():
    found = n.residence_title(title="duldung")
    assert found.state == NOT_MET
    assert found.basis == "section 10(1) sentence 1 no. 2 StAG"


@pytest.mark.parametrize("section", sorted(n.EXCLUDED_SECTIONS))
def test_each_excluded_purpose_is_not_met(section):
    found = n.residence_title(title="permit", section=section)
    assert found.state == NOT_MET
    assert n.EXCLUDED_SECTIONS[section] in found.reason


def test_the_excluded_list_is_the_one_of_the_law():
    assert set(n.EXCLUDED_SECTIONS) == {
        "16a", "16b", "16d", "16e", "16f", "17", "18f", "19", "19b", "19e", "20", "22", "23a", "24",
        "25_3", "25_4", "25_5", "104c",
    }  # fmt: skip


@pytest.mark.parametrize("section", ["18d", "23_1", "unknown"])
def test_purposes_to_verify_and_an_unknown_section_are_unclear(section):
    assert n.residence_title(title="permit", section=section).state == UNCLEAR


def test_another_purpose_counts():
    assert n.residence_title(title="permit", section="other").state == MET


def test_another_document_is_unclear():
    assert n.residence_title(title="other").state == UNCLEAR


# --- livelihood -----------------------------------------------------------------------------------------


def test_no_benefits_is_met():
    assert n.livelihood(benefits=False).state == MET


@pytest.mark.parametrize("exception", ["fulltime", "fulltime_partner"])
def test_full_time_work_excepts_benefits(exception):
    assert n.livelihood(benefits=True, exception=exception).state == MET


def test_the_guest_worker_generation_is_excepted():
    assert n.livelihood(benefits=True, exception="none", guest_worker=True).state == MET


def test_benefits_without_an_exception_are_a_hardship_question():
    found = n.livelihood(benefits=True, exception="none")
    assert found.state == UNCLEAR
    assert "8(2)" in found.basis


# --- language and test ----------------------------------------------------------------------------------


@pytest.mark.parametrize("proof", ["certificate", "school", "training"])
def test_b1_with_a_proof_is_met(proof):
    assert n.language(level="b1", proof=proof).state == MET


def test_b1_without_a_proof_is_unclear():
    assert n.language(level="b1", proof="none").state == UNCLEAR


def test_below_b1_is_not_met_but_the_guest_worker_generation_speaks_enough():
    assert n.language(level="below_b1").state == NOT_MET
    assert n.language(level="below_b1", guest_worker=True).state == MET


def test_illness_or_age_makes_the_language_unclear():
    found = n.language(level="below_b1", health_exemption=True)
    assert found.state == UNCLEAR
    assert found.basis == "section 10(6) StAG"


def test_seventeen_right_answers_pass_and_sixteen_do_not():
    assert n.naturalisation_test(age=30, status="taken", score=17).state == MET
    assert n.naturalisation_test(age=30, status="taken", score=16).state == NOT_MET


def test_no_test_under_16():
    assert n.naturalisation_test(age=15, status="not_taken").state == MET
    assert n.naturalisation_test(age=16, status="not_taken").state == NOT_MET


def test_a_german_school_leaving_certificate_replaces_the_test():
    assert n.naturalisation_test(age=19, status="school").state == MET


def test_illness_or_age_makes_the_test_unclear_and_guest_workers_need_none():
    assert n.naturalisation_test(age=70, status="not_taken", health_exemption=True).state == UNCLEAR
    assert n.naturalisation_test(age=70, guest_worker=True).state == MET


# --- declarations ---------------------------------------------------------------------------------------


def test_both_declarations_are_needed():
    assert n.declarations(fdgo=True, history=True).state == MET
    assert n.declarations(fdgo=True, history=False).state == NOT_MET
    assert n.declarations(fdgo=False, history=True).state == NOT_MET


# --- § 12a StAG -------------------------------------------------------------------------------------------


def test_no_conviction_is_met():
    assert n.convictions(found=[]).state == MET


def test_a_fine_of_90_daily_rates_is_ignored_and_91_is_case_by_case():
    assert n.convictions(found=[Conviction("fine", daily_rates=90)]).state == MET
    assert n.convictions(found=[Conviction("fine", daily_rates=91)]).state == UNCLEAR


def test_up_to_111_is_case_by_case_and_more_is_not_met():
    assert n.convictions(found=[Conviction("fine", daily_rates=111)]).state == UNCLEAR
    assert n.convictions(found=[Conviction("fine", daily_rates=112)]).state == NOT_MET


def test_fines_are_summed():
    found = n.convictions(found=[Conviction("fine", daily_rates=50), Conviction("fine", daily_rates=41)])
    assert found.state == UNCLEAR
    assert "91" in found.reason
    assert n.convictions(found=[Conviction("fine", daily_rates=45), Conviction("fine", daily_rates=45)]).state == MET


def test_a_suspended_sentence_of_three_months_is_ignored_and_counts_as_90_days():
    assert n.convictions(found=[Conviction("suspended", months=3)]).state == MET
    assert n.convictions(found=[Conviction("suspended", months=3), Conviction("fine", daily_rates=1)]).state == UNCLEAR
    assert n.convictions(found=[Conviction("suspended", months=4)]).state == NOT_MET


def test_juvenile_measures_are_ignored():
    assert n.convictions(found=[Conviction("juvenile"), Conviction("fine", daily_rates=90)]).state == MET


def test_a_hate_motive_makes_even_10_daily_rates_count():
    found = n.convictions(found=[Conviction("fine", daily_rates=10)], hate_motive=True)
    assert found.state == NOT_MET
    assert "racist" in found.reason
    assert n.convictions(found=[Conviction("juvenile")], hate_motive=True).state == NOT_MET


def test_prison_without_probation_is_not_met():
    assert n.convictions(found=[Conviction("prison", months=2)]).state == NOT_MET


def test_more_convictions_than_described_or_another_sentence_are_unclear():
    assert n.convictions(found=[Conviction("fine", daily_rates=10)], count=4).state == UNCLEAR
    assert n.convictions(found=[Conviction("other")]).state == UNCLEAR
    assert n.convictions(found=[Conviction("fine", daily_rates=200)], count=4).state == NOT_MET


def test_an_open_investigation_suspends_the_procedure():
    found = n.convictions(found=[], investigation_open=True)
    assert found.state == UNCLEAR
    assert "suspended until" in found.reason
    assert found.basis == "section 12a(3) StAG"
    # A conviction that stands in the way stays "not met".
    assert n.convictions(found=[Conviction("prison", months=6)], investigation_open=True).state == NOT_MET


# --- family -----------------------------------------------------------------------------------------------


def test_a_co_naturalised_spouse_may_have_less_than_five_years():
    assert n.co_naturalised_spouse(since=years_before(TODAY, 5), today=TODAY).state == MET
    found = n.co_naturalised_spouse(since=years_before(TODAY, 1), today=TODAY)
    assert found.state == UNCLEAR
    assert "no fixed minimum" in found.reason


def test_a_child_needs_three_years_here():
    born = years_before(TODAY, 10)
    assert n.co_naturalised_child(birth_date=born, since=years_before(TODAY, 3), today=TODAY).state == MET
    later = years_before(TODAY, 3) + datetime.timedelta(days=1)
    assert n.co_naturalised_child(birth_date=born, since=later, today=TODAY).state == NOT_MET


def test_a_child_under_six_needs_half_its_life_here():
    born = TODAY - datetime.timedelta(days=4 * 365)
    half = TODAY - datetime.timedelta(days=2 * 365)
    assert n.co_naturalised_child(birth_date=born, since=half, today=TODAY).state == MET
    assert (
        n.co_naturalised_child(birth_date=born, since=half + datetime.timedelta(days=1), today=TODAY).state == NOT_MET
    )


def test_a_child_of_16_applies_itself():
    found = n.co_naturalised_child(birth_date=years_before(TODAY, 16), since=years_before(TODAY, 10), today=TODAY)
    assert found.state == UNCLEAR
    assert "37(1)" in found.basis


# --- from the answers -------------------------------------------------------------------------------------

QUALIFIED = {
    "applicant_birth_date": "1990-01-01",
    "in_germany_since": "2018-01-01",
    "residence_title": "settlement",
    "family_status": "married",
    "spouse_german": False,
    "marriage_date": "2015-05-05",
    "spouse_together": True,
    "spouse_in_germany_since": "2018-01-01",
    "children_together": True,
    "children_count": 2,
    "child_1_name": "Lina",
    "child_1_birth_date": "2016-03-01",
    "child_1_in_germany_since": "2018-01-01",
    "child_2_name": "Omar",
    "child_2_birth_date": "2019-03-01",
    "child_2_in_germany_since": "2019-03-01",
    "employment": "employed",
    "benefits": False,
    "german_level": "b1",
    "german_proof": "certificate",
    "test_status": "taken",
    "test_score": 25,
    "declaration_fdgo": True,
    "declaration_history": True,
    "convicted": False,
    "investigation_open": False,
}


def test_a_qualified_family_meets_every_criterion():
    criteria = n.self_check(QUALIFIED, today=TODAY)
    assert [c.key for c in criteria] == [
        "residence_duration",
        "residence_title",
        "livelihood",
        "language",
        "naturalisation_test",
        "declarations",
        "convictions",
        "spouse",
        "child_1",
        "child_2",
    ]
    assert {c.state for c in criteria} == {MET}
    assert n.verdict(criteria) == MET
    assert criteria[-2].title == "Child: Lina"


def test_one_unclear_criterion_makes_the_result_unclear_and_one_not_met_not_met():
    unclear = {**QUALIFIED, "investigation_open": True}
    assert n.verdict(n.self_check(unclear, today=TODAY)) == UNCLEAR
    both = {**unclear, "residence_title": "duldung"}
    assert n.verdict(n.self_check(both, today=TODAY)) == NOT_MET


def test_the_convictions_of_the_form_are_summed():
    answers = {
        **QUALIFIED,
        "convicted": True,
        "conviction_count": 2,
        "hate_motive": False,
        "conviction_1_kind": "fine",
        "conviction_1_daily_rates": 60,
        "conviction_2_kind": "fine",
        "conviction_2_daily_rates": 40,
    }
    found = next(c for c in n.self_check(answers, today=TODAY) if c.key == "convictions")
    assert found.state == UNCLEAR
    assert "100" in found.finding.reason


def test_fee_units_count_the_applicant_the_spouse_and_each_minor():
    assert n.fee_units(QUALIFIED) == {"naturalisation_adults": 2, "naturalisation_children": 2}
    assert n.fee_units({}) == {"naturalisation_adults": 1, "naturalisation_children": 0}
