"""Small builders shared by the form-engine tests."""

import datetime
from typing import Any

from amtsweg.applications.formengine import fields  # noqa: F401  (registers the built-in types)
from amtsweg.applications.formengine.base import Cleaned, FieldSpec
from amtsweg.applications.formengine.registry import field_types

LABEL = {"de": "Frage", "en": "Question"}
CHOICES = [
    {"value": "self", "label": {"de": "Ich selbst", "en": "Myself"}},
    {"value": "sibling", "label": {"de": "Geschwister", "en": "A brother or sister"}},
    {"value": "other", "label": {"de": "Andere Person", "en": "Someone else"}},
]


def spec(type_: str, key: str = "q", *, required: bool = True, **options: Any) -> FieldSpec:
    if type_ in ("choice", "multichoice") and "choices" not in options:
        options["choices"] = CHOICES
    return FieldSpec(key=key, type=type_, label=LABEL, required=required, options=options)


def clean(field: FieldSpec, data: Any, files: Any = None) -> Cleaned:
    return field_types.get(field.type).clean(field, data, files)


def date_data(key: str, day: datetime.date) -> dict[str, str]:
    return {f"{key}-day": str(day.day), f"{key}-month": str(day.month), f"{key}-year": str(day.year)}


def messages(cleaned: Cleaned) -> list[str]:
    return [error.message for error in cleaned.errors]


# The engine's own field types, as registered by formengine.fields.
BUILT_IN_TYPES = (
    "text",
    "textarea",
    "number",
    "date",
    "choice",
    "multichoice",
    "yesno",
    "email",
    "phone",
    "postcode",
    "address",
    "person_name",
    "iban",
    "file",
    "consent",
)
