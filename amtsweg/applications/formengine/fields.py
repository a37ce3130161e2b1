"""The built-in field types. Importing this module registers them in ``registry.field_types``.

Every ``clean`` turns whatever arrives (None, lists, huge strings, odd Unicode,
NUL bytes) into either a JSON-serialisable value or errors, and never raises.
Error messages follow the GOV.UK style ("Enter a postcode, like 34117") and do
not interpolate the field's label, because "Geben Sie %(label)s ein" is rarely
good German. A definition can replace any message through an option
``error_<code>`` holding a text in both languages; the codes are listed on
each type (``required`` exists everywhere).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar, TypeGuard

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import EmailValidator
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext, ngettext, pgettext
from stdnum import iban as stdnum_iban
from stdnum.exceptions import InvalidChecksum
from stdnum.exceptions import ValidationError as StdnumValidationError

from amtsweg.core import dates

from .base import Cleaned, FieldError, FieldInputs, FieldSpec, FieldType, tr
from .registry import field_types

# Longer input is refused before any normalising, so a pasted book costs nothing.
RAW_LIMIT = 100_000
# What is put back into an input after an error; enough for any real answer.
REDISPLAY_LIMIT = 10_000
# Every date a form asks for lies in these years: registry entries go back to 1850, and nothing a citizen
# plans or holds (a move, a document's validity) lies more than a hundred years ahead.
EARLIEST_YEAR = 1850
YEARS_AHEAD = 100


def form_dates() -> dates.DateRange:
    """The days a date field accepts at all, before its own rules."""
    return dates.years(EARLIEST_YEAR, dates.today().year + YEARS_AHEAD)


# ---------------------------------------------------------------------------
# Reading POST data
# ---------------------------------------------------------------------------


def get_values(data: Any, name: str) -> list[str]:
    """All string values posted under ``name``, from a QueryDict or a mapping of str to str/list."""
    if data is None:
        return []
    try:
        if hasattr(data, "getlist"):
            raw = data.getlist(name)
        elif isinstance(data, Mapping):
            raw = data.get(name)
        else:
            return []
    except Exception:  # a broken mapping must not turn into a server error
        return []
    if raw is None:
        return []
    if isinstance(raw, str | int | float) and not isinstance(raw, bool):
        raw = [raw]
    if not isinstance(raw, list | tuple):
        return []
    return [str(item) for item in raw if isinstance(item, str | int | float) and not isinstance(item, bool)]


def get_value(data: Any, name: str) -> str:
    """The last string value posted under ``name`` (as ``QueryDict.get`` does), or ''."""
    values = get_values(data, name)
    return values[-1] if values else ""


def strip_controls(value: str, *, multiline: bool = False) -> str:
    """The text in NFC with control characters and lone surrogates removed.

    Nobody types a NUL byte or a lone surrogate, but they break PostgreSQL and
    JSON, so they are dropped rather than reported. Line breaks become spaces in
    single-line answers (a pasted address), and ``\\n`` in multi-line ones.
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n")
    kept = []
    for char in value:
        if char == "\n" or char == "\t":
            kept.append(char if multiline else " ")
        elif unicodedata.category(char) in ("Cc", "Cs"):
            continue
        else:
            kept.append(char)
    return unicodedata.normalize("NFC", "".join(kept)).strip()


def _redisplay(value: str) -> str:
    return value[:REDISPLAY_LIMIT].replace("\x00", "")


# ---------------------------------------------------------------------------
# Messages and formatting
# ---------------------------------------------------------------------------


def message(spec: FieldSpec, code: str, default: str) -> str:
    """The definition's ``error_<code>`` text in the active language if given, else ``default``."""
    override = spec.options.get(f"error_{code}")
    if isinstance(override, Mapping | str) and tr(override):
        return tr(override)
    return default


def _join_or(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    # Outside the f-string, so that makemessages finds it.
    word = pgettext("before the last item of a list", "or")
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def _is_int(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_translated(value: Any) -> bool:
    return isinstance(value, Mapping) and all(isinstance(value.get(lang), str) and value[lang] for lang in ("de", "en"))


# ---------------------------------------------------------------------------
# Base classes
# ---------------------------------------------------------------------------


class BaseFieldType(FieldType):
    """Common behaviour: option checking, required/optional handling, error overrides."""

    options_allowed: ClassVar[frozenset[str]] = frozenset()
    # the input a "required" error links to, for types whose first input is a part (date: "day")
    required_part: ClassVar[str | None] = None

    def required_message(self) -> str:
        """The message when a required field is left empty (a method, so gettext runs per request)."""
        return gettext("Enter an answer")

    def empty(self, spec: FieldSpec, part: str | None = None) -> Cleaned:
        """Nothing was entered: an error if the field is required, else no answer."""
        if not spec.required:
            return Cleaned(value=None)
        return self.error(spec, "required", self.required_message(), part=part or self.required_part)

    def error(self, spec: FieldSpec, code: str, default: str, part: str | None = None) -> Cleaned:
        return Cleaned(errors=[FieldError(spec.key, message(spec, code, default), part)])

    def choices(self, spec: FieldSpec) -> list[tuple[str, str]]:
        """(value, label) pairs for radios and checkboxes, in the active language."""
        return []

    def validate_spec(self, spec: FieldSpec) -> list[str]:
        if not isinstance(spec.options, Mapping):
            return ["options must be a mapping"]
        problems = []
        for name, value in spec.options.items():
            if isinstance(name, str) and name.startswith("error_"):
                if not _is_translated(value):
                    problems.append(f"option {name!r} needs a text in both German and English (de, en)")
            elif name not in self.options_allowed:
                allowed = ", ".join(sorted(self.options_allowed)) or "none"
                problems.append(f"unknown option {name!r} for type {self.name!r} (allowed: {allowed})")
        return problems + self.check_options(spec)

    def check_options(self, spec: FieldSpec) -> list[str]:
        """Type-specific problems with the options; only called with a mapping."""
        return []

    def _check_int_options(self, spec: FieldSpec, *names: str, minimum: int = 0) -> list[str]:
        problems = []
        for name in names:
            value = spec.options.get(name)
            if value is not None and (not _is_int(value) or value < minimum):
                problems.append(f"option {name!r} must be a whole number of at least {minimum}")
        return problems

    def _check_bool_options(self, spec: FieldSpec, *names: str) -> list[str]:
        return [
            f"option {name!r} must be true or false"
            for name in names
            if name in spec.options and not isinstance(spec.options[name], bool)
        ]


class SingleInputType(BaseFieldType):
    """A field with one text input named after its key."""

    multiline: ClassVar[bool] = False

    def raw_limit(self, spec: FieldSpec) -> int:
        return RAW_LIMIT

    def normalise(self, spec: FieldSpec, raw: str) -> str:
        """The typed text made comparable (controls removed, trimmed); subclasses go further."""
        return strip_controls(raw, multiline=self.multiline)

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        """The non-empty normalised text as an answer, or errors."""
        return Cleaned(value=text)

    def invalid(self, spec: FieldSpec) -> Cleaned:
        """The type's message for input it cannot accept, also used for absurdly long input."""
        return self.error(spec, "format", gettext("Your answer is too long"))

    def clean(self, spec: FieldSpec, data: Any, files: Any) -> Cleaned:
        raw = get_value(data, spec.key)
        if len(raw) > self.raw_limit(spec):
            return self.invalid(spec)
        text = self.normalise(spec, raw)
        if not text:
            return self.empty(spec)
        return self.convert(spec, text)

    def inputs(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: "" if value is None else self.format_input(value)})

    def raw_inputs(self, spec: FieldSpec, data: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: _redisplay(get_value(data, spec.key))})

    def format_input(self, value: Any) -> str:
        """An answer as it goes back into the input."""
        return str(value)


