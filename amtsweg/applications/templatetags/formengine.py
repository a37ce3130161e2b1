from typing import Any

from django import template
from django.template.loader import get_template

from ..formengine.base import FieldError, FieldInputs, FieldSpec, tr
from ..formengine.registry import field_types

register = template.Library()


@register.simple_tag
def render_field(
    spec: FieldSpec,
    inputs: dict[str, Any],
    errors: list[FieldError],
    as_heading: bool = False,
    locked: bool = False,
) -> str:
    """Render one field with its type's template (label, hint, inline error, inputs)."""
    field_type = field_types.get(spec.type)
    choices = [(c.get("value"), tr(c.get("label"))) for c in spec.options.get("choices", [])]
    # A choice's own hint (who it is for), shown under its label and read out with it.
    choice_hints = {c.get("value"): tr(c.get("hint")) for c in spec.options.get("choices", []) if c.get("hint")}
    own_errors = [e for e in (errors or []) if e.key == spec.key]
    values = inputs if isinstance(inputs, FieldInputs) else FieldInputs(spec.key, inputs)
    return get_template(field_type.template).render(
        {
            "field": spec,
            "label": tr(spec.label),
            "hint": tr(spec.hint),
            "inputs": values,
            "errors": own_errors,
            "as_heading": as_heading,
            "locked": locked,
            "choices": choices,
            "choice_hints": choice_hints,
            "autocomplete": field_type.autocomplete,
        },
        # No request: a field's template needs nothing from the context processors, and a
        # RequestContext would run all of them again for every field of the page.
    )


@register.filter
def translated(text: Any) -> str:
    return tr(text)
