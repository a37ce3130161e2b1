"""Walking the immigration office's contact form as a citizen would, over HTTP."""

import datetime

from amtsweg.applications.models import Submission
from tests.applications.conftest import address, date_parts

BASE = "/antrag/zuwanderung-kontakt/"

TOPIC_STEPS = {
    "extend_permit": [("purpose", {"permit_purpose": "work"})],
    "fiktion": [("purpose", {"permit_purpose": "study"})],
    "settlement": [("purpose", {"permit_purpose": "other"})],
    "family_reunification": [("family", {"family_member": "spouse"})],
    "card_change": [("card", {"card_change_kind": ["address", "passport"]})],
    "obligation": [
        (
            "guest",
            {
                "guest_name-given_names": "Olena",
                "guest_name-family_name": "Koval",
                **date_parts("guest_birth_date", datetime.date(1970, 4, 2)),
                "guest_nationality": "ukrainisch",
                "guest_passport_number": "FA123456",
                "guest_address": "vul. Shevchenka 1, Lviv",
                **date_parts("visit_from", datetime.date.today() + datetime.timedelta(days=60)),
            },
        )
    ],
}


def post_step(client, step: str, data: dict, *, base: str = BASE):
    return client.post(f"{base}schritt/{step}/", {**data, "action": "continue"})


def applicant(given="Amina", family="Haddad", postcode="34117") -> dict:
    return {
        "applicant_name-given_names": given,
        "applicant_name-family_name": family,
        **date_parts("birth_date", datetime.date(1990, 6, 15)),
        "nationality": "syrisch",
        **address("address", postcode=postcode),
    }


def _soon() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=30)


def steps_for(
    *,
    topic: str = "extend_permit",
    expiry: datetime.date | None = None,
    contact: dict | None = None,
    interpreter: dict | None = None,
    logged_in: bool = False,
) -> list[tuple[str, dict]]:
    """Good answers for every step of the form for ``topic``, in order."""
    steps = [("topic", {"topic": topic}), ("applicant", {"nationality": "syrisch"} if logged_in else applicant())]
    steps += TOPIC_STEPS.get(topic, [])
    steps += [
        *(
            [("permit", date_parts("permit_expiry", expiry or _soon()))]
            if topic not in ("question", "obligation")
            else []
        ),
        ("request", {"request_text": "Ich brauche eine Verlängerung meiner Aufenthaltserlaubnis."}),
    ]
    contact = contact or {"contact_preference": "email", "email": "amina.haddad@example.org"}
    steps.append(("contact", {"contact_preference": contact["contact_preference"]}))
    if contact["contact_preference"] == "phone":
        steps.append(("call", {key: contact[key] for key in ("phone", "call_times") if key in contact}))
    steps.append(("email_address", {"email": contact.get("email", "")}))
    interpreter = interpreter or {"interpreter": "yes", "interpreter_language": "Arabisch"}
    steps.append(("interpreter_step", {"interpreter": interpreter["interpreter"]}))
    if interpreter["interpreter"] == "yes":
        steps.append(("language", {"interpreter_language": interpreter["interpreter_language"]}))
    return steps


def answer_until(client, step: str, *, topic: str = "extend_permit", expiry: datetime.date | None = None) -> None:
    """Start the form and answer every step before ``step`` well."""
    assert client.post(BASE).status_code == 302
    expiry = expiry or datetime.date.today() + datetime.timedelta(days=30)
    for key, data in steps_for(topic=topic, expiry=expiry):
        if key == step:
            return
        response = post_step(client, key, data)
        assert response.status_code == 302, (key, response.content.decode()[:3000])


def fill(client, *, base: str = BASE, **options) -> None:
    """Answer every step of the form (``steps_for``'s options; ``base``: the form's address, "/en/..." in
    English); the documents page comes next."""
    assert client.post(base).status_code == 302
    for key, data in steps_for(**options):
        response = post_step(client, key, data, base=base)
        assert response.status_code == 302, (key, response.content.decode()[:3000])


def send(client, django_capture_on_commit_callbacks) -> Submission:
    """Go past the documents page without uploads and send the form from the check page."""
    client.post(f"{BASE}unterlagen/", {})
    assert client.get(f"{BASE}pruefen/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}pruefen/", {"declaration": "yes"})
    assert response.status_code == 302, response.content.decode()[:3000]
    return Submission.objects.latest("pk")