# ---------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


@field_types.register("text")
class TextType(SingleInputType):
    """A line of text. Options: min_length, max_length (200), pattern with pattern_message, autocomplete.

    Error codes: required, min_length, max_length (pattern_message replaces the pattern's message).
    """

    template = "applications/fields/text.html"
    default_max_length: ClassVar[int] = 200
    options_allowed = frozenset({"min_length", "max_length", "pattern", "pattern_message", "autocomplete"})

    def max_length(self, spec: FieldSpec) -> int:
        value = spec.options.get("max_length")
        return value if _is_int(value) and value > 0 else self.default_max_length

    def raw_limit(self, spec: FieldSpec) -> int:
        # Normalising can shorten a text (CR LF, combining marks), so allow slack.
        return self.max_length(spec) * 4 + 1000

    def invalid(self, spec: FieldSpec) -> Cleaned:
        count = self.max_length(spec)
        default = ngettext(
            "Your answer must be %(count)d character or less",
            "Your answer must be %(count)d characters or less",
            count,
        ) % {"count": count}
        return self.error(spec, "max_length", default)

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        if len(text) > self.max_length(spec):
            return self.invalid(spec)
        min_length = spec.options.get("min_length")
        if _is_int(min_length) and len(text) < min_length:
            default = ngettext(
                "Your answer must be %(count)d character or more",
                "Your answer must be %(count)d characters or more",
                min_length,
            ) % {"count": min_length}
            return self.error(spec, "min_length", default)
        pattern = spec.options.get("pattern")
        if isinstance(pattern, str) and pattern:
            try:
                matches = _compiled(pattern).fullmatch(text) is not None
            except re.error:  # a broken definition is reported by validate_spec, not here
                matches = True
            if not matches:
                custom = tr(spec.options.get("pattern_message"))
                return self.error(
                    spec, "pattern", custom or gettext("Check your answer: it is not in the right format")
                )
        return Cleaned(value=text)

    def check_options(self, spec: FieldSpec) -> list[str]:
        problems = self._check_int_options(spec, "min_length", minimum=0)
        problems += self._check_int_options(spec, "max_length", minimum=1)
        lo, hi = spec.options.get("min_length"), spec.options.get("max_length", self.default_max_length)
        if _is_int(lo) and _is_int(hi) and lo > hi:
            problems.append("option 'min_length' is larger than 'max_length'")
        pattern = spec.options.get("pattern")
        if pattern is not None:
            if not isinstance(pattern, str) or not pattern:
                problems.append("option 'pattern' must be a regular expression")
            else:
                try:
                    re.compile(pattern)
                except re.error as exc:
                    problems.append(f"option 'pattern' is not a valid regular expression: {exc}")
            if not _is_translated(spec.options.get("pattern_message")):
                problems.append("option 'pattern' needs a 'pattern_message' in both German and English")
        autocomplete = spec.options.get("autocomplete")
        if autocomplete is not None and (not isinstance(autocomplete, str) or not autocomplete.strip()):
            problems.append("option 'autocomplete' must be an autocomplete token such as 'given-name'")
        return problems


@field_types.register("textarea")
class TextareaType(TextType):
    """Several lines of text. Options as ``text``, max_length defaults to 2000."""

    template = "applications/fields/textarea.html"
    multiline = True
    default_max_length = 2000


# ---------------------------------------------------------------------------
# Number
# ---------------------------------------------------------------------------

_INTEGER = re.compile(r"[+-]?[0-9]{1,15}", re.ASCII)


