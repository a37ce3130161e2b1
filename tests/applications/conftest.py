import datetime


def date_parts(key: str, day: datetime.date) -> dict[str, str]:
    return {f"{key}-day": str(day.day), f"{key}-month": str(day.month), f"{key}-year": str(day.year)}


def address(key: str, *, street="Wilhelmshöher Allee", number="19", postcode="34117", town="Kassel") -> dict:
    return {f"{key}-street": street, f"{key}-number": number, f"{key}-postcode": postcode, f"{key}-town": town}


ABMELDUNG_BASE = "/antrag/nebenwohnung-abmelden/"


def fill_abmeldung(client, *, moved_out_on: datetime.date | None = None, email="erika@example.org"):
    """Walk the Abmeldung form to the check page as a citizen would, step by step."""
    moved_out_on = moved_out_on or datetime.date.today() - datetime.timedelta(days=3)
    assert client.post(ABMELDUNG_BASE).status_code == 302
    steps = [
        (
            "person",
            {
                "name-given_names": "Erika",
                "name-family_name": "Mustermann",
                **date_parts("birth_date", datetime.date(1985, 3, 27)),
            },
        ),
        ("secondary", {**address("secondary_address"), **date_parts("moved_out_on", moved_out_on)}),
        ("main", address("main_address", street="Hauptstraße", number="1", postcode="10115", town="Berlin")),
        ("contact", {"email": email, "phone": ""}),
    ]
    for key, data in steps:
        response = client.post(f"{ABMELDUNG_BASE}schritt/{key}/", {**data, "action": "continue"})
        assert response.status_code == 302, (key, response.content.decode()[:3000])
    return client
