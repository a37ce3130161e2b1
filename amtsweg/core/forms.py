"""What every form shares: KERN's classes on the inputs, and the lines of the one error summary."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from django import forms


class KernFormMixin:
    """Puts KERN's classes on the inputs, and their error variants once a field has errors.

    Django itself adds ``aria-invalid`` and ``aria-describedby`` pointing to
    ``<id>_helptext`` and ``<id>_error``; the templates render those ids.
    """

    CLASSES = {
        forms.CheckboxInput: "kern-form-check__checkbox",
        forms.RadioSelect: "kern-form-check__radio",
        forms.Select: "kern-form-input__select",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            css = next((c for kind, c in self.CLASSES.items() if isinstance(widget, kind)), "kern-form-input__input")
            widget.attrs.setdefault("class", css)

    def full_clean(self) -> None:
        super().full_clean()  # type: ignore[misc]
        for name in self.errors:  # type: ignore[attr-defined]
            field = self.fields.get(name)  # type: ignore[attr-defined]
            if field is not None:
                css = field.widget.attrs.get("class", "")
                if css and "--error" not in css:
                    field.widget.attrs["class"] = f"{css} {css.split()[0]}--error"


class ErrorLink(NamedTuple):
    """One line of the error summary (``templates/includes/error_summary.html``): a message and the id it links to."""

    message: str
    anchor: str


def error_links(errors: Mapping[str, str]) -> list[ErrorLink]:
    """The summary's lines for errors kept by input name, as the hand-written forms keep them (``id_<name>``)."""
    return [ErrorLink(str(message), f"id_{key}") for key, message in errors.items()]


def form_error_list(forms: Mapping[str, Any]) -> list[ErrorLink]:
    """The error summary's lines for Django forms, in the order of the page.

    ``forms`` maps a key to a form; errors that belong to no field (``clean()``)
    link to the element with the id ``form-<key>``.
    """
    errors: list[ErrorLink] = []
    for key, form in forms.items():
        if not form.is_bound:
            continue
        for name, field_errors in form.errors.items():
            if name in form.fields:
                anchor = form[name].auto_id
                if form.fields[name].widget.use_fieldset:
                    anchor = f"{anchor}_0"
            else:
                anchor = f"form-{key}"
            errors.extend(ErrorLink(str(message), anchor) for message in field_errors)
    return errors
