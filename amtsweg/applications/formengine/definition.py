"""Parsing a form definition (YAML/JSON) and deciding which steps and fields are shown.

The shape (see docs/adding-a-service.md)::

    service: nebenwohnung-abmelden
    version: 1
    title: {de: ..., en: ...}
    steps:
      - key: person
        title: {de: ..., en: ...}
        hint: {de: ..., en: ...}            # optional
        condition: "age(birth_date) >= 16"  # optional, see conditions.py
        fields:
          - {key: name, type: person_name, label: {de: ..., en: ...},
             hint: ..., required: true, condition: ..., options: {...}}

    documents:                              # optional: the checklist (checklist.py)
      - key: birth_certificate
        title: {de: ..., en: ...}
        explanation: {de: ..., en: ...}
        condition: "family_status != 'single'"   # optional; over the answers
        original: certified_copy            # original | certified_copy | copy
        upload: {accept: [pdf, jpeg, png], max_size_mb: 10}   # optional: may be uploaded instead
    outcomes:                               # optional: the next step, the first that holds
      - {key: ..., kind: no_appointment, condition: "documents_open == 0", text: {de: ..., en: ...}}
      - {key: ..., kind: appointment, location: standesamt, service: ..., duration: 30, text: {...}}
        # book_at_once: true on an appointment takes the citizen straight to its booking page after
        # sending, or after paying when the form has a fee

Other top-level keys (``processing`` and the like) belong to other parts of
the platform and are kept in ``FormDefinition.raw`` untouched.
"""

from __future__ import annotations

import copy
import keyword
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from amtsweg.core.conditions import FUNCTIONS, ConditionError, evaluate, names_in

from . import fields as _builtin_fields  # noqa: F401  (registers the built-in field types)
from .base import (
    CHECKLIST_NAMES,
    ORIGINAL_KINDS,
    OUTCOME_KINDS,
    Check,
    DocumentSpec,
    FieldSpec,
    FormDefinition,
    OutcomeSpec,
    Step,
)
from .registry import field_types

KEY_PATTERN = re.compile(r"[a-z][a-z0-9_]{0,49}", re.ASCII)
SLUG_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*", re.ASCII)
# POST names the step page uses itself; a field with one of them would be overwritten.
# The checklist's own names (CHECKLIST_NAMES) are reserved too: an outcome's condition reads them beside the answers.
RESERVED_KEYS = frozenset({"action", "csrfmiddlewaretoken", "next"}) | frozenset(FUNCTIONS) | CHECKLIST_NAMES
STEP_KEYS = frozenset({"key", "title", "hint", "condition", "fields"})
FIELD_KEYS = frozenset({"key", "type", "label", "hint", "required", "condition", "options", "from_identity", "checks"})
# What a field may take from the citizen's ID, and the field types that can hold it.
IDENTITY_SOURCES: dict[str, frozenset[str]] = {
    "name": frozenset({"person_name"}),
    "birth_date": frozenset({"date"}),
    "place_of_birth": frozenset({"text"}),
    "nationality": frozenset({"text"}),
    "address": frozenset({"address"}),
    "document_type": frozenset({"text"}),
    "email": frozenset({"email"}),
}
DOCUMENT_KEYS = frozenset({"key", "title", "explanation", "condition", "original", "upload"})
UPLOAD_KEYS = frozenset({"accept", "max_size_mb"})
OUTCOME_KEYS = frozenset({"key", "kind", "condition", "text", "location", "service", "duration", "book_at_once"})
APPOINTMENT_ONLY = ("location", "service", "duration", "book_at_once")
FEES_PAID = ("online", "office")
MAX_DURATION = 480  # minutes: an appointment of a whole working day at most
LANGUAGES = ("de", "en")


class DefinitionError(ValueError):
    """A definition with problems; ``messages`` lists every one found, for the admin to fix at once."""

    def __init__(self, messages: list[str]) -> None:
        self.messages = list(messages)
        super().__init__("\n".join(self.messages))


