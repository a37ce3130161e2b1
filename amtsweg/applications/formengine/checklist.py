"""The checklist: which documents the answers call for, which of them are in, and the next step.

A form definition declares ``documents`` and ``outcomes`` (definition.py parses them, the shape is
in docs/adding-a-service.md). This module is pure: it takes the definition, the answers and what is
known about each document (its uploaded files, a staff member's tick) and returns plain dataclasses
that every page, the PDF and the emails show. Reading the files and ticks from the database is the
selectors' job (``applications.selectors.draft_checklist`` and ``submission_checklist``).

A document counts as **received** when staff ticked it off, or, without a tick, when a file was
uploaded for it. A tick wins: staff can untick an unreadable scan, and a new upload ticks it again.

The **outcome** is the first of ``outcomes`` whose condition holds for the answers and the
checklist's counts (``documents_needed``, ``documents_open``). It is worked out when the form is
sent and stored with the submission; a citizen's later upload works it out again, until staff
decide themselves ("complete" or "needs an appointment"), which then is the next step.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext, pgettext

from amtsweg.core.conditions import evaluate

from .base import DocumentSpec, FieldSpec, FormDefinition, OutcomeSpec, tr

# The field_key of a StoredFile uploaded for a document of the checklist: "checklist:<document key>".
FILE_PREFIX = "checklist:"

# Staff decisions (cases.constants.ChecklistDecision holds the same values with their labels).
DECISION_COMPLETE = "complete"
DECISION_APPOINTMENT = "appointment"


def file_key(document_key: str) -> str:
    """The ``StoredFile.field_key`` of an upload for the document."""
    return f"{FILE_PREFIX}{document_key}"


def document_key_of(field_key: str) -> str | None:
    """The document a stored file was uploaded for, or None for any other file."""
    return field_key[len(FILE_PREFIX) :] if field_key.startswith(FILE_PREFIX) else None


def original_label(original: str) -> str:
    """How the document must be shown, in words."""
    labels = {
        "original": pgettext("document", "Original"),
        "certified_copy": gettext("Certified copy"),
        "copy": gettext("Copy"),
    }
    return labels.get(original, original)


def upload_hint(spec: DocumentSpec) -> str:
    """Which files the document's upload takes, e.g. "PDF, JPG or PNG, up to 10 MB"."""
    from .registry import field_types

    field = spec.upload_field()
    if field is None:
        return ""
    file_type = field_types.get("file")
    names = [name for _kind, name in file_type.choices(field)]  # type: ignore[attr-defined]  # FileType's own
    if len(names) > 1:
        names = [", ".join(names[:-1]) + " " + pgettext("before the last item of a list", "or") + " " + names[-1]]
    size = file_type.max_size_mb(field)  # type: ignore[attr-defined]  # FileType's own method
    return gettext("%(types)s, up to %(size)s MB") % {"types": names[0] if names else "", "size": f"{size:g}"}


def upload_input(spec: DocumentSpec) -> FieldSpec | None:
    """The document's upload as an optional file input, labelled "Upload <title>" and with the file types
    as its hint, in both languages; None for a document that is brought."""
    from django.utils import translation

    label, hint = {}, {}
    for language in ("de", "en"):
        with translation.override(language):
            label[language] = gettext("Upload %(document)s") % {"document": tr(spec.title)}
            hint[language] = upload_hint(spec)
    field = spec.upload_field(label=label, required=False)
    return None if field is None else replace(field, hint=hint)


@dataclass(frozen=True)
class ChecklistFile:
    """An upload for a document: what the pages need to name and link it."""

    uuid: str
    name: str
    size: int


@dataclass(frozen=True)
class ChecklistItem:
    spec: DocumentSpec
    files: tuple[ChecklistFile, ...] = ()
    received: bool = False

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return tr(self.spec.title)

    @property
    def explanation(self) -> str:
        return tr(self.spec.explanation)

    @property
    def original(self) -> str:
        return self.spec.original

    @property
    def original_label(self) -> str:
        return original_label(self.spec.original)

    @property
    def uploadable(self) -> bool:
        return self.spec.upload is not None

    @property
    def uploaded(self) -> bool:
        return bool(self.files)

    @property
    def upload_hint(self) -> str:
        return upload_hint(self.spec)


@dataclass(frozen=True)
class NextStep:
    """What the citizen is to do next: the outcome, or the staff's decision that replaced it."""

    kind: str  # "appointment", "case" or "no_appointment"
    text: str
    key: str = ""  # the outcome's key ("" for a staff decision)
    location: str = ""  # appointment: where to book
    service: str = ""  # appointment: the service to book
    duration: int | None = None
    decided_by_staff: bool = False
    book_at_once: bool = False  # straight to the booking page after sending (or paying)

    @property
    def kind_label(self) -> str:
        labels = {
            "appointment": gettext("Appointment"),
            "case": gettext("Checked by the office, no appointment planned"),
            "no_appointment": gettext("No appointment needed"),
        }
        return labels.get(self.kind, self.kind)


