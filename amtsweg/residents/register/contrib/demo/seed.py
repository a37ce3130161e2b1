"""The demo register's persons: the demo identity provider's test persons, as the register knows them,
and the others every register service needs to be walked through (docs/residents.md lists them)."""

from __future__ import annotations

import datetime
import re
from typing import Any

from django.utils import timezone

from amtsweg.identity.demo_idp.idp import persons as idp_persons

from ...fields import (
    BIRTH_DATE,
    BIRTH_PLACE,
    BLOCKS,
    CALLED_NAME,
    DOCTORATE,
    FAMILY_NAME,
    GIVEN_NAMES,
    INFORMATION_BLOCK,
    LEGAL_REPRESENTATIVES,
    MAIN_ADDRESS,
    MOVED_IN_ON,
    NATIONALITIES,
    SECONDARY_ADDRESSES,
    SEX,
    SPOUSE,
)


def _address(street_and_number: str, postcode: str, town: str) -> dict[str, str]:
    street, number = re.match(r"^(.*?)\s+(\d+\s*\w?)$", street_and_number).groups()  # type: ignore[union-attr]
    return {"street": street, "house_number": number, "postcode": postcode, "town": town}


def _years_ago(years: int, *, days: int = 0) -> str:
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return (born - datetime.timedelta(days=days)).isoformat()


def _person(**items: Any) -> dict[str, Any]:
    return {key: value for key, value in items.items() if value not in (None, "", [])}


def register_persons() -> dict[str, dict[str, Any]]:
    idp = {person.key: person for person in idp_persons()}
    erika, leon, amira = idp["kassel-adult"], idp["kassel-minor"], idp["kassel-foreign"]
    max_ = idp["kassel-spouse"]
    home = _address(erika.postal_address, erika.postcode, erika.town)
    persons = {
        "P-0001": _person(
            **{
                FAMILY_NAME: erika.family_name,
                GIVEN_NAMES: erika.given_names,
                CALLED_NAME: erika.given_names,
                BIRTH_DATE: erika.birth_date,
                BIRTH_PLACE: erika.place_of_birth,
                SEX: "w",
                NATIONALITIES: ["deutsch"],
                MAIN_ADDRESS: home,
                MOVED_IN_ON: "2015-04-01",
                SPOUSE: {"person": "P-0009", "name": "Max Mustermann"},
            },
            former_addresses=[_address("Kölnische Straße 3", "34117", "Kassel")],
        ),
        "P-0002": _person(
            **{
                FAMILY_NAME: leon.family_name,
                GIVEN_NAMES: leon.given_names,
                CALLED_NAME: leon.given_names,
                BIRTH_DATE: leon.birth_date,
                BIRTH_PLACE: leon.place_of_birth,
                SEX: "m",
                NATIONALITIES: ["deutsch"],
                MAIN_ADDRESS: home,
                MOVED_IN_ON: "2015-04-01",
                LEGAL_REPRESENTATIVES: [{"person": "P-0001", "name": "Erika Mustermann"}],
            }
        ),
        # A second child of the household, 15: the Untersuchungsberechtigungsschein's young person.
        "P-0003": _person(
            **{
                FAMILY_NAME: "Mustermann",
                GIVEN_NAMES: "Mia Sophie",
                CALLED_NAME: "Mia",
                BIRTH_DATE: _years_ago(15, days=40),
                BIRTH_PLACE: "Kassel",
                SEX: "w",
                NATIONALITIES: ["deutsch"],
                MAIN_ADDRESS: home,
                MOVED_IN_ON: "2015-04-01",
                LEGAL_REPRESENTATIVES: [{"person": "P-0001", "name": "Erika Mustermann"}],
            }
        ),
        "P-0004": _person(
            **{
                FAMILY_NAME: amira.family_name,
                GIVEN_NAMES: amira.given_names,
                CALLED_NAME: amira.given_names,
                BIRTH_DATE: amira.birth_date,
                BIRTH_PLACE: amira.place_of_birth,
                SEX: "w",
                NATIONALITIES: ["syrisch"],
                MAIN_ADDRESS: _address(amira.postal_address, amira.postcode, amira.town),
                MOVED_IN_ON: "2019-09-15",
            }
        ),
        # Lives in Göttingen (the demo identity provider's "other-city"), with a secondary residence here.
        "P-0005": _person(
            **{
                FAMILY_NAME: "Weber",
                GIVEN_NAMES: "Jonas",
                CALLED_NAME: "Jonas",
                BIRTH_DATE: "1978-11-23",
                BIRTH_PLACE: "Hannover",
                SEX: "m",
                NATIONALITIES: ["deutsch"],
                MAIN_ADDRESS: _address("Weender Straße 5", "37073", "Göttingen"),
                SECONDARY_ADDRESSES: [_address("Wilhelmshöher Allee 19", "34117", "Kassel")],
                MOVED_IN_ON: "2022-10-01",
            }
        ),
        # A person with an Auskunftssperre (§ 51 BMG): any request for information about her is answered
        # like one that found nobody, and a case is opened to hear her.
        "P-0006": _person(
            **{
                FAMILY_NAME: "Schutz",
                GIVEN_NAMES: "Sabine",
                CALLED_NAME: "Sabine",
                DOCTORATE: "Dr.",
                BIRTH_DATE: "1970-01-30",
                BIRTH_PLACE: "Fulda",
                SEX: "w",
                NATIONALITIES: ["deutsch"],
                MAIN_ADDRESS: _address("Goethestraße 8", "34119", "Kassel"),
                MOVED_IN_ON: "2018-06-01",
                BLOCKS: [{"kind": INFORMATION_BLOCK, "until": _years_from_now(1)}],
            }
        ),
        # Two persons of the same name in one house: a request with name and address alone is not unique.
        "P-0007": _person(
            **{
                FAMILY_NAME: "Schneider",
                GIVEN_NAMES: "Thomas",
                BIRTH_DATE: "1956-02-14",
                SEX: "m",
                NATIONALITIES: ["deutsch"],
                MAIN_ADDRESS: _address("Frankfurter Straße 77", "34121", "Kassel"),
            }
        ),
        "P-0008": _person(
            **{
                FAMILY_NAME: "Schneider",
                GIVEN_NAMES: "Thomas",
                BIRTH_DATE: "1988-07-09",
                SEX: "m",
                NATIONALITIES: ["deutsch"],
                MAIN_ADDRESS: _address("Frankfurter Straße 77", "34121", "Kassel"),
            }
        ),
        # Erika's husband (the demo eID's ``kassel-spouse``): an objection to passing on their wedding
        # anniversaries needs both of them (§ 50(2) BMG).
        "P-0009": _person(
            **{
                FAMILY_NAME: max_.family_name,
                GIVEN_NAMES: max_.given_names,
                CALLED_NAME: max_.given_names,
                BIRTH_DATE: max_.birth_date,
                BIRTH_PLACE: max_.place_of_birth,
                SEX: "m",
                NATIONALITIES: ["deutsch"],
                MAIN_ADDRESS: home,
                MOVED_IN_ON: "2015-04-01",
                SPOUSE: {"person": "P-0001", "name": "Erika Mustermann"},
            }
        ),
    }
    return persons


def _years_from_now(years: int) -> str:
    today = timezone.localdate()
    return today.replace(year=today.year + years, day=min(today.day, 28)).isoformat()