def _translated_problem(value: Any, what: str, *, optional: bool = False) -> str | None:
    if value is None and optional:
        return None
    if not isinstance(value, Mapping):
        return f"{what} must give the text in German and English, like {{de: ..., en: ...}}"
    missing = [lang for lang in LANGUAGES if not isinstance(value.get(lang), str) or not value[lang].strip()]
    if missing:
        return f"{what} has no text in {' and '.join(missing)}"
    return None


def _texts(value: Any, where: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every text of a raw definition (a mapping with a German text), with where it is."""
    if isinstance(value, Mapping):
        if isinstance(value.get("de"), str):
            yield where, value
            return
        for key, item in value.items():
            yield from _texts(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            label = item.get("key") or item.get("value") if isinstance(item, Mapping) else None
            yield from _texts(item, f"{where}[{label or index}]")


def language_problems(data: Mapping[str, Any], languages: Iterable[str]) -> list[str]:
    """Each text of a raw definition that has no text in one of ``languages`` (a service's further languages)."""
    wanted = list(languages)
    problems = []
    for where, text in _texts(data, ""):
        missing = [code for code in wanted if not isinstance(text.get(code), str) or not text[code].strip()]
        if missing:
            problems.append(f"{where} has no text in {', '.join(missing)}")
    return problems


def _key_problem(key: Any, what: str) -> str | None:
    if not isinstance(key, str) or not KEY_PATTERN.fullmatch(key):
        return f"{what} needs a key of lower-case letters, digits and '_', starting with a letter (got {key!r})"
    if keyword.iskeyword(key) or key in RESERVED_KEYS:
        return f"{what}: the key {key!r} is reserved, choose another"
    return None


def _condition_problems(condition: Any, where: str, known: set[str], later: set[str], own: str | None) -> list[str]:
    if condition is None:
        return []
    if not isinstance(condition, str):
        return [f"{where}: the condition must be text"]
    try:
        names = names_in(condition)
    except ConditionError as exc:
        return [f"{where}: {exc}"]
    problems = []
    for name in sorted(names):
        if name == own:
            problems.append(f"{where}: the condition refers to the field itself ({name!r})")
        elif name in later:
            problems.append(f"{where}: the condition refers to {name!r}, which is asked only later")
        elif name not in known:
            problems.append(f"{where}: the condition refers to {name!r}, which is not a field of this form")
    return problems


def parse_definition(data: Mapping[str, Any]) -> FormDefinition:
    """The definition as a FormDefinition; raises DefinitionError listing every problem found."""
    if not isinstance(data, Mapping):
        raise DefinitionError(["the definition must be a mapping (service, version, title, steps)"])
    problems: list[str] = []
    service = data.get("service")
    if not isinstance(service, str) or not SLUG_PATTERN.fullmatch(service):
        problems.append(f"'service' must be the catalogue slug of the service (got {service!r})")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(f"'version' must be a whole number from 1 (got {version!r})")
    if problem := _translated_problem(data.get("title"), "the form's 'title'"):
        problems.append(problem)
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, list) or not raw_steps:
        problems.append("'steps' must be a non-empty list")
        raw_steps = []

    # Every key first, so a condition naming a later field is told apart from a typo.
    all_keys = {
        item["key"]
        for step in raw_steps
        if isinstance(step, Mapping) and isinstance(step.get("fields"), list)
        for item in step["fields"]
        if isinstance(item, Mapping) and isinstance(item.get("key"), str)
    }
    asked: set[str] = set()
    step_keys: set[str] = set()
    steps: list[Step] = []
    for number, raw_step in enumerate(raw_steps, start=1):
        if not isinstance(raw_step, Mapping):
            problems.append(f"step {number} must be a mapping")
            continue
        step_key: Any = raw_step.get("key")  # read from YAML: checked by _key_problem below
        where = f"step {number} ({step_key!r})" if isinstance(step_key, str) else f"step {number}"
        if problem := _key_problem(step_key, where):
            problems.append(problem)
        elif step_key in step_keys:
            problems.append(f"{where}: the step key {step_key!r} is used twice")
        else:
            step_keys.add(step_key)
        unknown = set(raw_step) - STEP_KEYS
        if unknown:
            problems.append(f"{where}: unknown entries {', '.join(sorted(map(str, unknown)))}")
        if problem := _translated_problem(raw_step.get("title"), f"{where}: 'title'"):
            problems.append(problem)
        if problem := _translated_problem(raw_step.get("hint"), f"{where}: 'hint'", optional=True):
            problems.append(problem)
        problems += _condition_problems(raw_step.get("condition"), where, asked, all_keys - asked, None)

        raw_fields = raw_step.get("fields")
        if not isinstance(raw_fields, list) or not raw_fields:
            problems.append(f"{where}: 'fields' must be a non-empty list")
            raw_fields = []
        specs: list[FieldSpec] = []
        for field_number, raw_field in enumerate(raw_fields, start=1):
            spec, field_problems = _parse_field(raw_field, f"{where}, field {field_number}", asked, all_keys)
            problems += field_problems
            if spec is not None:
                specs.append(spec)
        steps.append(
            Step(
                key=step_key if isinstance(step_key, str) else "",
                title=raw_step.get("title") or {},
                fields=tuple(specs),
                condition=raw_step.get("condition"),
                hint=raw_step.get("hint"),
            )
        )
    counts, count_problems = _parse_counts(data.get("counts"), all_keys)
    documents, document_problems = _parse_documents(data.get("documents"), all_keys | set(counts))
    outcomes, outcome_problems = _parse_outcomes(data.get("outcomes"), all_keys | set(counts))
    problems += count_problems + document_problems + outcome_problems
    fees_paid = data.get("fees_paid", "online")
    if fees_paid not in FEES_PAID:
        problems.append(f"'fees_paid' must be one of {', '.join(FEES_PAID)} (got {fees_paid!r})")
    if problems:
        raise DefinitionError(problems)
    return FormDefinition(
        service=str(service),
        version=int(version),  # type: ignore[arg-type]
        title=data["title"],
        steps=tuple(steps),
        raw=copy.deepcopy(dict(data)),
        documents=documents,
        outcomes=outcomes,
        counts=counts,
        fees_paid=str(fees_paid),
    )


def _parse_counts(raw: Any, answer_keys: set[str]) -> tuple[dict[str, tuple[str, ...]], list[str]]:
    """``counts``: computed answers, each the number of its conditions that hold, e.g.
    ``foreign_laws: ["a_german == False", "b_german == False"]``."""
    if raw is None:
        return {}, []
    if not isinstance(raw, Mapping):
        return {}, ["'counts' must map a key to a list of conditions"]
    counts: dict[str, tuple[str, ...]] = {}
    problems: list[str] = []
    for key, conditions in raw.items():
        where = f"count {key!r}"
        if problem := _key_problem(key, where):
            problems.append(problem)
            continue
        if key in answer_keys:
            problems.append(f"{where}: {key!r} is already a field of the form")
            continue
        if not isinstance(conditions, list) or not conditions:
            problems.append(f"{where} must be a non-empty list of conditions")
            continue
        for condition in conditions:
            problems += _condition_problems(condition, where, answer_keys, set(), None)
        counts[key] = tuple(str(condition) for condition in conditions)
    return counts, problems


def _parse_field(raw: Any, where: str, asked: set[str], all_keys: set[str]) -> tuple[FieldSpec | None, list[str]]:
    """One field; adds its key to ``asked`` (the keys a later condition may use)."""
    if not isinstance(raw, Mapping):
        return None, [f"{where} must be a mapping"]
    problems: list[str] = []
    key = raw.get("key")
    if isinstance(key, str):
        where = f"{where} ({key!r})"
    if problem := _key_problem(key, where):
        problems.append(problem)
    elif key in asked:
        problems.append(f"{where}: the field key {key!r} is used twice")
    unknown = set(raw) - FIELD_KEYS
    if unknown:
        problems.append(f"{where}: unknown entries {', '.join(sorted(map(str, unknown)))}")
    if problem := _translated_problem(raw.get("label"), f"{where}: 'label'"):
        problems.append(problem)
    if problem := _translated_problem(raw.get("hint"), f"{where}: 'hint'", optional=True):
        problems.append(problem)
    required = raw.get("required", True)
    if not isinstance(required, bool):
        problems.append(f"{where}: 'required' must be true or false")
    options = raw.get("options", {})
    if options is None:
        options = {}
    if not isinstance(options, Mapping):
        problems.append(f"{where}: 'options' must be a mapping")
        options = {}
    # A field's condition may use earlier steps and the fields above it in its own step.
    problems += _condition_problems(raw.get("condition"), where, asked, all_keys - asked, key)

    type_name = raw.get("type")
    source = raw.get("from_identity")
    if source is not None and (source not in IDENTITY_SOURCES or type_name not in IDENTITY_SOURCES[source]):
        allowed = ", ".join(f"{name} ({'/'.join(sorted(types))})" for name, types in IDENTITY_SOURCES.items())
        problems.append(f"{where}: 'from_identity' {source!r} does not fit a {type_name} field (possible: {allowed})")
        source = None
    checks, check_problems = _parse_checks(raw.get("checks"), where, asked, all_keys - asked, key)
    problems += check_problems
    spec = FieldSpec(
        key=key if isinstance(key, str) else "",
        type=type_name if isinstance(type_name, str) else "",
        label=raw.get("label") or {},
        hint=raw.get("hint"),
        required=required if isinstance(required, bool) else True,
        condition=raw.get("condition"),
        options=dict(options),
        from_identity=source,
        checks=checks,
    )
    if not isinstance(type_name, str) or type_name not in field_types:
        known = ", ".join(field_types.names())
        problems.append(f"{where}: unknown field type {type_name!r} (known: {known})")
    else:
        problems += [f"{where}: {problem}" for problem in field_types.get(type_name).validate_spec(spec)]
    if isinstance(key, str):
        asked.add(key)
    return spec, problems


def _parse_checks(
    raw: Any, where: str, asked: set[str], later: set[str], own: Any
) -> tuple[tuple[Check, ...], list[str]]:
    """A field's plausibility rules: each a ``rule`` over this field and those asked before it, and a ``message``
    in both languages."""
    if raw is None:
        return (), []
    if not isinstance(raw, list):
        return (), [f"{where}: 'checks' must be a list of rules with a message"]
    checks: list[Check] = []
    problems: list[str] = []
    known = asked | ({own} if isinstance(own, str) else set())
    later = later - known  # a check runs when its own field is answered, so it may name that field
    for number, item in enumerate(raw, start=1):
        at = f"{where}, check {number}"
        if not isinstance(item, Mapping) or set(item) != {"rule", "message"}:
            problems.append(f"{at}: a check has exactly a 'rule' and a 'message'")
            continue
        problems += _condition_problems(item["rule"], at, known, later, None)
        if problem := _translated_problem(item["message"], f"{at}: 'message'"):
            problems.append(problem)
        if isinstance(item["rule"], str):
            checks.append(Check(rule=item["rule"], message=item["message"]))
    return tuple(checks), problems


def _keyed_entries(
    raw: list[Any], what: str, allowed: frozenset[str] | set[str], shape: str, problems: list[str]
) -> Iterator[tuple[int, str, Mapping[str, Any], str]]:
    """The entries of a list of keyed mappings (the documents, the outcomes): each with its number, where it is
    (for the problems), the mapping and its key ("" if it has no valid one). What every such list checks is
    added to ``problems``: an entry that is no mapping (left out), a bad or repeated key, unknown entries."""
    seen: set[str] = set()
    for number, item in enumerate(raw, start=1):
        where = f"{what} {number}"
        if not isinstance(item, Mapping):
            problems.append(f"{where} must be a mapping ({shape})")
            continue
        key = item.get("key")
        if isinstance(key, str):
            where = f"{where} ({key!r})"
        if problem := _key_problem(key, where):
            problems.append(problem)
        elif key in seen:
            problems.append(f"{where}: the {what} key {key!r} is used twice")
        else:
            seen.add(key)  # type: ignore[arg-type]  # _key_problem found it a str
        unknown = set(item) - set(allowed)
        if unknown:
            problems.append(f"{where}: unknown entries {', '.join(sorted(map(str, unknown)))}")
        yield number, where, item, key if isinstance(key, str) else ""


def _parse_documents(raw: Any, answer_keys: set[str]) -> tuple[tuple[DocumentSpec, ...], list[str]]:
    """The checklist: documents with a condition over the answers (any field of the form, as they are
    evaluated once the form is complete), how they must be shown, and whether they may be uploaded."""
    if raw is None:
        return (), []
    if not isinstance(raw, list):
        return (), ["'documents' must be a list of documents"]
    documents: list[DocumentSpec] = []
    problems: list[str] = []
    entries = _keyed_entries(raw, "document", DOCUMENT_KEYS, "key, title, explanation, original, ...", problems)
    for _number, where, item, key in entries:
        for text in ("title", "explanation"):
            if problem := _translated_problem(item.get(text), f"{where}: {text!r}"):
                problems.append(problem)
        original = item.get("original")
        if original not in ORIGINAL_KINDS:
            problems.append(f"{where}: 'original' must be one of {', '.join(ORIGINAL_KINDS)} (got {original!r})")
        problems += _condition_problems(item.get("condition"), where, answer_keys, set(), None)
        upload, upload_problems = _parse_upload(item.get("upload"), where)
        problems += upload_problems
        documents.append(
            DocumentSpec(
                key=key,
                title=item.get("title") or {},
                explanation=item.get("explanation") or {},
                original=original if isinstance(original, str) else "",
                condition=item.get("condition"),
                upload=upload,
            )
        )
    return tuple(documents), problems


def _parse_upload(raw: Any, where: str) -> tuple[Mapping[str, Any] | None, list[str]]:
    """``upload``: absent or false (bring it), true (the file field's defaults) or the file field's options."""
    if raw is None or raw is False:
        return None, []
    if raw is True:
        return {}, []
    if not isinstance(raw, Mapping):
        return None, [f"{where}: 'upload' must be true or the file options (accept, max_size_mb)"]
    problems = []
    unknown = set(raw) - UPLOAD_KEYS
    if unknown:
        problems.append(f"{where}: 'upload' has unknown entries {', '.join(sorted(map(str, unknown)))}")
    spec = FieldSpec(key="upload", type="file", label={}, options=dict(raw))
    problems += [f"{where}: 'upload' {problem}" for problem in field_types.get("file").validate_spec(spec)]
    return dict(raw), problems


def _parse_outcomes(raw: Any, answer_keys: set[str]) -> tuple[tuple[OutcomeSpec, ...], list[str]]:
    """The next step after the submission: outcomes in order, the first whose condition holds. A condition
    reads the answers and the checklist's counts (``CHECKLIST_NAMES``)."""
    if raw is None:
        return (), []
    if not isinstance(raw, list):
        return (), ["'outcomes' must be a list of outcomes"]
    outcomes: list[OutcomeSpec] = []
    problems: list[str] = []
    fallback: str | None = None  # the first outcome without a condition: every later one is never reached
    for number, where, item, key in _keyed_entries(
        raw, "outcome", OUTCOME_KEYS, "key, kind, condition, text, ...", problems
    ):
        kind = item.get("kind")
        if kind not in OUTCOME_KINDS:
            problems.append(f"{where}: 'kind' must be one of {', '.join(OUTCOME_KINDS)} (got {kind!r})")
        if problem := _translated_problem(item.get("text"), f"{where}: 'text'"):
            problems.append(problem)
        if fallback is not None:
            problems.append(f"{where} is never reached: {fallback} before it has no condition")
        condition = item.get("condition")
        if condition is None:
            fallback = f"outcome {number}"
        problems += _condition_problems(condition, where, answer_keys | CHECKLIST_NAMES, set(), None)
        problems += _appointment_problems(item, kind, where)
        duration = item.get("duration")
        outcomes.append(
            OutcomeSpec(
                key=key,
                kind=kind if isinstance(kind, str) else "",
                text=item.get("text") or {},
                condition=condition,
                location=str(item.get("location") or ""),
                service=str(item.get("service") or ""),
                duration=duration if isinstance(duration, int) and not isinstance(duration, bool) else None,
                book_at_once=item.get("book_at_once") is True,
            )
        )
    return tuple(outcomes), problems


def _appointment_problems(item: Mapping[str, Any], kind: Any, where: str) -> list[str]:
    """An appointment names the place of its booking link; the other kinds name no place."""
    if kind != "appointment":
        given = [name for name in APPOINTMENT_ONLY if item.get(name) is not None]
        return [f"{where}: {', '.join(map(repr, given))} belong to an appointment only"] if given else []
    problems = []
    location = item.get("location")
    if not isinstance(location, str) or not SLUG_PATTERN.fullmatch(location):
        problems.append(f"{where}: an appointment needs the 'location' slug of its booking link (got {location!r})")
    service = item.get("service")
    if service is not None and (not isinstance(service, str) or not SLUG_PATTERN.fullmatch(service)):
        problems.append(f"{where}: 'service' must be a catalogue slug (got {service!r})")
    duration = item.get("duration")
    if duration is not None and (
        not isinstance(duration, int) or isinstance(duration, bool) or not 1 <= duration <= MAX_DURATION
    ):
        problems.append(f"{where}: 'duration' must be a whole number of minutes from 1 to {MAX_DURATION}")
    if item.get("book_at_once") not in (None, True, False):
        problems.append(f"{where}: 'book_at_once' must be true or false")
    return problems


# ---------------------------------------------------------------------------
# Visibility
# ---------------------------------------------------------------------------


def _shown(condition: str | None, answers: Mapping[str, Any]) -> bool:
    return condition is None or evaluate(condition, answers)


def _walk(definition: FormDefinition, answers: Mapping[str, Any]) -> Iterator[tuple[Step, list[FieldSpec]]]:
    """The visible steps with their visible fields, in order.

    Conditions see only answers to questions that are themselves shown: a stale
    answer to a question hidden since (the citizen went back and changed an
    earlier answer) must not switch on later questions.
    """
    effective = dict(answers)
    for step in definition.steps:
        if not _shown(step.condition, effective):
            for spec in step.fields:
                effective.pop(spec.key, None)
            continue
        yield step, _visible_fields(step, effective)


def _visible_fields(step: Step, effective: dict[str, Any]) -> list[FieldSpec]:
    shown = []
    for spec in step.fields:
        if _shown(spec.condition, effective):
            shown.append(spec)
        else:
            effective.pop(spec.key, None)
    return shown


def visible_steps(definition: FormDefinition, answers: Mapping[str, Any]) -> list[Step]:
    """The steps shown for these answers, in order."""
    return [step for step, _fields in _walk(definition, answers)]


def visible_fields(step: Step, answers: Mapping[str, Any]) -> list[FieldSpec]:
    """The fields of ``step`` shown for these answers, in order."""
    return _visible_fields(step, dict(answers))


def drop_hidden_answers(definition: FormDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to questions that are shown; answers of hidden steps and fields, and keys
    the definition does not know (e.g. from an older version), are left out, so they are never submitted."""
    kept: dict[str, Any] = {}
    for _step, specs in _walk(definition, answers):
        for spec in specs:
            if spec.key in answers:
                kept[spec.key] = answers[spec.key]
    return with_counts(definition, kept)


def with_counts(definition: FormDefinition, answers: Mapping[str, Any]) -> dict[str, Any]:
    """The answers with the definition's computed ``counts`` (worked out again from these answers)."""
    result = {key: value for key, value in answers.items() if key not in definition.counts}
    for key, conditions in definition.counts.items():
        result[key] = sum(1 for condition in conditions if evaluate(condition, result))
    return result
