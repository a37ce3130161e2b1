"""The i-Kfz forms' rules (vehicles/rules.py), each with a good and a bad value, against the demo vehicle registry
over HTTP: the keeper's district, the vehicle check (unknown, not the keeper, wrong state, before 2015), the HU,
the wish plate, the old plate, the SEPA account, and a registry that does not answer."""

import datetime

import pytest

from amtsweg.applications.formengine.hooks import run_service_rules
from amtsweg.vehicles.constants import (
    DEREGISTRATION_SERVICE,
    NEW_REGISTRATION_SERVICE,
    REREGISTRATION_SERVICE,
    TRANSFER_SERVICE,
    VehicleStatus,
)
from amtsweg.vehicles.ikfz.base import VehicleInfo
from amtsweg.vehicles.rules import vehicle_problem

ERIKA = {
    "name": {"given_names": "Erika", "family_name": "Mustermann"},
    "birth_date": "1984-08-12",
    "address": {"street": "Friedrich-Ebert-Straße", "number": "12", "postcode": "34117", "town": "Kassel"},
}
AMIRA = {
    "name": {"given_names": "Amira", "family_name": "Haddad"},
    "birth_date": "1991-03-05",
    "address": {"street": "Holländische Straße", "number": "44", "postcode": "34127", "town": "Kassel"},
}
LENA = {
    "name": {"given_names": "Lena", "family_name": "Schäfer"},
    "birth_date": "1990-06-02",
    "address": {"street": "Marktstraße", "number": "3", "postcode": "34369", "town": "Hofgeismar"},
}
GOETTINGEN = {"street": "Weender Straße", "number": "5", "postcode": "37073", "town": "Göttingen"}
GOLF = {"plate": "KS-EM 812", "vin": "WVWZZZ1KZ9W812001"}  # Erika's, registered
CORSA = {"vin": "W0LPD6EB9K8020002"}  # Erika's, off the road, plate KS-EM 2020 reserved, no HU on record
FIESTA = {"plate": "KS-EM 99", "vin": "WF0DXXGAKD9A12003"}  # Erika's, registered in 2012
ID3 = {"vin": "WVWZZZE1ZRP050005"}  # new
BMW = {"plate": "KS-MM 314", "vin": "WBA7K31070V314006"}  # Max Mustermann's
CLIO = {"plate": "F-AH 321", "vin": "VF1RJA00X68321007"}  # Amira Haddad's, registered in Frankfurt am Main
UNKNOWN = {"plate": "KS-ZZ 9999", "vin": "WVWZZZ1KZ9W999999"}


def errors(service: str, answers: dict, step: str | None) -> dict[str, str]:
    return {error.key: error.message for error in run_service_rules(service, answers, step)}


# --- the keeper's district --------------------------------------------------------------------------------


@pytest.mark.parametrize("service", [DEREGISTRATION_SERVICE, NEW_REGISTRATION_SERVICE, TRANSFER_SERVICE])
def test_a_keeper_outside_stadt_and_landkreis_kassel_is_sent_to_their_own_office(service, kassel):
    found = errors(service, {**ERIKA, "address": GOETTINGEN}, "keeper")
    assert "address" in found
    assert "verwaltung.bund.de" in found["address"] and "115" in found["address"]
    assert "address" in errors(service, {**ERIKA, "address": GOETTINGEN}, None)  # and once more before sending


@pytest.mark.parametrize("answers", [ERIKA, LENA])
def test_a_keeper_in_the_city_or_the_landkreis_may_apply(answers, kassel):
    assert errors(REREGISTRATION_SERVICE, answers, "keeper") == {}


# --- the vehicle with the registry ------------------------------------------------------------------------


def test_the_keepers_registered_vehicle_can_be_deregistered(ikfz):
    assert errors(DEREGISTRATION_SERVICE, {**ERIKA, **GOLF}, "vehicle") == {}


def test_an_unknown_vehicle_is_said_on_the_plate(ikfz):
    assert "plate" in errors(DEREGISTRATION_SERVICE, {**ERIKA, **UNKNOWN}, "vehicle")
    assert "vin" in errors(NEW_REGISTRATION_SERVICE, {**ERIKA, "vin": UNKNOWN["vin"]}, "vehicle")


def test_a_known_vin_with_another_plate_is_not_found(ikfz):
    found = errors(DEREGISTRATION_SERVICE, {**ERIKA, **GOLF, "plate": "KS-EM 813"}, "vehicle")
    assert "Kennzeichen" in found["plate"]