@field_types.register("number")
class NumberType(SingleInputType):
    """A whole number. Options: min, max. Error codes: required, format, range."""

    template = "applications/fields/number.html"
    options_allowed = frozenset({"min", "max"})

    def required_message(self) -> str:
        return gettext("Enter a number")

    def raw_limit(self, spec: FieldSpec) -> int:
        return 100

    def normalise(self, spec: FieldSpec, raw: str) -> str:
        # NFKC turns full-width digits into ASCII; U+2212 is the typographic minus.
        return unicodedata.normalize("NFKC", strip_controls(raw)).replace("\u2212", "-").strip()

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(spec, "format", gettext("Enter a whole number, like 12"))

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        if not _INTEGER.fullmatch(text):
            return self.invalid(spec)
        number = int(text)
        lo, hi = spec.options.get("min"), spec.options.get("max")
        lo = lo if _is_int(lo) else None
        hi = hi if _is_int(hi) else None
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            if lo is not None and hi is not None:
                default = gettext("The number must be between %(min)s and %(max)s") % {"min": lo, "max": hi}
            elif lo is not None:
                default = gettext("The number must be %(min)s or more") % {"min": lo}
            else:
                default = gettext("The number must be %(max)s or less") % {"max": hi}
            return self.error(spec, "range", default)
        return Cleaned(value=number)

    def check_options(self, spec: FieldSpec) -> list[str]:
        problems = [
            f"option {name!r} must be a whole number"
            for name in ("min", "max")
            if name in spec.options and not _is_int(spec.options[name])
        ]
        lo, hi = spec.options.get("min"), spec.options.get("max")
        if _is_int(lo) and _is_int(hi) and lo > hi:
            problems.append("option 'min' is larger than 'max'")
        return problems


# ---------------------------------------------------------------------------
# Date
# ---------------------------------------------------------------------------

DATE_PARTS = ("day", "month", "year")

# Month names people type instead of numbers, in both languages (lower case, no dots).
_MONTH_NAMES: dict[str, int] = {}
for _number, _names in enumerate(
    [
        "jan januar january jänner",
        "feb februar february",
        "mar mär märz maerz march",
        "apr april",
        "may mai",
        "jun juni june",
        "jul juli july",
        "aug august",
        "sep sept september",
        "oct okt oktober october",
        "nov november",
        "dec dez dezember december",
    ],
    start=1,
):
    for _name in _names.split():
        _MONTH_NAMES[_name] = _number

_DIGITS = re.compile(r"[0-9]{1,2}", re.ASCII)
_YEAR = re.compile(r"[0-9]+", re.ASCII)


