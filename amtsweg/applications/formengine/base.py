"""The interface of the form engine: a definition's shape and the field-type plug-in point.

A form definition (YAML or JSON, see docs/adding-a-service.md) is parsed into
``FormDefinition`` > ``Step`` > ``FieldSpec``. Each field names a type; the
type, registered in ``registry.field_types``, turns the submitted POST data into
a JSON-serialisable answer or into errors, renders its inputs, and displays an
answer on the check-answers page and in the PDF. Service modules register their
own types (vehicle identification number, licence plate, ...) without touching
the engine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import get_language

# A text in both languages, as written in the definition: {"de": "...", "en": "..."}.
Translated = Mapping[str, str]


def tr(text: Translated | str | None) -> str:
    """The text in the active language; a further language (Turkish, Arabic, ...) falls back to English, every
    language then to German (core.i18n)."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    language = (get_language() or "de")[:2]
    fallback = text.get("en") if language != "de" else None
    return text.get(language) or fallback or text.get("de") or next(iter(text.values()), "")


@dataclass(frozen=True)
class Check:
    """A plausibility rule across answers, checked when its field is answered: ``rule`` must hold (a condition,
    conditions.py), else ``message`` is the field's error. A rule whose answers are not all given is skipped."""

    rule: str
    message: Translated


@dataclass(frozen=True)
class FieldSpec:
    key: str  # unique within the form; answers are stored under it
    type: str  # a name in registry.field_types
    label: Translated
    hint: Translated | None = None
    required: bool = True
    condition: str | None = None  # shown only when this expression is true (conditions.py)
    options: Mapping[str, Any] = field(default_factory=dict)  # type-specific rules, e.g. max_length, choices
    # Filled from the logged-in citizen's ID and shown locked (identity.prefill), e.g. "name", "address".
    from_identity: str | None = None
    checks: tuple[Check, ...] = ()  # plausibility across answers, e.g. a death after the birth


@dataclass(frozen=True)
class Step:
    key: str
    title: Translated
    fields: tuple[FieldSpec, ...]
    condition: str | None = None
    hint: Translated | None = None


# How a document must be shown when it is brought, and the kinds of outcome (docs/adding-a-service.md).
ORIGINAL_KINDS = ("original", "certified_copy", "copy")
OUTCOME_KINDS = ("appointment", "case", "no_appointment")
# Names an outcome's condition may use besides the answers: how many documents the answers call for, and
# how many of them are not received yet (neither uploaded nor ticked off by staff). No field may use them.
CHECKLIST_NAMES = frozenset({"documents_needed", "documents_open"})


@dataclass(frozen=True)
class DocumentSpec:
    """A document the citizen brings or uploads, needed when ``condition`` holds for the answers (checklist.py)."""

    key: str  # unique among the form's documents; uploads and staff ticks are kept under it
    title: Translated
    explanation: Translated
    original: str  # what must be shown if it is brought: "original", "certified_copy" or "copy"
    condition: str | None = None  # needed only when this holds (conditions.py); always without one
    # May be uploaded instead of brought: the file field's options (accept, max_size_mb); None: bring it.
    upload: Mapping[str, Any] | None = None

    def upload_field(self, *, label: Translated | None = None, required: bool = True) -> FieldSpec | None:
        """The upload as a ``file`` field, so that it passes the same checks as a form's file field."""
        if self.upload is None:
            return None
        return FieldSpec(
            key=self.key,
            type="file",
            label=self.title if label is None else label,
            required=required,
            options=dict(self.upload),
        )


@dataclass(frozen=True)
class OutcomeSpec:
    """What happens after the submission: the first outcome whose ``condition`` holds (checklist.py)."""

    key: str
    kind: str  # "appointment", "case" or "no_appointment"
    text: Translated  # the next step, as the citizen reads it
    condition: str | None = None  # None: always (the last outcome, as a fallback)
    location: str = ""  # appointment: the catalogue location slug of the booking link
    service: str = ""  # appointment: the service booked there (the form's own service by default)
    duration: int | None = None  # appointment: minutes to plan, when it differs from the booking's
    book_at_once: bool = False  # appointment: the citizen goes straight to the booking page after sending (paying)


