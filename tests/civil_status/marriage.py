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


def walk(client, data: dict[str, Any]) -> None:  # type: ignore[no-untyped-def]
    """Answer each step the form asks next with ``data`` (each step reads its own fields), to its end."""
    for _ in range(30):
        response = client.get(f"{BASE}pruefen/")
        location = response.get("Location", "") if response.status_code == 302 else ""
        if "/schritt/" not in location:
            return
        post_step(client, location.rstrip("/").rsplit("/", 1)[1], data)
    raise AssertionError("the form did not end")


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
    assert client.post(BASE).status_code == 302
    walk(
        client,
        {
            **date_parts("wedding_date", wedding_date or wedding_in(3)),
            "wedding_venue": "trausaal_rathaus",
            "interpreter": "no",
            "a_name-given_names": "Anna",
            "a_name-family_name": "Schmidt",
            **person("a", **(a or {})),
            "email": "anna@example.org",
            "phone": "",
            "b_name-given_names": "Ben",
            "b_name-family_name": "Yilmaz",
            "partner_own": "yes" if partner_own else "no",
            "partner_email": "ben@example.org" if partner_own else "",
            **person("b", **(b or {})),
            "common_children": "yes" if children else "no",
            "children_count": str(children) if children else "",
            "custody_declaration": "yes" if custody else "no",
            "net_income": net_income,
        },
    )


def send_marriage(client) -> Submission:  # type: ignore[no-untyped-def]
    """Pass the documents page (no uploads) if it comes, and send."""
    response = client.get(f"{BASE}pruefen/")
    if response.status_code == 302 and response["Location"].endswith("unterlagen/"):
        assert client.post(f"{BASE}unterlagen/", {}).status_code == 302
    response = client.post(f"{BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Submission.objects.latest("submitted_at")
