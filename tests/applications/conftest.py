import datetime

import pytest


def date_parts(key: str, day: datetime.date) -> dict[str, str]:
    return {f"{key}-day": str(day.day), f"{key}-month": str(day.month), f"{key}-year": str(day.year)}


def address(key: str, *, street="Wilhelmshöher Allee", number="19", postcode="34117", town="Kassel") -> dict:
    return {f"{key}-street": street, f"{key}-number": number, f"{key}-postcode": postcode, f"{key}-town": town}


ABMELDUNG_BASE = "/antrag/nebenwohnung-abmelden/"


@pytest.fixture
def abmeldung(forms, demo_register):
    """The shipped forms and the demo register, which the Abmeldung asks about its citizen (BMeldDigiV § 4).

    The Abmeldung needs the eID at level "hoch": a test logs its client in with ``log_in_for_abmeldung``
    (``fill_abmeldung`` does it itself).
    """
    return demo_register


def log_in_for_abmeldung(client) -> None:
    """Log the client in as Jonas Weber, the demo eID's person with a secondary residence in Kassel (P-0005)."""
    from tests.identity.helpers import log_in
    from tests.residents.conftest import register_identity

    log_in(client, register_identity("other-city"))


def fill_abmeldung(client, *, moved_out_on: datetime.date | None = None, email="jonas.weber@example.org"):
    """Walk the Abmeldung form to the check page as a citizen would, step by step (needs ``abmeldung``).

    The name, birth date and main address come from the ID; the secondary address is the one the register
    holds for Jonas.
    """
    moved_out_on = moved_out_on or datetime.date.today() - datetime.timedelta(days=3)
    log_in_for_abmeldung(client)
    assert client.post(ABMELDUNG_BASE).status_code == 302
    steps = [
        ("person", {}),
        ("secondary", {**address("secondary_address"), **date_parts("moved_out_on", moved_out_on)}),
        ("contact", {"email": email, "phone": ""}),
    ]
    for key, data in steps:
        response = client.post(f"{ABMELDUNG_BASE}schritt/{key}/", {**data, "action": "continue"})
        assert response.status_code == 302, (key, response.content.decode()[:3000])
    return client


STERBEFALL_BASE = "/antrag/sterbefall-voranzeige/"


def fill_sterbefall(
    client,
    *,
    relationship="undertaker",
    family_status="married",
    email="bestattung@example.org",
    died: datetime.date | None = None,
    free_purposes: tuple[str, ...] = (),
):
    """Walk the death pre-notice to its last step as a citizen would; the documents page comes next.

    An undertaker reports on behalf of a household member; free certificates are asked for when
    ``free_purposes`` names any (``pension``, ``health_insurance``)."""
    died = died or datetime.date.today() - datetime.timedelta(days=1)
    assert client.post(STERBEFALL_BASE).status_code == 302
    steps = [
        ("place", {"death_in_city": "yes"}),
        (
            "death",
            {
                **date_parts("death_date", died),
                "death_time": "04:15",
                "death_place": "hospital",
                **address("death_address", street="Mönchebergstraße", number="41", postcode="34125"),
            },
        ),
        (
            "deceased",
            {
                "deceased_name-given_names": "Karl",
                "deceased_name-family_name": "Mustermann",
                **date_parts("deceased_birth_date", datetime.date(1941, 5, 2)),
                **address("deceased_address", street="Wilhelmshöher Allee", number="100", postcode="34119"),
                "family_status": family_status,
            },
        ),
        (
            "reporter",
            {
                "relationship": relationship,
                "reporter_name-given_names": "Berta",
                "reporter_name-family_name": "Bestatter",
                "email": email,
                "phone": "0561 123456",
            },
        ),
    ]
    if relationship == "undertaker":
        steps.append(
            (
                "undertaker",
                {
                    "undertaker_company": "Bestattungen Kassel GmbH",
                    "principal_relationship": "household",
                    "principal_name": "Erna Mustermann",
                },
            )
        )
    if relationship == "institution":
        steps.append(("institution", {"institution_name": "Klinikum Kassel"}))
    steps.append(("certificates", {"free_certificates": "yes" if free_purposes else "no"}))
    if free_purposes:
        steps.append(("purposes", {"free_purposes": list(free_purposes), **address("delivery_address")}))
    for key, data in steps:
        response = client.post(f"{STERBEFALL_BASE}schritt/{key}/", {**data, "action": "continue"})
        assert response.status_code == 302, (key, response.content.decode()[:3000])
    return client
