"""One test (or more) per rule of the certificate orders: § 62/63 PStG, age, Kassel, archive, dates, copies."""

import datetime

import pytest
from django.utils import translation

from amtsweg.applications.formengine.hooks import run_service_rules, service_rules
from amtsweg.civil_status import entitlement
from amtsweg.civil_status.rules import CERTIFICATE_SERVICES, certificate_order_errors
from amtsweg.core import dates


def years_ago(years: int, days: int = 0) -> str:
    today = dates.today()  # the portal's date (Europe/Berlin), as the rules use it
    try:
        day = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        day = today.replace(year=today.year - years, day=28)
    return (day - datetime.timedelta(days=days)).isoformat()


def errors(kind: str, answers: dict, step: str | None) -> dict[str, str]:
    """The rules' errors by field, in English (the German texts are checked by the journey tests)."""
    slug = {v: k for k, v in CERTIFICATE_SERVICES.items()}[kind]
    with translation.override("en"):
        return {error.key: error.message for error in certificate_order_errors(slug, kind, answers, step)}


def test_every_certificate_service_has_the_rules():
    for slug in ("geburtsurkunde", "eheurkunde", "lebenspartnerschaftsurkunde", "sterbeurkunde"):
        assert service_rules.rules_for(slug), slug
    assert run_service_rules("sterbeurkunde", {"relationship": "sibling"}, "interest")


# --- § 62 PStG: relationship ------------------------------------------------------


@pytest.mark.parametrize("relationship", ["self", "spouse", "ancestor", "descendant"])
@pytest.mark.parametrize("kind", ["birth", "marriage", "partnership", "death"])
def test_close_family_needs_no_reason(kind, relationship):
    assert errors(kind, {"relationship": relationship}, "interest") == {}


@pytest.mark.parametrize("kind", ["birth", "death"])
def test_sibling_without_a_reason_is_stopped(kind):
    found = errors(kind, {"relationship": "sibling"}, "interest")
    assert "legitimate interest" in found["reason"]
    assert errors(kind, {"relationship": "sibling", "reason": "   "}, "interest") == found


@pytest.mark.parametrize("kind", ["birth", "death"])
def test_sibling_with_a_reason_may_order(kind):
    assert errors(kind, {"relationship": "sibling", "reason": "Erbschein für den Nachlass"}, "interest") == {}


def test_sibling_of_a_marriage_entry_needs_a_legal_interest():
    # § 62(1) PStG names siblings only for birth and death entries.
    found = errors("marriage", {"relationship": "sibling", "reason": "Familienforschung"}, "interest")
    assert "legal interest" in found["legal_reason"]


def test_other_people_need_a_legal_reason_and_a_proof():
    assert "legal interest" in errors("birth", {"relationship": "other"}, "interest")["legal_reason"]
    found = errors("birth", {"relationship": "other", "legal_reason": "Nachlasspflegschaft"}, "interest")
    assert found == {"proof": "Upload a proof of your legal interest"}
    answers = {"relationship": "other", "legal_reason": "Nachlasspflegschaft", "proof": {"id": "x", "name": "a.pdf"}}
    assert errors("birth", answers, "interest") == {}


def test_other_people_are_reviewed_by_hand_and_close_family_is_not():
    assert entitlement.needs_manual_review({"relationship": "other"})
    for relationship in ("self", "spouse", "ancestor", "descendant", "sibling"):
        assert not entitlement.needs_manual_review({"relationship": relationship})


# --- age ------------------------------------------------------------------------


def test_applicant_under_16_is_stopped():
    found = errors("birth", {"applicant_birth_date": years_ago(16, days=-1)}, "applicant")
    assert "at least 16" in found["applicant_birth_date"]


def test_applicant_of_16_may_order():
    assert errors("birth", {"applicant_birth_date": years_ago(16)}, "applicant") == {}


# --- § 63 PStG: adoption ----------------------------------------------------------


def test_adopted_person_may_order_their_own_birth_certificate():
    assert errors("birth", {"relationship": "self", "adopted": True}, "adoption") == {}


def test_adoptive_parent_may_order():
    answers = {"relationship": "ancestor", "adopted": True, "adoptive_parent": True}
    assert errors("birth", answers, "adoption") == {}


@pytest.mark.django_db
def test_birth_parent_after_an_adoption_is_sent_to_the_registry_office(kassel):
    answers = {"relationship": "ancestor", "adopted": True}
    assert errors("birth", answers, "adoption") == {}  # asked next, on its own step
    answers["adoptive_parent"] = False
    message = errors("birth", answers, "adoptive_parent")["adoptive_parent"]
    assert "section 63" in message
    assert "urkundenstelle@kassel.de" in message  # the Standesamt's address from the catalogue


