"""Cleaning the POST data of one step into answers and errors."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from amtsweg.core.conditions import evaluate, names_in

from .base import FieldError, FieldSpec, FormDefinition, Step, tr
from .registry import field_types


def clean_step(
    definition: FormDefinition,
    step: Step,
    data: Any,
    files: Any,
    answers_so_far: Mapping[str, Any],
    *,
    locked_answers: Mapping[str, Any] | None = None,
) -> tuple[dict[str, Any], list[FieldError]]:
    """The answers of the step's visible fields and the errors, in the order of the fields.

    Field conditions are evaluated against ``answers_so_far`` updated, field by
    field, with this step's fresh values, so "show reason if relationship is
    sibling" follows what was just chosen on the same page. A field that is
    hidden is neither cleaned nor returned. A field with errors is returned
    with the value None. The per-service rules (hooks.py) are not run here:
    the caller runs them when the step has no errors.

    ``locked_answers`` are answers taken from the citizen's ID (eID, BundID):
    their fields are shown read-only, and whatever is posted for them is
    ignored, so a changed page cannot change them.

    ``definition`` is not needed for the cleaning itself; it is part of the
    signature so that rules spanning steps can be added without changing callers.
    """
    working = dict(answers_so_far)
    step_answers: dict[str, Any] = {}
    errors: list[FieldError] = []
    for spec in step.fields:
        if spec.condition is not None and not evaluate(spec.condition, working):
            working.pop(spec.key, None)
            continue
        if locked_answers is not None and spec.key in locked_answers:
            step_answers[spec.key] = working[spec.key] = locked_answers[spec.key]
            continue
        cleaned = field_types.get(spec.type).clean(spec, data, files)
        value = None if cleaned.errors else cleaned.value
        step_answers[spec.key] = value
        working[spec.key] = value
        errors.extend(cleaned.errors or _failed_checks(spec, working))
    return step_answers, errors


def _failed_checks(spec: FieldSpec, answers: Mapping[str, Any]) -> list[FieldError]:
    """The field's plausibility rules that do not hold; a rule is skipped while one of its answers is missing."""
    part = getattr(field_types.get(spec.type), "required_part", None)  # a date links to its day
    failed = []
    for check in spec.checks:
        if all(answers.get(name) not in (None, "") for name in names_in(check.rule)) and not evaluate(
            check.rule, answers
        ):
            failed.append(FieldError(spec.key, tr(check.message), part))
    return failed


def step_raw_inputs(step: Step, data: Any) -> dict[str, dict[str, Any]]:
    """What was typed into each field of the step, by field key, to show again after an error."""
    return {spec.key: field_types.get(spec.type).raw_inputs(spec, data) for spec in step.fields}