@field_types.register("date")
class DateType(BaseFieldType):
    """A date as day, month and year inputs, stored as an ISO string (``2026-03-05``).

    Options: not_in_future, not_in_past, max_days_ago, max_days_ahead, min_age,
    max_age (years, for birth dates), autocomplete ("bday" for a date of birth;
    implied by min_age/max_age). Error codes: required, not_in_future,
    not_in_past, range, min_age, max_age.
    """

    template = "applications/fields/date.html"
    required_part = "day"
    options_allowed = frozenset(
        {"not_in_future", "not_in_past", "max_days_ago", "max_days_ahead", "min_age", "max_age", "autocomplete"}
    )

    def required_message(self) -> str:
        return gettext("Enter a date")

    def clean(self, spec: FieldSpec, data: Any, files: Any) -> Cleaned:
        parts = {part: self._normalise(get_value(data, f"{spec.key}-{part}")) for part in DATE_PARTS}
        if not any(parts.values()):
            return self.empty(spec)
        missing = [part for part in DATE_PARTS if not parts[part]]
        if missing:
            return Cleaned(errors=[FieldError(spec.key, self._missing_message(missing), missing[0])])

        def not_real(part: str) -> Cleaned:
            return Cleaned(errors=[FieldError(spec.key, gettext("The date must be a real date"), part)])

        day = int(parts["day"]) if _DIGITS.fullmatch(parts["day"]) else None
        if day is None or not 1 <= day <= 31:
            return not_real("day")
        month = self._month(parts["month"])
        if month is None:
            return not_real("month")
        if not _YEAR.fullmatch(parts["year"]):
            return not_real("year")
        if len(parts["year"]) != 4:
            return Cleaned(errors=[FieldError(spec.key, gettext("The year must include 4 numbers"), "year")])
        year = int(parts["year"])
        allowed = form_dates()
        if year < allowed.first.year:
            message_ = gettext("The year must be %(year)s or later") % {"year": allowed.first.year}
            return Cleaned(errors=[FieldError(spec.key, message_, "year")])
        if year > allowed.last.year:
            message_ = gettext("The year must be %(year)s or earlier") % {"year": allowed.last.year}
            return Cleaned(errors=[FieldError(spec.key, message_, "year")])
        try:
            value = dt.date(year, month, day)
        except ValueError:
            return not_real("day")
        problem = self.check_rules(spec, value)
        if problem:
            code, default = problem
            # Rules about the whole date link to its first input, as GOV.UK does.
            return self.error(spec, code, default, part="day")
        return Cleaned(value=value.isoformat())

    @staticmethod
    def _normalise(raw: str) -> str:
        if len(raw) > 40:
            return "?"  # not a number, not a month name: reported as "not a real date"
        return unicodedata.normalize("NFKC", strip_controls(raw)).strip().rstrip(".").strip()

    @staticmethod
    def _month(text: str) -> int | None:
        if _DIGITS.fullmatch(text):
            number = int(text)
            return number if 1 <= number <= 12 else None
        return _MONTH_NAMES.get(text.casefold())

    @staticmethod
    def _missing_message(missing: list[str]) -> str:
        messages = {
            ("day",): gettext("The date must include a day"),
            ("month",): gettext("The date must include a month"),
            ("year",): gettext("The date must include a year"),
            ("day", "month"): gettext("The date must include a day and a month"),
            ("day", "year"): gettext("The date must include a day and a year"),
            ("month", "year"): gettext("The date must include a month and a year"),
        }
        return messages[tuple(missing)]

    def check_rules(self, spec: FieldSpec, value: dt.date) -> tuple[str, str] | None:
        """The first rule of the options that ``value`` breaks, as (error code, message)."""
        options = spec.options
        today = dates.today()
        if options.get("not_in_future") is True and value > today:
            return "not_in_future", gettext("The date must be today or in the past")
        if options.get("not_in_past") is True and value < today:
            return "not_in_past", gettext("The date must be today or in the future")
        days_ago, days_ahead = options.get("max_days_ago"), options.get("max_days_ahead")
        earliest = dates.add_days(today, -days_ago) if _is_int(days_ago) else None
        latest = dates.add_days(today, days_ahead) if _is_int(days_ahead) else None
        if (earliest and value < earliest) or (latest and value > latest):
            if earliest and latest:
                text = gettext("The date must be between %(earliest)s and %(latest)s") % {
                    "earliest": dates.format_day(earliest),
                    "latest": dates.format_day(latest),
                }
            elif earliest:
                text = gettext("The date must be the same as or after %(date)s") % {"date": dates.format_day(earliest)}
            else:
                assert latest is not None  # only the latest date can have been passed here
                text = gettext("The date must be the same as or before %(date)s") % {"date": dates.format_day(latest)}
            return "range", text
        min_age, max_age = options.get("min_age"), options.get("max_age")
        age = dates.age_on(value, today)
        if _is_int(min_age) and age < min_age:
            text = ngettext(
                "The person must be at least %(count)d year old",
                "The person must be at least %(count)d years old",
                min_age,
            ) % {"count": min_age}
            return "min_age", text
        if _is_int(max_age) and age > max_age:
            text = ngettext(
                "The person must be %(count)d year old or younger",
                "The person must be %(count)d years old or younger",
                max_age,
            ) % {"count": max_age}
            return "max_age", text
        return None

    def inputs(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        day = dates.parse_iso_date(value)
        if day is None:
            return FieldInputs(spec.key, {f"{spec.key}-{part}": "" for part in DATE_PARTS})
        return FieldInputs(
            spec.key,
            {f"{spec.key}-day": str(day.day), f"{spec.key}-month": str(day.month), f"{spec.key}-year": str(day.year)},
        )

    def raw_inputs(self, spec: FieldSpec, data: Any) -> dict[str, Any]:
        return FieldInputs(
            spec.key, {f"{spec.key}-{part}": get_value(data, f"{spec.key}-{part}")[:40] for part in DATE_PARTS}
        )

    def display(self, spec: FieldSpec, value: Any) -> str:
        day = dates.parse_iso_date(value)
        if day is None:
            return "" if value is None else str(value)
        return dates.format_day(day)

    def check_options(self, spec: FieldSpec) -> list[str]:
        problems = self._check_bool_options(spec, "not_in_future", "not_in_past")
        problems += self._check_int_options(spec, "max_days_ago", "max_days_ahead", "min_age", "max_age")
        options = spec.options
        if options.get("not_in_future") is True and options.get("not_in_past") is True:
            problems.append("options 'not_in_future' and 'not_in_past' together allow only today")
        lo, hi = options.get("min_age"), options.get("max_age")
        if _is_int(lo) and _is_int(hi) and lo > hi:
            problems.append("option 'min_age' is larger than 'max_age'")
        if options.get("autocomplete") not in (None, "bday"):
            problems.append("option 'autocomplete' of a date can only be 'bday'")
        return problems


# ---------------------------------------------------------------------------
# Time of day
# ---------------------------------------------------------------------------

# 14:30, 14.30, 14 30, 1430, 9:05, 14 (a full hour), with an optional "Uhr"/"h"; 24-hour clock.
_TIME = re.compile(r"([0-9]{1,2})(?:\s*[:.h ]\s*([0-9]{2})|([0-9]{2}))?", re.ASCII)


@field_types.register("time")
class TimeType(SingleInputType):
    """A time of day on the 24-hour clock, one input, stored as ``HH:MM`` ("14:30").

    Takes 14:30, 14.30, 1430, 9:05, 14 and "14:30 Uhr". Whether a time lies in the future depends on its
    date, so that is a rule of the form (a ``checks`` rule or a service rule). Error codes: required, format.
    """

    template = "applications/fields/time.html"

    def required_message(self) -> str:
        return gettext("Enter a time")

    def raw_limit(self, spec: FieldSpec) -> int:
        return 40

    def normalise(self, spec: FieldSpec, raw: str) -> str:
        text = unicodedata.normalize("NFKC", strip_controls(raw)).casefold().strip()
        for suffix in ("uhr", "h"):
            text = text.removesuffix(suffix).strip()
        return text

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(spec, "format", gettext("Enter a time on the 24-hour clock, like 14:30"))

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        match = _TIME.fullmatch(text)
        if match is None:
            return self.invalid(spec)
        hour, minute = int(match.group(1)), int(match.group(2) or match.group(3) or 0)
        if hour > 23 or minute > 59:
            return self.invalid(spec)
        return Cleaned(value=f"{hour:02d}:{minute:02d}")

    def display(self, spec: FieldSpec, value: Any) -> str:
        # German says "14:30 Uhr".
        return pgettext("time of day", "%(time)s") % {"time": value} if isinstance(value, str) else ""


# ---------------------------------------------------------------------------
# Choices
# ---------------------------------------------------------------------------


def _choice_problems(spec: FieldSpec) -> list[str]:
    choices = spec.options.get("choices")
    if not isinstance(choices, list) or not choices:
        return ["option 'choices' must be a non-empty list of {value, label}"]
    problems, seen = [], set()
    for number, choice in enumerate(choices, start=1):
        if not isinstance(choice, Mapping):
            problems.append(f"choice {number} must be a mapping with 'value' and 'label'")
            continue
        value = choice.get("value")
        if not isinstance(value, str) or not value.strip():
            problems.append(f"choice {number} has no value (values must be text: quote yes, no and numbers in YAML)")
        elif value in seen:
            problems.append(f"choice value {value!r} appears twice")
        else:
            seen.add(value)
        if not _is_translated(choice.get("label")):
            problems.append(f"choice {number} needs a label in both German and English (de, en)")
        unknown = set(choice) - {"value", "label", "hint"}
        if unknown:
            problems.append(f"choice {number} has unknown keys: {', '.join(sorted(map(str, unknown)))}")
    return problems


class _ChoicesMixin(BaseFieldType):
    def choices(self, spec: FieldSpec) -> list[tuple[str, str]]:
        choices = spec.options.get("choices")
        if not isinstance(choices, list):
            return []
        return [
            (choice["value"], tr(choice.get("label")))
            for choice in choices
            if isinstance(choice, Mapping) and isinstance(choice.get("value"), str)
        ]

    def check_options(self, spec: FieldSpec) -> list[str]:
        return _choice_problems(spec)


@field_types.register("choice")
class ChoiceType(_ChoicesMixin):
    """One of options.choices, as radios. Error codes: required."""

    template = "applications/fields/choice.html"
    options_allowed = frozenset({"choices"})

    def required_message(self) -> str:
        return gettext("Select an option")

    def clean(self, spec: FieldSpec, data: Any, files: Any) -> Cleaned:
        raw = get_value(data, spec.key)
        if not raw:
            return self.empty(spec)
        values = {value for value, _label in self.choices(spec)}
        if raw not in values:
            # Only a hand-made request gets here; the same words as for "nothing selected".
            return self.error(spec, "required", self.required_message())
        return Cleaned(value=raw)

    def inputs(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: value if isinstance(value, str) else ""})

    def raw_inputs(self, spec: FieldSpec, data: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: get_value(data, spec.key)[:REDISPLAY_LIMIT]})

    def display(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, str):
            return "" if value is None else str(value)
        return dict(self.choices(spec)).get(value, value)