def test_somebody_elses_vehicle_cannot_be_deregistered(ikfz):
    found = errors(DEREGISTRATION_SERVICE, {**AMIRA, **GOLF}, "vehicle")
    assert "Halterin oder Halter" in found["plate"] or "Halter" in found["plate"]
    assert "außer Betrieb" not in found["plate"]  # a stranger learns nothing of its state


def test_a_vehicle_registered_before_2015_can_only_be_dealt_with_at_the_office(ikfz):
    found = errors(DEREGISTRATION_SERVICE, {**ERIKA, **FIESTA}, "vehicle")
    assert "1. Januar 2015" in found["plate"]


def test_a_vehicle_off_the_road_cannot_be_deregistered_or_transferred(ikfz):
    corsa = {**ERIKA, "plate": "KS-EM 2020", **CORSA}
    assert "außer Betrieb" in errors(DEREGISTRATION_SERVICE, corsa, "vehicle")["plate"]
    found = errors(TRANSFER_SERVICE, {**corsa, "variant": "address_change"}, "vehicle")
    assert "Wiederzulassung" in found["plate"]


def test_a_new_vehicle_is_registered_new_and_a_registered_one_is_not(ikfz):
    assert errors(NEW_REGISTRATION_SERVICE, {**ERIKA, **ID3}, "vehicle") == {}
    assert "Umschreibung" in errors(NEW_REGISTRATION_SERVICE, {**ERIKA, "vin": GOLF["vin"]}, "vehicle")["vin"]
    assert "Wiederzulassung" in errors(NEW_REGISTRATION_SERVICE, {**ERIKA, **CORSA}, "vehicle")["vin"]


def test_only_a_vehicle_off_the_road_is_registered_again(ikfz):
    assert errors(REREGISTRATION_SERVICE, {**ERIKA, **CORSA}, "vehicle") == {}
    assert "vin" in errors(REREGISTRATION_SERVICE, {**ERIKA, "vin": GOLF["vin"]}, "vehicle")
    assert "Neuzulassung" in errors(REREGISTRATION_SERVICE, {**ERIKA, **ID3}, "vehicle")["vin"]
    assert "vin" in errors(REREGISTRATION_SERVICE, {**AMIRA, **CORSA}, "vehicle")  # not Amira's


def test_a_change_of_keeper_is_for_somebody_elses_vehicle(ikfz):
    assert errors(TRANSFER_SERVICE, {**ERIKA, **BMW, "variant": "keeper_change"}, "vehicle") == {}
    own = errors(TRANSFER_SERVICE, {**ERIKA, **GOLF, "variant": "keeper_change"}, "vehicle")
    assert "bereits" in own["plate"] or "schon" in own["plate"]


@pytest.mark.parametrize("variant", ["address_change", "move_in"])
def test_a_change_of_address_or_a_move_is_for_the_keepers_own_vehicle(variant, ikfz):
    own = {**AMIRA, **CLIO} if variant == "move_in" else {**ERIKA, **GOLF}
    assert errors(TRANSFER_SERVICE, {**own, "variant": variant}, "vehicle") == {}
    assert "plate" in errors(TRANSFER_SERVICE, {**ERIKA, **BMW, "variant": variant}, "vehicle")


def test_a_move_is_for_a_vehicle_from_elsewhere_and_an_address_change_for_one_from_here(ikfz):
    """Said at the vehicle, before any code is uncovered (the registry would refuse it only after)."""
    moved = errors(TRANSFER_SERVICE, {**ERIKA, **GOLF, "variant": "move_in"}, "vehicle")
    assert "bereits in der Stadt oder im Landkreis Kassel zugelassen" in moved["plate"]
    changed = errors(TRANSFER_SERVICE, {**AMIRA, **CLIO, "variant": "address_change"}, "vehicle")
    assert "in einem anderen Bezirk zugelassen" in changed["plate"]


def test_a_registry_that_does_not_answer_asks_to_try_again_later(ikfz):
    ikfz.stop()
    found = errors(DEREGISTRATION_SERVICE, {**ERIKA, **GOLF}, "vehicle")
    assert "später" in found["plate"]
    assert errors(DEREGISTRATION_SERVICE, {**ERIKA, **GOLF}, None) == {}  # never asked inside the submission


def test_the_registry_is_not_asked_before_the_vehicle_is_given(ikfz):
    ikfz.stop()
    assert errors(DEREGISTRATION_SERVICE, ERIKA, "vehicle") == {}


