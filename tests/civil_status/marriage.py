"""Walking the notice of marriage (eheschliessung-anmelden) with the test client, as a couple would."""

from __future__ import annotations

import datetime
from typing import Any

from amtsweg.applications.models import Submission
from amtsweg.civil_status.marriage import months_moved
from tests.applications.conftest import date_parts

BASE = "/antrag/eheschliessung-anmelden/"


def wedding_in(months: int = 3) -> datetime.date:
    return months_moved(datetime.date.today(), months)


def person(prefix: str, **overrides: Any) -> dict[str, Any]:
    """A partner's answers as posted: German, born in Kassel, living in Kassel, never married."""
    values: dict[str, Any] = {
        "birth_date": datetime.date(1990, 4, 12),
        "german": "yes",
        "naturalised": "no",
        "other_nationality": "no",
        "nationalities": "",
        "efz_available": "",
        "born": "kassel",
        "birth_registry": "",
        "birth_country": "",
        "kassel_resident": "yes",
        "family_status": "single",
        "dissolution_place": "",
    }
    values.update(overrides)
    data = {f"{prefix}_{key}": value for key, value in values.items() if key != "birth_date"}
    data.update(date_parts(f"{prefix}_birth_date", values["birth_date"]))
    return data


def status_fields(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    keys = (f"{prefix}_family_status", f"{prefix}_dissolution_place")
    return {key: value for key, value in data.items() if key in keys}


def person_fields(data: dict[str, Any], prefix: str) -> dict[str, Any]:
    keys = (f"{prefix}_family_status", f"{prefix}_dissolution_place")
    return {key: value for key, value in data.items() if key not in keys}


def post_step(client, key: str, data: dict[str, Any], *, expect: int = 302):  # type: ignore[no-untyped-def]
    response = client.post(f"{BASE}schritt/{key}/", {**data, "action": "continue"})
    assert response.status_code == expect, (key, response.content.decode()[:3000])
    return response


def fill_marriage(
    client,  # type: ignore[no-untyped-def]
    *,
    a: dict[str, Any] | None = None,
    b: dict[str, Any] | None = None,
    wedding_date: datetime.date | None = None,
    partner_own: bool = False,
    children: int = 0,
    custody: bool = False,
    net_income: str = "",
) -> None:
    """Walk the form to its end (the documents page or the check page comes next)."""
    a_data = person("a", **(a or {}))
    b_data = person("b", **(b or {}))
    assert client.post(BASE).status_code == 302
    post_step(
        client,
        "wedding",
        {
            **date_parts("wedding_date", wedding_date or wedding_in(3)),
            "wedding_venue": "trausaal_rathaus",
            "interpreter": "no",
        },
    )
    post_step(
        client,
        "a_person",
        {"a_name-given_names": "Anna", "a_name-family_name": "Schmidt", **person_fields(a_data, "a")},
    )
    post_step(client, "a_status", status_fields(a_data, "a"))
    post_step(client, "contact", {"email": "anna@example.org", "phone": ""})
    post_step(
        client,
        "partner",
        {
            "b_name-given_names": "Ben",
            "b_name-family_name": "Yilmaz",
            "partner_own": "yes" if partner_own else "no",
            "partner_email": "ben@example.org" if partner_own else "",
        },
    )
    if not partner_own:
        post_step(client, "b_person", person_fields(b_data, "b"))
        post_step(client, "b_status", status_fields(b_data, "b"))
    post_step(
        client,
        "children",
        {
            "common_children": "yes" if children else "no",
            "children_count": str(children) if children else "",
            "custody_declaration": "yes" if custody else "no",
        },
    )
    if "no" in (a_data.get("a_efz_available"), b_data.get("b_efz_available") if not partner_own else None):
        post_step(client, "exemption", {"net_income": net_income})


def send_marriage(client) -> Submission:  # type: ignore[no-untyped-def]
    """Pass the documents page (no uploads) if it comes, and send."""
    response = client.get(f"{BASE}pruefen/")
    if response.status_code == 302 and response["Location"].endswith("unterlagen/"):
        assert client.post(f"{BASE}unterlagen/", {}).status_code == 302
    response = client.post(f"{BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Submission.objects.latest("submitted_at")