@field_types.register("multichoice")
class MultiChoiceType(_ChoicesMixin):
    """Any of options.choices, as checkboxes; stored in the order of the choices.

    Options: choices, min_selected, max_selected. Error codes: required, min_selected, max_selected.
    """

    template = "applications/fields/multichoice.html"
    options_allowed = frozenset({"choices", "min_selected", "max_selected"})

    def required_message(self) -> str:
        return gettext("Select at least one option")

    def clean(self, spec: FieldSpec, data: Any, files: Any) -> Cleaned:
        posted = set(get_values(data, spec.key)[:1000])
        posted.discard("")
        if not posted:
            return self.empty(spec)
        known = [value for value, _label in self.choices(spec)]
        if posted - set(known):
            return self.error(spec, "required", gettext("Select only options from the list"))
        selected = [value for value in known if value in posted]
        lo, hi = spec.options.get("min_selected"), spec.options.get("max_selected")
        if _is_int(lo) and len(selected) < lo:
            text = ngettext("Select at least %(count)d option", "Select at least %(count)d options", lo) % {"count": lo}
            return self.error(spec, "min_selected", text)
        if _is_int(hi) and len(selected) > hi:
            text = ngettext("Select no more than %(count)d option", "Select no more than %(count)d options", hi) % {
                "count": hi
            }
            return self.error(spec, "max_selected", text)
        return Cleaned(value=selected)

    def inputs(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        values = [item for item in value if isinstance(item, str)] if isinstance(value, list) else []
        return FieldInputs(spec.key, {spec.key: values})

    def raw_inputs(self, spec: FieldSpec, data: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: [value[:200] for value in get_values(data, spec.key)[:1000]]})

    def display(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, list):
            return "" if value is None else str(value)
        labels = dict(self.choices(spec))
        return ", ".join(labels.get(item, str(item)) for item in value)

    def check_options(self, spec: FieldSpec) -> list[str]:
        problems = super().check_options(spec) + self._check_int_options(spec, "min_selected", "max_selected")
        lo, hi = spec.options.get("min_selected"), spec.options.get("max_selected")
        if _is_int(lo) and _is_int(hi) and lo > hi:
            problems.append("option 'min_selected' is larger than 'max_selected'")
        choices = spec.options.get("choices")
        if _is_int(lo) and isinstance(choices, list) and lo > len(choices):
            problems.append("option 'min_selected' is larger than the number of choices")
        return problems


@field_types.register("yesno")
class YesNoType(BaseFieldType):
    """Yes or no as two radios ("yes"/"no"), stored as a bool. Error codes: required."""

    template = "applications/fields/yesno.html"

    def required_message(self) -> str:
        return gettext("Select yes or no")

    def choices(self, spec: FieldSpec) -> list[tuple[str, str]]:
        return [("yes", gettext("Yes")), ("no", gettext("No"))]

    def clean(self, spec: FieldSpec, data: Any, files: Any) -> Cleaned:
        raw = get_value(data, spec.key)
        if raw == "yes":
            return Cleaned(value=True)
        if raw == "no":
            return Cleaned(value=False)
        if not raw:
            return self.empty(spec)
        return self.error(spec, "required", self.required_message())

    def inputs(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: "yes" if value is True else "no" if value is False else ""})

    def raw_inputs(self, spec: FieldSpec, data: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: get_value(data, spec.key)[:10]})

    def display(self, spec: FieldSpec, value: Any) -> str:
        if value is True:
            return gettext("Yes")
        if value is False:
            return gettext("No")
        return ""


# ---------------------------------------------------------------------------
# Contact details
# ---------------------------------------------------------------------------

# No "localhost": Django's default allow-list would accept name@localhost.
_email_validator = EmailValidator(allowlist=[])


@field_types.register("email")
class EmailType(SingleInputType):
    """An email address; the domain is lower-cased. Error codes: required, format."""

    template = "applications/fields/email.html"
    autocomplete = "email"

    def required_message(self) -> str:
        return gettext("Enter an email address")

    def raw_limit(self, spec: FieldSpec) -> int:
        return 1000

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(
            spec, "format", gettext("Enter an email address in the correct format, like name@example.com")
        )

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        if len(text) > 254 or " " in text:
            return self.invalid(spec)
        try:
            _email_validator(text)
        except ValidationError:
            return self.invalid(spec)
        local, _at, domain = text.rpartition("@")
        # Only the domain is case-insensitive; the local part belongs to the mail server.
        return Cleaned(value=f"{local}@{domain.lower()}")


