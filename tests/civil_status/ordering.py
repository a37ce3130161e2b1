"""Walking the certificate order forms as a citizen does, for the ordering tests (and the fulfilment tests)."""

import datetime

from tests.applications.conftest import address, date_parts

GEBURTSURKUNDE = "/antrag/geburtsurkunde/"
EHEURKUNDE = "/antrag/eheurkunde/"
LEBENSPARTNERSCHAFTSURKUNDE = "/antrag/lebenspartnerschaftsurkunde/"
STERBEURKUNDE = "/antrag/sterbeurkunde/"


def name(key: str, given: str, family: str, birth: str = "") -> dict[str, str]:
    data = {f"{key}-given_names": given, f"{key}-family_name": family}
    if birth:
        data[f"{key}-birth_name"] = birth
    return data


def applicant(*, birth_date=datetime.date(1985, 3, 27), email="erika@example.org") -> dict[str, str]:
    return {
        **name("applicant_name", "Erika", "Mustermann"),
        **date_parts("applicant_birth_date", birth_date),
        "email": email,
        "phone": "",
    }


def delivery(*, abroad: bool = False) -> list[tuple[str, dict]]:
    """The delivery steps: in Germany (free) or abroad (a surcharge)."""
    if abroad:
        return [
            ("delivery", {"delivery_abroad": "yes"}),
            (
                "address_abroad",
                {"delivery_address_abroad": "12 Rue de Rivoli\n75001 Paris", "delivery_country": "Frankreich"},
            ),
        ]
    return [("delivery", {"delivery_abroad": "no"}), ("address", address("delivery_address"))]


def post_step(client, base: str, step: str, data: dict, files: dict | None = None):
    payload = {**data, "action": "continue", **(files or {})}
    return client.post(f"{base}schritt/{step}/", payload)


def walk(client, base: str, steps: list[tuple[str, dict]]) -> None:
    """Start the form and answer the steps; every step must be accepted."""
    assert client.post(base).status_code == 302
    for key, data in steps:
        response = post_step(client, base, key, data)
        assert response.status_code == 302, (key, response.content.decode()[:3000])


def birth_certificate_steps(
    *, copies: int = 2, purpose: str = "", abroad: bool = False, kind: str = "certificate"
) -> list[tuple[str, dict]]:
    """A Geburtsurkunde for oneself, born in Kassel in 1985."""
    return [
        ("relationship", {"relationship": "self"}),
        ("adoption", {"adopted": "no"}),
        ("applicant", applicant()),
        (
            "entry",
            {
                **name("entry_name", "Erika", "Mustermann", "Muster"),
                **date_parts("event_date", datetime.date(1985, 3, 27)),
                "event_place": "Kassel",
            },
        ),
        ("order", {"certificate_kind": kind, "copies": str(copies), "purpose": purpose}),
        *delivery(abroad=abroad),
    ]


def newborn_steps(*, free: list[str], extra_copies: int) -> list[tuple[str, dict]]:
    born = datetime.date.today() - datetime.timedelta(days=5)
    return [
        ("relationship", {"relationship": "ancestor"}),
        ("newborn", {"newborn": "yes"}),
        ("applicant", applicant()),
        (
            "entry",
            {
                **name("entry_name", "Mia", "Mustermann"),
                **date_parts("event_date", born),
                "event_place": "Kassel",
                "hospital": "Klinikum Kassel",
            },
        ),
        (
            "parents",
            {
                **name("parent1_name", "Erika", "Mustermann"),
                **name("parent2_name", "Max", "Mustermann"),
                "parents_married": "yes",
            },
        ),
        ("name_declaration", {"name_declaration": "no"}),
        ("free_copies", {"free_purposes": free}),
        ("order", {"certificate_kind": "certificate", "extra_copies": str(extra_copies)}),
        *delivery(),
    ]
