"""Cases of the four i-Kfz services with the demo eID persons' answers (the forms' keys, docs/vehicles.md) and
the demo vehicle registry's vehicles (``ikfz/contrib/demo/seed.py``), opened as a paid submission opens them."""

from __future__ import annotations

from typing import Any

from amtsweg.cases.services import case_open
from amtsweg.catalogue.models import Service
from amtsweg.vehicles.codes import zb2_check_character
from amtsweg.vehicles.constants import (
    DEREGISTRATION_SERVICE,
    NEW_REGISTRATION_SERVICE,
    REREGISTRATION_SERVICE,
    TRANSFER_SERVICE,
)
from tests.applications.factories import SubmissionFactory
from tests.cases.factories import form_version_for

ERIKA = {
    "name": {"given_names": "Erika", "family_name": "Mustermann"},
    "birth_date": "1984-08-12",
    "address": {"street": "Friedrich-Ebert-Straße", "number": "12", "postcode": "34117", "town": "Kassel"},
    "email": "erika@example.org",
}
LENA = {
    "name": {"given_names": "Lena", "family_name": "Schäfer"},
    "birth_date": "1990-06-02",
    "address": {"street": "Marktstraße", "number": "3", "postcode": "34369", "town": "Hofgeismar"},
    "email": "lena@example.org",
}

# V-0001, Erika's Golf: taken off the road at once.
GOLF_OFF_ROAD = {"plate": "KS-EM 812", "zb1_code": "K4mT7pX", "seal_front": "a7K", "seal_rear": "Rt3"}
# V-0004, Erika's Octavia: flagged, the registry refers it to staff.
OCTAVIA_OFF_ROAD = {"plate": "KS-EM 77", "zb1_code": "Wz5Hk9D", "seal_front": "Bq4", "seal_rear": "n8T"}
# V-0005, a new ID.3: registered by its VIN.
NEW_ID3 = {
    "vin": "WVWZZZE1ZRP050005",
    "zb2_number": "NZ2026005",
    "zb2_code": "Fn6Tq2Xc8Hv" + zb2_check_character("Fn6Tq2Xc8Hv"),
    "evb": "K7M3N2P",
    "plate_choice": "random",
    "area_code": "KS",
    "iban": "DE89370400440532013000",
    "holder_is_keeper": True,
    "sepa_consent": True,
}


def vehicle_case(slug: str = DEREGISTRATION_SERVICE, *, person: dict | None = None, language: str = "de", **items: Any):
    """A submission of ``slug`` with ``person``'s locked answers (Erika's by default) and ``items``, and its case,
    opened as a paid submission's is (``case_open``: the on_open hooks run)."""
    service = Service.objects.get(slug=slug)
    answers = {**(person or ERIKA), **items}
    submission = SubmissionFactory(
        form_version=form_version_for(service),
        answers=answers,
        language=language,
        email=answers["email"],
        applicant_name=f"{answers['name']['given_names']} {answers['name']['family_name']}",
        trust_level="high",
    )
    return case_open(submission=submission)


__all__ = [
    "DEREGISTRATION_SERVICE",
    "ERIKA",
    "GOLF_OFF_ROAD",
    "LENA",
    "NEW_ID3",
    "NEW_REGISTRATION_SERVICE",
    "OCTAVIA_OFF_ROAD",
    "REREGISTRATION_SERVICE",
    "TRANSFER_SERVICE",
    "vehicle_case",
]
