"""The Bürgerbüro's field type: a person of the register, chosen on the Meldebescheinigung's own page."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from amtsweg.applications.formengine.base import Cleaned, FieldInputs, FieldSpec
from amtsweg.applications.formengine.fields import BaseFieldType
from amtsweg.applications.formengine.registry import field_types


@field_types.register("register_person")
class RegisterPersonType(BaseFieldType):
    """Whom a register service is for: ``{"ref": the register's key, "name": ..., "relation": "self"|"child"}``.

    The choices come from the residents' register, so the step is shown by ``residents.journey`` (which
    offers only the citizen and the minors they represent); posted to the engine's own step page, the
    field accepts nothing.
    """

    template = "applications/fields/choice.html"

    def clean(self, spec: FieldSpec, data: Any, files: Any) -> Cleaned:
        return self.error(spec, "required", gettext("Select the person the certificate is for"))

    def inputs(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: ""})

    def raw_inputs(self, spec: FieldSpec, data: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: ""})  # the choice is shown again by residents.journey

    def display(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, dict):
            return "" if value is None else str(value)
        name = str(value.get("name", ""))
        if value.get("relation") == "self":
            return gettext("%(name)s (yourself)") % {"name": name}
        if value.get("relation") == "child":
            return gettext("%(name)s (your child)") % {"name": name}
        return name