@dataclass(frozen=True)
class Checklist:
    items: tuple[ChecklistItem, ...]
    next_step: NextStep | None = None
    decision: str = ""  # the staff's decision, "" while none was made

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def received_count(self) -> int:
        return sum(1 for item in self.items if item.received)

    @property
    def open_items(self) -> list[ChecklistItem]:
        """Documents not received yet."""
        return [item for item in self.items if not item.received]

    @property
    def to_upload(self) -> list[ChecklistItem]:
        """Documents not received yet that may still be uploaded."""
        return [item for item in self.items if not item.received and item.uploadable]

    @property
    def complete(self) -> bool:
        return all(item.received for item in self.items)

    def __bool__(self) -> bool:
        """A checklist is worth showing when it lists a document or names a next step."""
        return bool(self.items) or self.next_step is not None


def documents_needed(definition: FormDefinition, answers: Mapping[str, Any]) -> list[DocumentSpec]:
    """The documents whose condition holds for the answers (as submitted: hidden answers dropped), in order."""
    return [spec for spec in definition.documents if spec.condition is None or evaluate(spec.condition, answers)]


def checklist_items(
    definition: FormDefinition,
    answers: Mapping[str, Any],
    *,
    files: Mapping[str, Sequence[ChecklistFile]] | None = None,
    ticks: Mapping[str, bool] | None = None,
) -> tuple[ChecklistItem, ...]:
    """The needed documents with their uploads (``files`` by document key) and staff ticks (``ticks``)."""
    files = files or {}
    ticks = ticks or {}
    items = []
    for spec in documents_needed(definition, answers):
        uploaded = tuple(files.get(spec.key, ()))
        items.append(ChecklistItem(spec=spec, files=uploaded, received=ticks.get(spec.key, bool(uploaded))))
    return tuple(items)


def outcome_for(
    definition: FormDefinition, answers: Mapping[str, Any], items: Sequence[ChecklistItem]
) -> OutcomeSpec | None:
    """The first outcome whose condition holds for the answers and the checklist's counts; None if none does."""
    context = {
        **answers,
        "documents_needed": len(items),
        "documents_open": sum(1 for item in items if not item.received),
    }
    for outcome in definition.outcomes:
        if outcome.condition is None or evaluate(outcome.condition, context):
            return outcome
    return None


def outcome_by_key(definition: FormDefinition, key: str | None) -> OutcomeSpec | None:
    return next((outcome for outcome in definition.outcomes if outcome.key == key), None) if key else None


def next_step_of(definition: FormDefinition, outcome: OutcomeSpec | None, decision: str = "") -> NextStep | None:
    """The next step the citizen sees: the staff's decision if there is one, else the outcome."""
    if decision == DECISION_COMPLETE:
        return NextStep(
            kind="no_appointment",
            text=gettext("We have all the documents we need. You do not need an appointment."),
            decided_by_staff=True,
        )
    if decision == DECISION_APPOINTMENT:
        # The place of the form's appointment outcome, if it has one; else wherever the service is booked.
        place = outcome if outcome is not None and outcome.kind == "appointment" else None
        place = place or next((o for o in definition.outcomes if o.kind == "appointment"), None)
        return NextStep(
            kind="appointment",
            text=gettext("Please book an appointment and bring the documents that are still missing."),
            location=place.location if place else "",
            service=(place.service or definition.service) if place else definition.service,
            duration=place.duration if place else None,
            decided_by_staff=True,
        )
    if outcome is None:
        return None
    return NextStep(
        kind=outcome.kind,
        text=tr(outcome.text),
        key=outcome.key,
        location=outcome.location,
        service=(outcome.service or definition.service) if outcome.kind == "appointment" else "",
        duration=outcome.duration,
        book_at_once=outcome.book_at_once,
    )


def checklist_build(
    definition: FormDefinition,
    answers: Mapping[str, Any],
    *,
    files: Mapping[str, Sequence[ChecklistFile]] | None = None,
    ticks: Mapping[str, bool] | None = None,
    outcome_key: str | None = None,
    decision: str = "",
) -> Checklist:
    """The whole checklist. ``outcome_key`` is the key of the outcome stored with a submission ("" when none
    held); without it (None: a form in progress) the outcome is worked out from the answers and the
    checklist as they are now."""
    items = checklist_items(definition, answers, files=files, ticks=ticks)
    if outcome_key is None:
        outcome = outcome_for(definition, answers, items)
    else:
        outcome = outcome_by_key(definition, outcome_key)
    return Checklist(items=items, next_step=next_step_of(definition, outcome, decision), decision=decision)