@pytest.mark.parametrize(
    ("status", "last_registered_on", "keeper", "expected"),
    [
        (VehicleStatus.REGISTERED, datetime.date(2015, 1, 1), True, None),
        (VehicleStatus.REGISTERED, datetime.date(2014, 12, 31), True, "2015"),
        (VehicleStatus.REGISTERED, datetime.date(2020, 1, 1), False, "Halter"),
        (VehicleStatus.UNKNOWN, None, False, "finden"),
        (VehicleStatus.OFF_ROAD, datetime.date(2020, 1, 1), True, "außer Betrieb"),
    ],
)
def test_what_the_registry_knows_decides_the_deregistration(status, last_registered_on, keeper, expected):
    info = VehicleInfo(status=status, keeper_matches=keeper, plate="KS-EM 812", last_registered_on=last_registered_on)
    problem = vehicle_problem(service=DEREGISTRATION_SERVICE, answers={"plate": "KS-EM 812"}, info=info)
    assert (problem is None) if expected is None else (expected in problem)


# --- the main inspection ----------------------------------------------------------------------------------


def test_the_hu_is_needed_only_when_the_register_has_none(ikfz):
    assert "inspection_due" in errors(REREGISTRATION_SERVICE, {**ERIKA, **CORSA}, "inspection")
    due = (datetime.date.today() + datetime.timedelta(days=200)).isoformat()
    assert errors(REREGISTRATION_SERVICE, {**ERIKA, **CORSA, "inspection_due": due}, "inspection") == {}
    assert errors(NEW_REGISTRATION_SERVICE, {**ERIKA, **ID3}, "inspection") == {}


# --- plates -----------------------------------------------------------------------------------------------


def test_a_free_wish_plate_is_taken_and_a_taken_one_refused(ikfz):
    assert errors(NEW_REGISTRATION_SERVICE, {**ERIKA, **ID3, "wish_plate": "KS-EM 2026"}, "wish") == {}
    assert "wish_plate" in errors(NEW_REGISTRATION_SERVICE, {**ERIKA, **ID3, "wish_plate": "KS-AB 123"}, "wish")


def test_a_plate_reserved_for_somebody_else_is_not_free_but_the_keepers_own_is(ikfz):
    assert "wish_plate" in errors(NEW_REGISTRATION_SERVICE, {**ERIKA, **ID3, "wish_plate": "KS-EM 2020"}, "wish")
    assert errors(REREGISTRATION_SERVICE, {**ERIKA, **CORSA, "wish_plate": "KS-EM 2020"}, "wish") == {}


def test_an_h_plate_cannot_be_chosen_online(ikfz):
    found = errors(NEW_REGISTRATION_SERVICE, {**ERIKA, **ID3, "wish_plate": "KS-EM 26H"}, "wish")
    assert "H" in found["wish_plate"]
    assert "wish_plate" in errors(NEW_REGISTRATION_SERVICE, {**ERIKA, "wish_plate": "KS-EM 26H"}, None)


def test_a_wish_plate_when_the_registry_does_not_answer(ikfz):
    ikfz.stop()
    assert (
        "später" in errors(NEW_REGISTRATION_SERVICE, {**ERIKA, **ID3, "wish_plate": "KS-EM 2026"}, "wish")["wish_plate"]
    )


def test_the_old_plate_must_be_the_one_reserved_for_the_keeper(ikfz):
    assert errors(REREGISTRATION_SERVICE, {**ERIKA, **CORSA, "plate": "KS-EM 2020"}, "old_plate") == {}
    assert "plate" in errors(REREGISTRATION_SERVICE, {**ERIKA, **CORSA, "plate": "KS-EM 2026"}, "old_plate")


# --- the SEPA mandate -------------------------------------------------------------------------------------


def test_the_vehicle_tax_is_collected_from_an_account_in_the_sepa_area(kassel):
    assert errors(NEW_REGISTRATION_SERVICE, {"iban": "DE89370400440532013000"}, "bank") == {}
    assert errors(NEW_REGISTRATION_SERVICE, {"iban": "AT611904300234573201"}, "bank") == {}
    assert "iban" in errors(NEW_REGISTRATION_SERVICE, {"iban": "BR1800360305000010009795493C1"}, "bank")


def test_an_account_holder_who_is_the_keeper_answers_yes(kassel):
    answers = {**ERIKA, "holder_is_keeper": False, "account_holder": "erika  Mustermann"}
    assert "account_holder" in errors(NEW_REGISTRATION_SERVICE, answers, "account_holder")
    other = {**answers, "account_holder": "Max Mustermann"}
    assert errors(NEW_REGISTRATION_SERVICE, other, "account_holder") == {}
