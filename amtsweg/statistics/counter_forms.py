"""The forms of the counter transactions page: one batch by hand, or a CSV file."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from amtsweg.catalogue.models import Service
from amtsweg.core.forms import KernFormMixin

from . import counter

DATE_PARTS = ("day", "month", "year")
_DIGITS = re.compile(r"[0-9]+", re.ASCII)
_LONGEST_PART = 20  # anything longer is no day, month or year


def _normalise(raw: Any) -> str:
    text = raw if isinstance(raw, str) else ""
    if len(text) > _LONGEST_PART:
        return "?"
    return unicodedata.normalize("NFKC", text).strip().rstrip(".").strip()


class CounterForm(KernFormMixin, forms.Form):
    """Service, number and day of a batch of counter transactions. The day is asked as day, month and year
    (the inputs ``date-day``, ``date-month``, ``date-year``, drawn like the citizen forms' date field);
    ``cleaned_data["date"]`` is the day."""

    service = forms.ChoiceField(
        label=pgettext_lazy("counter transactions", "Service"),
        error_messages={
            "required": gettext_lazy("Select the service"),
            "invalid_choice": gettext_lazy("Select one of your department's services"),
        },
    )
    count = forms.CharField(
        label=gettext_lazy("Number of transactions"),
        help_text=gettext_lazy("A whole number from 1 to 10,000."),
        max_length=20,
        error_messages={"required": gettext_lazy("Enter the number of transactions")},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, services: Iterable[Service], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.services = {service.slug: service for service in services}
        cast(forms.ChoiceField, self.fields["service"]).choices = [("", _("Select a service"))] + [
            (slug, f"{service.name} ({service.department.name})") for slug, service in self.services.items()
        ]
        for part in DATE_PARTS:
            self.fields[f"date-{part}"] = forms.CharField(required=False)

    def clean_service(self) -> Service:
        return self.services[self.cleaned_data["service"]]

    def clean_count(self) -> int:
        text = _normalise(self.cleaned_data["count"])
        if not _DIGITS.fullmatch(text) or counter.count_problem(int(text)):
            raise forms.ValidationError(counter.count_message())
        return int(text)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or self.cleaned_data
        parts = {part: _normalise(self.data.get(f"date-{part}")) for part in DATE_PARTS}
        day = self._day(parts)
        if day is not None:
            data["date"] = day
        return data

    def _day(self, parts: dict[str, str]) -> dt.date | None:
        """The day of the three inputs; on a problem, the message on the input it concerns (the first one for
        a problem of the whole date, as GOV.UK does)."""
        if not any(parts.values()):
            self.add_error("date-day", _("Enter the date of the transactions"))
            return None
        missing = [part for part in DATE_PARTS if not parts[part]]
        if missing:
            self.add_error(f"date-{missing[0]}", _missing_message(missing))
            return None
        numbers = {part: int(value) if _DIGITS.fullmatch(value) else None for part, value in parts.items()}
        for part, low, high in (("day", 1, 31), ("month", 1, 12)):
            number = numbers[part]
            if number is None or not low <= number <= high:
                self.add_error(f"date-{part}", _("The date must be a real date"))
                return None
        if numbers["year"] is None or len(parts["year"]) != 4:
            self.add_error("date-year", _("The year must include 4 numbers"))
            return None
        try:
            day = dt.date(numbers["year"], numbers["month"], numbers["day"])  # type: ignore[arg-type]
        except ValueError:
            self.add_error("date-day", _("The date must be a real date"))
            return None
        problem = counter.day_problem(day)
        if problem:
            self.add_error("date-day", problem)
            return None
        return day

    def date_errors(self) -> list[dict[str, str]]:
        """The date's messages for ``applications/fields/date.html``: each with the input it concerns."""
        return [
            {"message": str(message), "part": part}
            for part in DATE_PARTS
            for message in self.errors.get(f"date-{part}", [])
        ]

    def date_inputs(self) -> dict[str, str]:
        """What was typed into the date's inputs, kept after an error."""
        return {part: str(self.data.get(f"date-{part}", ""))[:_LONGEST_PART] for part in DATE_PARTS}


def _missing_message(missing: list[str]) -> str:
    messages = {
        ("day",): _("The date must include a day"),
        ("month",): _("The date must include a month"),
        ("year",): _("The date must include a year"),
        ("day", "month"): _("The date must include a day and a month"),
        ("day", "year"): _("The date must include a day and a year"),
        ("month", "year"): _("The date must include a month and a year"),
    }
    return messages[tuple(missing)]


class CounterImportForm(KernFormMixin, forms.Form):
    """The CSV file to import; its content is checked by ``counter.counter_csv_read``."""

    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy("At most 1 MB and 5,000 lines."),
        error_messages={
            "required": gettext_lazy("Select a CSV file"),
            "empty": gettext_lazy("The file is empty"),
            "invalid": gettext_lazy("Select a CSV file"),
        },
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )

    again = forms.BooleanField(
        label=gettext_lazy("Import even so"),
        help_text=gettext_lazy(
            "Only if counter transactions are already recorded for the file's services and days, and the file has "
            "not been imported before."
        ),
        required=False,
    )

    def clean_file(self) -> bytes:
        upload = self.cleaned_data["file"]
        if upload.size > counter.COUNTER_IMPORT_MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 1 MB"))
        upload.seek(0)
        return bytes(upload.read(counter.COUNTER_IMPORT_MAX_BYTES + 1))
