"""Answers taken from the logged-in citizen's ID: they fill the form and are shown locked.

A field says what it takes with ``from_identity`` in the form definition
(``name``, ``birth_date``, ``place_of_birth``, ``nationality``, ``address``,
``document_type``, ``email``). Only what the provider actually vouched for is
locked; a field the ID says nothing about stays editable.
"""

from __future__ import annotations

from typing import Any

from amtsweg.applications.formengine.definition import FormDefinition

from .base import Identity


def _value(source: str, identity: Identity) -> Any:
    if source == "name":
        if not (identity.given_names or identity.family_name):
            return None
        return {
            "given_names": identity.given_names,
            "family_name": identity.family_name,
            "birth_name": identity.birth_name,
        }
    if source == "birth_date":
        return identity.birth.isoformat() if identity.birth else None
    if source == "address":
        if not (identity.street and identity.postcode and identity.town):
            return None
        return {
            "street": identity.street,
            "number": identity.house_number,
            "postcode": identity.postcode,
            "town": identity.town,
        }
    return getattr(identity, source, "") or None


def identity_answers(*, definition: FormDefinition, identity: Identity | None) -> dict[str, Any]:
    """Field key → answer from the ID, for every field of the form that takes one and gets a value."""
    if identity is None:
        return {}
    answers = {}
    for step in definition.steps:
        for spec in step.fields:
            if spec.from_identity:
                value = _value(spec.from_identity, identity)
                if value is not None:
                    answers[spec.key] = value
    return answers