@dataclass(frozen=True)
class FormDefinition:
    service: str  # the catalogue service slug
    version: int
    title: Translated
    steps: tuple[Step, ...]
    raw: Mapping[str, Any] = field(default_factory=dict)  # the definition as written, frozen into submissions
    documents: tuple[DocumentSpec, ...] = ()  # the checklist (checklist.py), in the order shown
    outcomes: tuple[OutcomeSpec, ...] = ()  # the next step: the first whose condition holds
    # Computed answers: each key counts the conditions in its list that hold (e.g. for a fee's quantity).
    counts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # "online": a fee is paid online before the case opens; "office": the fee is paid at the office,
    # the quote is an estimate for the citizen and nothing is charged online.
    fees_paid: str = "online"

    def field(self, key: str) -> FieldSpec:
        for step in self.steps:
            for spec in step.fields:
                if spec.key == key:
                    return spec
        raise KeyError(key)

    def step(self, key: str) -> Step:
        for step in self.steps:
            if step.key == key:
                return step
        raise KeyError(key)


@dataclass(frozen=True)
class FieldError:
    """An error for one field; ``part`` names the sub-input (e.g. 'day' of a date) it should link to."""

    key: str
    message: str
    part: str | None = None

    @property
    def anchor(self) -> str:
        """The id of the input the error summary links to."""
        return f"id_{self.key}-{self.part}" if self.part else f"id_{self.key}"


@dataclass
class Cleaned:
    value: Any = None  # JSON-serialisable; None means "no answer"
    errors: list[FieldError] = field(default_factory=list)


class FieldType:
    """Base class of every field type. Subclasses set ``name`` and override the methods.

    ``data`` is the POST data (a QueryDict or a Mapping of str to list[str]),
    ``files`` the uploaded files. Inputs of a field are named ``<key>`` or
    ``<key>-<part>`` (e.g. ``birth-day``, ``birth-month``, ``birth-year``).
    """

    name: ClassVar[str]
    template: ClassVar[str] = "applications/fields/text.html"
    # the autocomplete token for single-input types (e.g. "email", "postal-code")
    autocomplete: ClassVar[str | None] = None

    def clean(self, spec: FieldSpec, data: Any, files: Any) -> Cleaned:
        raise NotImplementedError

    def inputs(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        """The values to put back into the inputs when the page is shown again (from an answer)."""
        return {spec.key: "" if value is None else value}

    def raw_inputs(self, spec: FieldSpec, data: Any) -> dict[str, Any]:
        """The values as the citizen typed them, to re-show after an error (nothing entered is lost)."""
        return {spec.key: data.get(spec.key, "")}

    def display(self, spec: FieldSpec, value: Any) -> str:
        """The answer as text for the check-answers page and the back office."""
        return "" if value is None else str(value)

    def display_in_summary(self, spec: FieldSpec, value: Any) -> str:
        """The answer as the summary PDF shows it, which leaves the portal (attached to an email): a type
        whose answer is a secret or an account number says less there."""
        return self.display(spec, value)

    def validate_spec(self, spec: FieldSpec) -> list[str]:
        """Problems with the definition itself (unknown options etc.), for the admin's check on save."""
        return []


class FieldInputs(dict[str, Any]):
    """The values of a field's inputs, keyed by input name (``birth``, ``birth-day``, ...).

    Templates cannot look up keys with a hyphen, so a missing key is also tried as
    a part name: ``inputs.day`` finds ``birth-day`` and ``inputs.value`` finds the
    single input ``birth``. It is a plain dict otherwise (JSON, merging, equality).
    """

    def __init__(self, key: str, values: Mapping[str, Any] | None = None) -> None:
        super().__init__(values or {})
        self.key = key

    def __missing__(self, name: str) -> Any:
        wanted = self.key if name == "value" else f"{self.key}-{name}"
        if wanted != name and dict.__contains__(self, wanted):
            return dict.__getitem__(self, wanted)
        # KeyError lets the template engine go on to attributes (inputs.items) and
        # then to its "invalid variable" value, so an absent part renders empty.
        raise KeyError(name)
