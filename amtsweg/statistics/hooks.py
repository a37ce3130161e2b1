"""What the statistics pages ask of the apps above them, without importing them.

The form funnel counts steps and fields by their keys; the names people read (a step's title, a field's
label) live in the form definitions, which ``applications`` owns and which sits above statistics. The
form engine registers the one function that finds them::

    from amtsweg.statistics.hooks import FormLabels, form_labels

    @form_labels.register("forms")
    def labels(*, service_id: int, form_version: int) -> FormLabels: ...
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from amtsweg.core.registry import Registry


@dataclass(frozen=True)
class FormLabels:
    """A form version's step titles and field labels by key, in the active language."""

    steps: Mapping[str, str] = field(default_factory=dict)
    fields: Mapping[str, str] = field(default_factory=dict)


form_labels: Registry[Callable[..., FormLabels]] = Registry(kind="form labels")


def form_labels_of(*, service_id: int, form_version: int) -> FormLabels:
    """The labels of one version of a service's form; none (the keys are shown) if nobody provides them."""
    if "forms" not in form_labels:
        return FormLabels()
    return form_labels.entry("forms")(service_id=service_id, form_version=form_version)