@pytest.mark.django_db
@pytest.mark.parametrize("relationship", ["spouse", "descendant", "sibling", "other"])
def test_others_after_an_adoption_are_sent_to_the_registry_office(kassel, relationship):
    found = errors("birth", {"relationship": relationship, "adopted": True}, "adoption")
    assert "registry office" in found["adopted"]


def test_no_adoption_no_restriction():
    assert errors("birth", {"relationship": "descendant", "adopted": False}, "adoption") == {}


# --- the registry district ---------------------------------------------------------


@pytest.mark.parametrize("place", ["Kassel", "kassel ", "Kassel-Wilhelmshöhe", "34117 Kassel", "Kassel (Hessen)"])
def test_places_in_kassel_are_accepted(place):
    assert errors("birth", {"event_place": place, "event_date": "1990-05-01"}, "entry") == {}


@pytest.mark.parametrize("kind", ["birth", "marriage", "partnership", "death"])
def test_place_outside_kassel_is_referred_to_its_registry_office(kind):
    found = errors(kind, {"event_place": "Vellmar", "event_date": "1990-05-01"}, "entry")
    assert "registry office (Standesamt) in Vellmar" in found["event_place"]
    assert entitlement.in_registry_district("Kasselberg") is False


# --- retention: the Stadtarchiv ---------------------------------------------------


@pytest.mark.parametrize(("kind", "years"), [("birth", 110), ("marriage", 80), ("partnership", 80), ("death", 30)])
def test_entries_older_than_retention_go_to_the_stadtarchiv(kind, years):
    too_old = errors(kind, {"event_date": years_ago(years), "event_place": "Kassel"}, "entry")
    message = too_old["event_date"]
    assert f"{years} years" in message
    assert "Stadtarchiv Kassel" in message and "stadtarchiv@kassel.de" in message and "0561 787-4050" in message
    assert errors(kind, {"event_date": years_ago(years, days=-1), "event_place": "Kassel"}, "entry") == {}


def test_retention_years_and_archive_come_from_the_settings(settings):
    settings.CIVIL_STATUS_RETENTION_YEARS = {"birth": 50}
    settings.CIVIL_STATUS_ARCHIVE = {**settings.CIVIL_STATUS_ARCHIVE, "name": "Archiv X", "email": "x@example.org"}
    message = errors("birth", {"event_date": years_ago(60), "event_place": "Kassel"}, "entry")["event_date"]
    assert "50 years" in message and "Archiv X" in message and "x@example.org" in message
    assert errors("death", {"event_date": years_ago(60), "event_place": "Kassel"}, "entry") == {}  # no figure, no stop


# --- copies ------------------------------------------------------------------------


def test_newborn_order_needs_at_least_one_certificate():
    nothing = {"newborn": True, "free_purposes": [], "extra_copies": 0}
    assert "at least one" in errors("birth", nothing, "order")["extra_copies"]
    assert errors("birth", {**nothing, "free_purposes": ["kindergeld"]}, "order") == {}
    assert errors("birth", {**nothing, "extra_copies": 1}, "order") == {}
    assert (
        entitlement.total_copies({"newborn": True, "free_purposes": ["kindergeld", "elterngeld"], "extra_copies": 3})
        == 5
    )


def test_free_newborn_certificates_are_only_for_a_child_born_recently(settings):
    settings.CIVIL_STATUS_NEWBORN_MAX_DAYS = 365
    entry = {"relationship": "ancestor", "newborn": True, "event_place": "Kassel", "entry_name": {}}
    assert errors("birth", {**entry, "event_date": years_ago(0, days=30)}, "entry") == {}
    assert errors("birth", {**entry, "event_date": years_ago(0, days=365)}, "entry") == {}
    older = errors("birth", {**entry, "event_date": years_ago(1, days=1)}, "entry")
    assert "born in the last 365 days" in older["event_date"]
    # Not a newborn order: an older child's certificate is ordered at the normal fee.
    assert errors("birth", {**entry, "newborn": False, "event_date": years_ago(40)}, "entry") == {}


def test_rules_of_other_steps_do_not_run_early():
    # A rule runs on its own step and before submission (step None), not on the steps before.
    answers = {"relationship": "sibling", "applicant_birth_date": years_ago(10)}
    assert errors("birth", answers, "relationship") == {}
    assert set(errors("birth", answers, None)) == {"reason", "applicant_birth_date"}
