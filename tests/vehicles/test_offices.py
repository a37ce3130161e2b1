"""The registration office by the keeper's address, and the data file behind it."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from amtsweg.vehicles.constants import Office
from amtsweg.vehicles.offices import (
    DATA_FILE,
    default_area_code,
    load_offices,
    office_for_address,
    office_location_slug,
    offices,
)

CATALOGUE_SEED = Path(settings.BASE_DIR) / "amtsweg" / "catalogue" / "seed" / "kassel.yaml"
LANDKREIS_TOWNS = (
    "Ahnatal, Bad Emstal, Bad Karlshafen, Baunatal, Breuna, Calden, Espenau, Fuldabrück, Fuldatal, Grebenstein, "
    "Habichtswald, Helsa, Hofgeismar, Immenhausen, Kaufungen, Liebenau, Lohfelden, Naumburg, Nieste, Niestetal, "
    "Oberweser, Reinhardshagen, Schauenburg, Söhrewald, Trendelburg, Vellmar, Wahlsburg, Wolfhagen, Zierenberg"
).split(", ")


def address(postcode, town="", street="Marktstraße", number="3"):
    return {"street": street, "number": number, "postcode": postcode, "town": town}


def raw_data() -> dict:
    return yaml.safe_load(DATA_FILE.read_text(encoding="utf-8"))


# --- the office by address --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("postcode", "town", "office"),
    [
        ("34117", "Kassel", Office.KASSEL),  # the demo eID's Erika Mustermann
        ("34127", "Kassel", Office.KASSEL),  # Amira Haddad
        ("34246", "Vellmar", Office.KASSEL),
        ("34225", "Baunatal", Office.BAUNATAL),
        ("34270", "Schauenburg", Office.BAUNATAL),
        ("34369", "Hofgeismar", Office.HOFGEISMAR),  # the demo eID's Lena Schäfer
        ("34385", "Bad Karlshafen", Office.HOFGEISMAR),
        ("34466", "Wolfhagen", Office.WOLFHAGEN),
        ("34289", "Zierenberg", Office.WOLFHAGEN),
    ],
)
def test_each_office_serves_its_towns(postcode, town, office):
    assert office_for_address(address=address(postcode, town)) == office


def test_an_unshared_postcode_decides_whatever_the_town_is_called():
    assert office_for_address(address=address("34225", "Baunatal-Altenbauna")) == Office.BAUNATAL
    assert office_for_address(address=address("34369", "")) == Office.HOFGEISMAR
    assert office_for_address(address={"postcode": " 34 466 "}) == Office.WOLFHAGEN


@pytest.mark.parametrize(
    "where",
    [
        address("37073", "Göttingen"),
        address("10117", "Berlin"),
        address("34346", "Hann. Münden"),  # a neighbour outside the district
        address("37194", "Bodenfelde"),  # shares Wahlsburg's postcode, in Landkreis Northeim
        address("37194", ""),
    ],
)
def test_addresses_outside_stadt_und_landkreis_kassel_have_no_office(where):
    assert office_for_address(address=where) is None


@pytest.mark.parametrize("town", ["Wahlsburg", "Wesertal", "Wesertal-Lippoldsberg", "lippoldsberg", "VERNAWAHLSHAUSEN"])
def test_a_shared_postcode_is_decided_by_the_town(town):
    assert office_for_address(address=address("37194", town)) == Office.HOFGEISMAR


@pytest.mark.parametrize(
    "where",
    [None, "34117 Kassel", ["34117"], {}, {"postcode": None}, {"postcode": "3411"}, {"postcode": "34117a"}],
)
def test_an_address_without_a_usable_postcode_has_no_office(where):
    assert office_for_address(address=where) is None


# --- slugs and area codes ----------------------------------------------------------------------


def test_each_office_is_a_catalogue_location():
    seed = yaml.safe_load(CATALOGUE_SEED.read_text(encoding="utf-8"))
    locations = {location["slug"] for location in seed["locations"]}
    for office in Office.values:
        assert office_location_slug(office=office) == f"kfz-{office}"
        assert office_location_slug(office=office) in locations


@pytest.mark.parametrize(
    ("office", "area_code"),
    [(Office.KASSEL, "KS"), (Office.BAUNATAL, "KS"), (Office.HOFGEISMAR, "HOG"), (Office.WOLFHAGEN, "WOH")],
)
def test_each_office_proposes_its_area_code(office, area_code):
    assert default_area_code(office=office) == area_code


@pytest.mark.parametrize("function", [default_area_code, office_location_slug])
def test_an_unknown_office_is_an_error(function):
    with pytest.raises(ValueError, match="unknown registration office"):
        function(office="melsungen")


def test_the_data_file_is_read_once_per_process():
    assert offices() is offices()


# --- the data file ------------------------------------------------------------------------------


def test_the_data_file_says_that_the_department_must_check_it():
    data = offices()
    assert data.needs_review is True
    assert "Zu prüfen" in data.review_note["de"]
    assert data.review_note["en"]


def test_the_data_files_postcodes_are_unique_per_office():
    for office, entry in raw_data()["offices"].items():
        postcodes = [postcode for place in entry["places"] for postcode in place["postcodes"]]
        assert len(postcodes) == len(set(postcodes)), office


def test_a_postcode_of_two_places_is_a_shared_one():
    data = offices()
    assert {postcode for postcode, places in data.places.items() if len(places) > 1} <= data.shared_postcodes


def test_every_city_postcode_goes_to_kassel():
    for postcode in settings.CITY_POSTCODES:
        assert office_for_address(address=address(postcode, "Kassel")) == Office.KASSEL


def test_every_town_of_the_landkreis_has_an_office():
    towns = {place["town"] for entry in raw_data()["offices"].values() for place in entry["places"]}
    assert towns == {*LANDKREIS_TOWNS, "Kassel"}


def test_the_district_is_the_same_area_as_the_immigration_offices():
    """Both cover Stadt und Landkreis Kassel; a postcode added to one belongs in the other."""
    assert set(offices().places) == settings.IMMIGRATION_POSTCODES


# --- a broken data file fails loudly -------------------------------------------------------------


def write(tmp_path, data) -> Path:
    path = tmp_path / "offices.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def minimal(**changes) -> dict:
    data = {
        "needs_review": False,
        "offices": {
            office: {"area_code": code, "places": [{"town": f"Town {office}", "postcodes": [postcode]}]}
            for office, code, postcode in [
                ("kassel", "KS", "34117"),
                ("baunatal", "KS", "34225"),
                ("hofgeismar", "HOG", "34369"),
                ("wolfhagen", "WOH", "34466"),
            ]
        },
    }
    data.update(changes)
    return data


def test_a_minimal_data_file_loads(tmp_path):
    loaded = load_offices(path=write(tmp_path, minimal()))
    assert loaded.places["34117"][0].office == "kassel"
    assert loaded.area_codes["wolfhagen"] == "WOH"


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (lambda data: data["offices"]["kassel"]["places"][0]["postcodes"].append("34117"), "listed twice"),
        (
            lambda data: data["offices"]["baunatal"]["places"][0]["postcodes"].append("34117"),
            "list it in 'shared_postcodes'",
        ),
        (lambda data: data["offices"]["kassel"]["places"][0].update(postcodes=[34117]), "five digits in quotes"),
        (lambda data: data["offices"]["kassel"].update(area_code="M"), "'area_code' must be one of KS, HOG, WOH"),
        (lambda data: data["offices"].pop("wolfhagen"), "exactly the offices"),
        (lambda data: data.update(shared_postcodes={"99999": "nowhere"}), "no place's postcode"),
        (lambda data: data.update(needs_review=True), "needs a 'review_note'"),
        (lambda data: data["offices"]["kassel"]["places"][0].update(names="Kassel"), "list of town names"),
    ],
)
def test_a_broken_data_file_names_its_problem(tmp_path, change, problem):
    data = minimal()
    change(data)
    with pytest.raises(ValueError, match=re.escape(problem)):
        load_offices(path=write(tmp_path, data))