@field_types.register("phone")
class PhoneType(SingleInputType):
    """A telephone number, stored in E.164 (+495611234567). Options: region (default DE).

    Error codes: required, format.
    """

    template = "applications/fields/phone.html"
    autocomplete = "tel"
    options_allowed = frozenset({"region"})

    def required_message(self) -> str:
        return gettext("Enter a telephone number")

    def raw_limit(self, spec: FieldSpec) -> int:
        return 100

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(spec, "format", gettext("Enter a telephone number, like 0561 123456 or +49 561 123456"))

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        region = spec.options.get("region", "DE")
        try:
            number = phonenumbers.parse(text, region if isinstance(region, str) else "DE")
        except phonenumbers.NumberParseException:
            return self.invalid(spec)
        if not phonenumbers.is_valid_number(number):
            return self.invalid(spec)
        return Cleaned(value=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))

    def format_input(self, value: Any) -> str:
        return self.display(FieldSpec("", "phone", {}), value)

    def display(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, str) or not value:
            return "" if value is None else str(value)
        try:
            number = phonenumbers.parse(value, None)
        except phonenumbers.NumberParseException:
            return value
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)

    def check_options(self, spec: FieldSpec) -> list[str]:
        region = spec.options.get("region")
        if region is not None and region not in phonenumbers.SUPPORTED_REGIONS:
            return [f"option 'region' must be a two-letter region code such as 'DE', not {region!r}"]
        return []


_POSTCODE = re.compile(r"(?!00)[0-9]{5}", re.ASCII)


def clean_postcode(raw: str) -> str | None:
    """A German postcode without spaces, or None if ``raw`` is not one."""
    if len(raw) > 40:
        return None
    text = re.sub(r"\s", "", unicodedata.normalize("NFKC", strip_controls(raw)))
    return text if _POSTCODE.fullmatch(text) else None


def _postcode_message() -> str:
    return gettext("Enter a postcode with 5 numbers, like 34117")


@field_types.register("postcode")
class PostcodeType(SingleInputType):
    """A German postcode (5 digits). Error codes: required, format."""

    template = "applications/fields/postcode.html"
    autocomplete = "postal-code"

    def required_message(self) -> str:
        return gettext("Enter a postcode, like 34117")

    def raw_limit(self, spec: FieldSpec) -> int:
        return 100

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(spec, "format", _postcode_message())

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        postcode = clean_postcode(text)
        if postcode is None:
            return self.invalid(spec)
        return Cleaned(value=postcode)


# ---------------------------------------------------------------------------
# Fields of several inputs
# ---------------------------------------------------------------------------


