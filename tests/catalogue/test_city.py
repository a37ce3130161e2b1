"""The city's postcodes, asked by more than one service family."""

import pytest

from amtsweg.applications.formengine.hooks import run_service_rules
from amtsweg.catalogue.selectors import address_in_city

KASSEL = {"street": "Obere Königsstraße", "number": "8", "postcode": "34117", "town": "Kassel"}
GOETTINGEN = {"street": "Markt", "number": "1", "postcode": "37073", "town": "Göttingen"}


@pytest.mark.parametrize(("address", "inside"), [(KASSEL, True), (GOETTINGEN, False), ("34117", False), (None, False)])
def test_an_address_is_in_the_city_when_its_postcode_is_one_of_the_citys(address, inside):
    assert address_in_city(address=address) is inside


def test_a_deregistration_needs_one_of_the_two_addresses_in_the_city():
    """The rule of its own (whether the register holds the secondary residence is asked after it, see
    tests/residents/test_nebenwohnung.py); the main address comes from the ID, so the error is on the other."""
    from amtsweg.residents.rules import nebenwohnung_abmelden

    assert nebenwohnung_abmelden({"secondary_address": KASSEL, "main_address": GOETTINGEN}, "secondary") == []
    errors = nebenwohnung_abmelden({"secondary_address": GOETTINGEN, "main_address": GOETTINGEN}, "secondary")
    assert [(error.key, error.part) for error in errors] == [("secondary_address", "postcode")]


def test_a_death_outside_the_city_is_sent_to_the_registry_office_of_the_place():
    assert run_service_rules("sterbefall-voranzeige", {"death_address": KASSEL}, "death") == []
    errors = run_service_rules("sterbefall-voranzeige", {"death_address": GOETTINGEN}, "death")
    assert [(error.key, error.part) for error in errors] == [("death_address", "postcode")]
