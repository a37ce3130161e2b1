"""Reads for documents: what a submission summary shows."""

from dataclasses import dataclass
from typing import Any

from amtsweg.applications.models import Submission


@dataclass(frozen=True)
class SummaryRow:
    label: str
    value: str


@dataclass(frozen=True)
class SummarySection:
    title: str
    rows: tuple[SummaryRow, ...]


def _unanswered(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _raw(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(_raw(v) for v in value.values() if not _unanswered(v))
    if isinstance(value, list):
        return ", ".join(_raw(v) for v in value if not _unanswered(v))
    return str(value)


def submission_summary_sections(*, submission: Submission) -> list[SummarySection]:
    """Every answered field with its label and displayed value, grouped by step, in the active language.

    Uses the form definition frozen into the submission. Without the form
    engine (or for a field type no longer registered) the raw answer is shown.
    """
    answers: dict[str, Any] = submission.answers or {}
    try:
        from amtsweg.applications.formengine.base import tr
        from amtsweg.applications.formengine.definition import parse_definition
        from amtsweg.applications.formengine.registry import field_types
    except ImportError:  # the form engine has not landed yet
        rows = tuple(SummaryRow(label=key, value=_raw(v)) for key, v in answers.items() if not _unanswered(v))
        return [SummarySection(title="", rows=rows)] if rows else []

    sections = []
    for step in parse_definition(submission.definition).steps:
        step_rows: list[SummaryRow] = []
        for spec in step.fields:
            value = answers.get(spec.key)
            if _unanswered(value):
                continue
            try:
                shown = field_types.get(spec.type).display(spec, value)
            except KeyError:
                shown = _raw(value)
            step_rows.append(SummaryRow(label=tr(spec.label), value=shown))
        if step_rows:
            sections.append(SummarySection(title=tr(step.title), rows=tuple(step_rows)))
    return sections