class MultiPartType(BaseFieldType):
    """A field stored as a dict, one input ``<key>-<part>`` per part."""

    parts: ClassVar[tuple[str, ...]] = ()
    max_lengths: ClassVar[dict[str, int]] = {}

    def active_parts(self, spec: FieldSpec) -> tuple[str, ...]:
        return self.parts

    def optional_parts(self, spec: FieldSpec) -> frozenset[str]:
        return frozenset()

    def part_required_message(self, part: str) -> str:
        raise NotImplementedError

    def part_too_long_message(self, part: str, count: int) -> str:
        raise NotImplementedError

    def check_part(self, part: str, text: str) -> tuple[str, str | None]:
        """The part's text made ready to store, and an error message if it is not acceptable."""
        return text, None

    def clean(self, spec: FieldSpec, data: Any, files: Any) -> Cleaned:
        texts = {}
        for part in self.active_parts(spec):
            raw = get_value(data, f"{spec.key}-{part}")
            texts[part] = strip_controls(raw) if len(raw) <= RAW_LIMIT else raw
        if not any(texts.values()):
            return self.empty(spec, part=self.active_parts(spec)[0])
        errors, value = [], {}
        for part, text in texts.items():
            if not text:
                if part not in self.optional_parts(spec):
                    errors.append(FieldError(spec.key, self.part_required_message(part), part))
                value[part] = ""
                continue
            limit = self.max_lengths[part]
            if len(text) > limit:
                errors.append(FieldError(spec.key, self.part_too_long_message(part, limit), part))
                continue
            cleaned, problem = self.check_part(part, text)
            if problem:
                errors.append(FieldError(spec.key, problem, part))
            value[part] = cleaned
        if errors:
            return Cleaned(errors=errors)
        return Cleaned(value=value)

    def inputs(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        value = value if isinstance(value, Mapping) else {}
        return FieldInputs(
            spec.key, {f"{spec.key}-{part}": str(value.get(part) or "") for part in self.active_parts(spec)}
        )

    def raw_inputs(self, spec: FieldSpec, data: Any) -> dict[str, Any]:
        return FieldInputs(
            spec.key,
            {
                f"{spec.key}-{part}": get_value(data, f"{spec.key}-{part}")[: self.max_lengths[part] * 4]
                for part in self.active_parts(spec)
            },
        )


@field_types.register("address")
class AddressType(MultiPartType):
    """A German address: street, number, postcode and town. Option: country (only "DE").

    Error codes: required (when all parts are empty).
    """

    template = "applications/fields/address.html"
    parts = ("street", "number", "postcode", "town")
    max_lengths = {"street": 100, "number": 10, "postcode": 10, "town": 60}
    options_allowed = frozenset({"country"})

    def required_message(self) -> str:
        return gettext("Enter the street and house number")

    def part_required_message(self, part: str) -> str:
        return {
            "street": gettext("Enter the street"),
            "number": gettext("Enter the house number"),
            "postcode": gettext("Enter a postcode, like 34117"),
            "town": gettext("Enter the town or city"),
        }[part]

    def part_too_long_message(self, part: str, count: int) -> str:
        if part == "postcode":
            return _postcode_message()
        if part == "number":
            return ngettext(
                "The house number must be %(count)d character or less",
                "The house number must be %(count)d characters or less",
                count,
            ) % {"count": count}
        if part == "town":
            return ngettext(
                "The town or city must be %(count)d character or less",
                "The town or city must be %(count)d characters or less",
                count,
            ) % {"count": count}
        return ngettext(
            "The street must be %(count)d character or less",
            "The street must be %(count)d characters or less",
            count,
        ) % {"count": count}

    def check_part(self, part: str, text: str) -> tuple[str, str | None]:
        if part == "postcode":
            postcode = clean_postcode(text)
            return (postcode, None) if postcode else (text, _postcode_message())
        return text, None

    def display(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, Mapping):
            return "" if value is None else str(value)
        street = " ".join(str(value.get(part) or "") for part in ("street", "number")).strip()
        town = " ".join(str(value.get(part) or "") for part in ("postcode", "town")).strip()
        return ", ".join(item for item in (street, town) if item)

    def check_options(self, spec: FieldSpec) -> list[str]:
        if spec.options.get("country", "DE") != "DE":
            return ["option 'country' of an address can only be 'DE' for now"]
        return []


def _name_problem(text: str) -> str | None:
    # Letters of any script, combining marks, spaces, hyphens, apostrophes and dots:
    # enough for "Anne-Marie O’Neill", "Nguyễn Văn A." and "Müller-Lüdenscheidt".
    for char in text:
        if char in " -'’." or unicodedata.category(char)[0] in "LM":
            continue
        return gettext("Names can only include letters, spaces, hyphens, apostrophes and full stops")
    return None


@field_types.register("person_name")
class PersonNameType(MultiPartType):
    """Given names, family name and (optional) birth name. Option: with_birth_name (default true).

    Error codes: required (when all parts are empty).
    """

    template = "applications/fields/person_name.html"
    parts = ("given_names", "family_name", "birth_name")
    max_lengths = {"given_names": 100, "family_name": 100, "birth_name": 100}
    options_allowed = frozenset({"with_birth_name"})

    def required_message(self) -> str:
        return gettext("Enter the given names")

    def active_parts(self, spec: FieldSpec) -> tuple[str, ...]:
        if spec.options.get("with_birth_name", True) is False:
            return self.parts[:2]
        return self.parts

    def optional_parts(self, spec: FieldSpec) -> frozenset[str]:
        return frozenset({"birth_name"})

    def part_required_message(self, part: str) -> str:
        return {"given_names": gettext("Enter the given names"), "family_name": gettext("Enter the family name")}[part]

    def empty(self, spec: FieldSpec, part: str | None = None) -> Cleaned:
        """Nothing entered in a required name: each missing name is reported, not only the given names."""
        if not spec.required:
            return Cleaned(value=None)
        first, *others = [p for p in self.active_parts(spec) if p not in self.optional_parts(spec)]
        errors = [FieldError(spec.key, message(spec, "required", self.required_message()), first)]
        errors += [FieldError(spec.key, self.part_required_message(other), other) for other in others]
        return Cleaned(errors=errors)

    def part_too_long_message(self, part: str, count: int) -> str:
        return ngettext(
            "A name must be %(count)d character or less", "A name must be %(count)d characters or less", count
        ) % {"count": count}

    def check_part(self, part: str, text: str) -> tuple[str, str | None]:
        return text, _name_problem(text)

    def display(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, Mapping):
            return "" if value is None else str(value)
        name = " ".join(str(value.get(part) or "") for part in ("given_names", "family_name")).strip()
        birth_name = str(value.get("birth_name") or "")
        if birth_name and birth_name != value.get("family_name"):
            return gettext("%(name)s (born %(birth_name)s)") % {"name": name, "birth_name": birth_name}
        return name

    def check_options(self, spec: FieldSpec) -> list[str]:
        return self._check_bool_options(spec, "with_birth_name")


# ---------------------------------------------------------------------------
# Bank account
# ---------------------------------------------------------------------------

_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{1,30}", re.ASCII)


@field_types.register("iban")
class IbanType(SingleInputType):
    """An IBAN, stored compact and upper-case, shown in groups of four. Error codes: required, format, checksum."""

    template = "applications/fields/iban.html"

    def required_message(self) -> str:
        return gettext("Enter an IBAN")

    def raw_limit(self, spec: FieldSpec) -> int:
        return 200

    def normalise(self, spec: FieldSpec, raw: str) -> str:
        text = unicodedata.normalize("NFKC", strip_controls(raw))
        return re.sub(r"[\s\-]", "", text).upper()

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(
            spec, "format", gettext("Enter an IBAN in the correct format, like DE89 3704 0044 0532 0130 00")
        )

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        if not _IBAN_SHAPE.fullmatch(text):
            return self.invalid(spec)
        try:
            value = stdnum_iban.validate(text)
        except InvalidChecksum:
            # stdnum checks the check digits first; a number that is too short or
            # shaped wrongly for its country is a format problem, not a typo in one digit.
            if not self._shape_is_right(text):
                return self.invalid(spec)
            return self.error(
                spec, "checksum", gettext("Enter a real IBAN. You can find it on your bank card or bank statement")
            )
        except StdnumValidationError:
            return self.invalid(spec)
        return Cleaned(value=value)

    @staticmethod
    def _shape_is_right(text: str) -> bool:
        try:
            stdnum_iban.validate(text[:2] + stdnum_iban.calc_check_digits(text) + text[4:])
        except StdnumValidationError:
            return False
        return True

    def format_input(self, value: Any) -> str:
        return self.display(FieldSpec("", "iban", {}), value)

    def display(self, spec: FieldSpec, value: Any) -> str:
        if not isinstance(value, str):
            return "" if value is None else str(value)
        return stdnum_iban.format(value)

    def display_in_summary(self, spec: FieldSpec, value: Any) -> str:
        """Country, check digits and the last two characters; the rest masked, as on a bank's receipt."""
        if not isinstance(value, str) or len(value) < 8:
            return self.display(spec, value)
        masked = value[:4] + "•" * (len(value) - 6) + value[-2:]
        return " ".join(masked[start : start + 4] for start in range(0, len(masked), 4))


# ---------------------------------------------------------------------------
# Files and consent
# ---------------------------------------------------------------------------

# What a file is, judged by its first bytes; its name and the browser's claim are never trusted.
MAGIC_NUMBERS: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}
FILE_TYPE_NAMES = {"pdf": "PDF", "jpeg": "JPG", "png": "PNG"}


def detect_file_type(head: bytes) -> str | None:
    """The kind of file ("pdf", "jpeg" or "png") that starts with ``head``, or None."""
    for kind, (magic, _content_type) in MAGIC_NUMBERS.items():
        if head.startswith(magic):
            return kind
    return None


def _read_head(upload: UploadedFile, size: int = 8) -> bytes:
    try:
        upload.seek(0)
        head = upload.read(size)
        upload.seek(0)
    except Exception:  # a closed or broken temporary file counts as unreadable, not as a crash
        return b""
    return head if isinstance(head, bytes) else b""


@field_types.register("file")
class FileType(BaseFieldType):
    """An uploaded PDF, JPEG or PNG. Options: max_size_mb (10), accept (subset of pdf, jpeg, png).

    The cleaned value is the ``UploadedFile`` itself, with ``content_type`` set to
    the detected type; the caller stores it and keeps the reference
    ``{"id", "name", "size", "content_type"}`` as the answer. When no new file
    is sent, the reference passed in as ``data["<key>-stored"]`` is kept.
    Error codes: required, empty, size, type.
    """

    template = "applications/fields/file.html"
    options_allowed = frozenset({"max_size_mb", "accept"})
    default_max_size_mb: ClassVar[int] = 10

    def required_message(self) -> str:
        return gettext("Select a file")

    def accepted(self, spec: FieldSpec) -> list[str]:
        accept = spec.options.get("accept")
        if isinstance(accept, list) and accept:
            return [kind for kind in MAGIC_NUMBERS if kind in accept]
        return list(MAGIC_NUMBERS)

    def max_size_mb(self, spec: FieldSpec) -> int | float:
        value = spec.options.get("max_size_mb")
        if isinstance(value, int | float) and not isinstance(value, bool) and value > 0:
            return value
        return self.default_max_size_mb

    def choices(self, spec: FieldSpec) -> list[tuple[str, str]]:
        # Lets the template build the input's accept attribute and name the types.
        return [(kind, FILE_TYPE_NAMES[kind]) for kind in self.accepted(spec)]

    def clean(self, spec: FieldSpec, data: Any, files: Any) -> Cleaned:
        upload = self._upload(files, spec.key)
        if upload is None:
            stored = self.stored(data, spec.key)
            return Cleaned(value=stored) if stored else self.empty(spec)
        size = upload.size if _is_int(upload.size) else None
        if size is None or size <= 0:
            return self.error(spec, "empty", gettext("The selected file is empty"))
        max_mb = self.max_size_mb(spec)
        if size > max_mb * 1024 * 1024:
            text = gettext("The selected file must be smaller than %(size)s MB") % {"size": f"{max_mb:g}"}
            return self.error(spec, "size", text)
        kind = detect_file_type(_read_head(upload))
        accepted = self.accepted(spec)
        if kind not in accepted:
            names = _join_or([FILE_TYPE_NAMES[item] for item in accepted])
            return self.error(spec, "type", gettext("The selected file must be a %(types)s") % {"types": names})
        # From here on the detected type is the only one anybody sees.
        upload.content_type = MAGIC_NUMBERS[kind][1]
        return Cleaned(value=upload)

    @staticmethod
    def _upload(files: Any, key: str) -> UploadedFile | None:
        if files is None:
            return None
        try:
            upload = files.get(key)
        except Exception:
            return None
        if isinstance(upload, list | tuple):
            upload = upload[-1] if upload else None
        return upload if isinstance(upload, UploadedFile) else None

    @staticmethod
    def stored(data: Any, key: str) -> dict[str, Any] | None:
        """The reference to a file stored earlier, as the caller passed it in ``data``."""
        try:
            stored = data.get(f"{key}-stored") if data is not None else None
        except Exception:
            return None
        if isinstance(stored, Mapping) and stored.get("id"):
            return dict(stored)
        return None

    def inputs(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        stored = dict(value) if isinstance(value, Mapping) else None
        return FieldInputs(spec.key, {spec.key: "", f"{spec.key}-stored": stored})

    def raw_inputs(self, spec: FieldSpec, data: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: "", f"{spec.key}-stored": self.stored(data, spec.key)})

    def display(self, spec: FieldSpec, value: Any) -> str:
        if isinstance(value, Mapping):
            name, size = str(value.get("name") or ""), value.get("size")
        elif isinstance(value, UploadedFile):
            name, size = str(value.name or ""), value.size
        else:
            return "" if value is None else str(value)
        return f"{name} ({filesizeformat(size)})" if _is_int(size) else name

    def check_options(self, spec: FieldSpec) -> list[str]:
        problems = []
        size = spec.options.get("max_size_mb")
        if size is not None and (not isinstance(size, int | float) or isinstance(size, bool) or size <= 0):
            problems.append("option 'max_size_mb' must be a positive number")
        accept = spec.options.get("accept")
        if accept is not None:
            if not isinstance(accept, list) or not accept:
                problems.append("option 'accept' must be a non-empty list of: jpeg, pdf, png")
            else:
                unknown = [str(item) for item in accept if item not in MAGIC_NUMBERS]
                if unknown:
                    problems.append(
                        f"option 'accept' has unknown file types: {', '.join(unknown)} (allowed: jpeg, pdf, png)"
                    )
        return problems


@field_types.register("consent")
class ConsentType(BaseFieldType):
    """A single checkbox that must be ticked when required; stored as True. Option: text.

    Error codes: required.
    """

    template = "applications/fields/consent.html"
    options_allowed = frozenset({"text"})

    def required_message(self) -> str:
        return gettext("Tick the box to confirm")

    def choices(self, spec: FieldSpec) -> list[tuple[str, str]]:
        return [("yes", tr(spec.options.get("text")) or tr(spec.label))]

    def clean(self, spec: FieldSpec, data: Any, files: Any) -> Cleaned:
        if get_value(data, spec.key) == "yes":
            return Cleaned(value=True)
        return self.empty(spec)

    def inputs(self, spec: FieldSpec, value: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: "yes" if value is True else ""})

    def raw_inputs(self, spec: FieldSpec, data: Any) -> dict[str, Any]:
        return FieldInputs(spec.key, {spec.key: "yes" if get_value(data, spec.key) == "yes" else ""})

    def display(self, spec: FieldSpec, value: Any) -> str:
        return gettext("Yes") if value is True else ""

    def check_options(self, spec: FieldSpec) -> list[str]:
        text = spec.options.get("text")
        if text is not None and not _is_translated(text):
            return ["option 'text' needs a text in both German and English (de, en)"]
        return []
