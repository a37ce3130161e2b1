"""Counter transactions: the limits of what staff may record, and the reading of an imported CSV file.

A batch of counter transactions is one ``CaseRecord`` (channel counter, ``count`` transactions on one day),
so the online and the counter share of a service come from the same rows. Nothing in it says who recorded it.

The CSV file is what the office's own software exports, or a sheet kept by hand: a header line with the
columns ``Dienstleistung`` (the service's slug or LeiKa key), ``Datum`` (``YYYY-MM-DD`` or ``DD.MM.YYYY``)
and ``Anzahl`` (or ``service``, ``date``, ``count``), in any order, other columns ignored; separated by
semicolons (German spreadsheet programs) or commas; UTF-8 with or without BOM (Windows-1252, which older
German Excel versions write, is read too: the values that matter are plain ASCII). Every line is checked
before anything is written, and a file with one wrong line imports nothing.

Lines of one file with the same service and day are added up into one batch: a batch then stands for
"this service on this day, from this file", which is what staff see in the list and can remove as a whole.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext

from amtsweg.core import dates

# The most transactions one batch (or one line of a file) may hold: more in one day at one service is
# surely a typing error (an extra zero), and a PositiveIntegerField holds far more.
COUNTER_MAX_COUNT = 10_000
# How far back transactions may be recorded: the figures are reported per quarter and year, and an office
# catching up on a backlog needs at most the last two years. Kept a constant (not a setting) until an office
# asks for another span.
COUNTER_MONTHS_BACK = 24
# An import file's limits: a year of daily lines for a dozen services fits many times.
COUNTER_IMPORT_MAX_BYTES = 1024 * 1024
COUNTER_IMPORT_MAX_LINES = 5_000
# The status a counter batch is recorded with: the transaction was done at the counter.
COUNTER_FINAL_STATUS = "completed"

# The header names accepted for each column, compared case-insensitively.
COLUMNS = {
    "service": ("dienstleistung", "service"),
    "date": ("datum", "date"),
    "count": ("anzahl", "count"),
}
TEMPLATE_HEADER = ("Dienstleistung", "Datum", "Anzahl")

_ISO_DAY = re.compile(r"([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})", re.ASCII)
_GERMAN_DAY = re.compile(r"([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})", re.ASCII)
_WHOLE_NUMBER = re.compile(r"[0-9]{1,6}", re.ASCII)
# Control characters other than tab, line feed and carriage return: a binary file, not text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SHOWN_VALUE = 40  # a value quoted back in a message is cut to this length


def counter_days() -> dates.DateRange:
    """The days counter transactions may be recorded for: today and the ``COUNTER_MONTHS_BACK`` months before."""
    today = dates.today()
    return dates.DateRange(dates.add_months(today, -COUNTER_MONTHS_BACK), today)


def day_problem(day: dt.date) -> str | None:
    """Why counter transactions cannot be recorded for ``day`` (in the future, too long ago), or None."""
    within = counter_days()
    if day > within.last:
        return gettext("The date must be today or in the past")
    if day < within.first:
        return gettext("The date must be the same as or after %(date)s") % {"date": dates.format_day(within.first)}
    return None


def count_problem(count: int) -> str | None:
    """Why ``count`` is no number of transactions (not 1 to ``COUNTER_MAX_COUNT``), or None."""
    if not 1 <= count <= COUNTER_MAX_COUNT:
        return count_message()
    return None


def count_message() -> str:
    return gettext("The number of transactions must be a whole number from 1 to %(max)s") % {
        "max": formats.number_format(COUNTER_MAX_COUNT, force_grouping=True)
    }


@dataclass(frozen=True)
class CounterService:
    """What the import needs of a service: to find it by slug or LeiKa key and to check its department."""

    pk: int
    slug: str
    leika_key: str
    department_id: int


@dataclass(frozen=True)
class CounterLine:
    """One batch to record: ``count`` transactions of a service on a day (lines of a file already added up)."""

    service_id: int
    department_id: int
    day: dt.date
    count: int


@dataclass(frozen=True)
class ImportProblem:
    """A reason a file cannot be imported; ``line`` is its line number (None: the file as a whole)."""

    line: int | None
    message: str


@dataclass
class CounterImport:
    """A file read: the batches to record (only meaningful without problems), the problems, the figures."""

    batches: list[CounterLine] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    lines: int = 0
    transactions: int = 0


def _shown(value: str) -> str:
    return value if len(value) <= _SHOWN_VALUE else value[: _SHOWN_VALUE - 1] + "…"


def _decode(data: bytes) -> str | None:
    """The file's text, or None if it is no text file (a spreadsheet, a PDF, an image)."""
    if b"\x00" in data:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if _CONTROL.search(text):
        return None
    return text


def parse_csv_day(raw: str) -> dt.date | None:
    """A day written as ``YYYY-MM-DD`` or ``DD.MM.YYYY`` (one-digit day and month allowed), or None."""
    text = raw.strip()
    if match := _ISO_DAY.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _GERMAN_DAY.fullmatch(text):
        day, month, year = (int(part) for part in match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _find_service(
    key: str, *, services: Iterable[CounterService], department_ids: Collection[int] | None
) -> CounterService | str:
    """The service named by slug or LeiKa key, or the message why there is none the user may record."""
    wanted = key.strip().casefold()
    matches = [s for s in services if s.slug.casefold() == wanted or (s.leika_key and s.leika_key == wanted)]
    if not matches:
        return gettext('Unknown service "%(value)s"') % {"value": _shown(key.strip())}
    allowed = [s for s in matches if department_ids is None or s.department_id in department_ids]
    if not allowed:
        return gettext('The service "%(value)s" belongs to another department') % {"value": _shown(key.strip())}
    if len(allowed) > 1:
        return gettext('The LeiKa key "%(value)s" belongs to several services: use the service\'s short name') % {
            "value": _shown(key.strip())
        }
    return allowed[0]


def counter_csv_read(
    *, data: bytes, services: Iterable[CounterService], department_ids: Collection[int] | None
) -> CounterImport:
    """Read and check an import file; see the module's docstring for the format.

    ``services``: every service of the catalogue; ``department_ids``: the departments whose services the user
    may record (``None``: all). Every problem is listed, with its line number; the batches are only to be
    recorded when there is none.
    """
    result = CounterImport()
    problems = result.problems
    if len(data) > COUNTER_IMPORT_MAX_BYTES:
        problems.append(ImportProblem(None, gettext("The file is larger than 1 MB")))
        return result
    text = _decode(data)
    if text is None:
        problems.append(
            ImportProblem(None, gettext("The file is not a CSV file: save it as CSV in the spreadsheet program"))
        )
        return result
    if not text.strip():
        problems.append(ImportProblem(None, gettext("The file is empty")))
        return result
    lines = text.splitlines()
    if len(lines) - 1 > COUNTER_IMPORT_MAX_LINES:
        problems.append(
            ImportProblem(
                None,
                gettext("The file has more than %(max)s lines: split it into several files")
                % {"max": COUNTER_IMPORT_MAX_LINES},
            )
        )
        return result
    header_line = lines[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") and ";" in header_line else ","
    reader = csv.reader(lines, delimiter=delimiter)
    try:
        header = [cell.strip().strip('"').casefold() for cell in next(reader)]
    except csv.Error:
        header = []
    positions: dict[str, int] = {}
    for column, names in COLUMNS.items():
        indexes = [i for i, name in enumerate(header) if name in names]
        if not indexes:
            problems.append(
                ImportProblem(
                    1,
                    gettext('The column "%(name)s" is missing')
                    % {"name": TEMPLATE_HEADER[list(COLUMNS).index(column)]},
                )
            )
        elif len(indexes) > 1:
            problems.append(
                ImportProblem(
                    1,
                    gettext('The column "%(name)s" appears twice')
                    % {"name": TEMPLATE_HEADER[list(COLUMNS).index(column)]},
                )
            )
        else:
            positions[column] = indexes[0]
    if problems:
        return result

    catalogue = list(services)
    totals: dict[tuple[int, dt.date], int] = {}
    departments: dict[int, int] = {}
    try:
        for cells in reader:
            number = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue  # an empty line, or one of only separators as spreadsheet programs write them
            result.lines += 1
            cell = {column: (cells[i] if i < len(cells) else "").strip() for column, i in positions.items()}
            line_problems: list[str] = []

            service: CounterService | None = None
            if not cell["service"]:
                line_problems.append(gettext("The service is missing"))
            else:
                found = _find_service(cell["service"], services=catalogue, department_ids=department_ids)
                if isinstance(found, str):
                    line_problems.append(found)
                else:
                    service = found

            day = parse_csv_day(cell["date"]) if cell["date"] else None
            if not cell["date"]:
                line_problems.append(gettext("The date is missing"))
            elif day is None:
                line_problems.append(
                    gettext('"%(value)s" is not a date: write it as YYYY-MM-DD or DD.MM.YYYY')
                    % {"value": _shown(cell["date"])}
                )
            elif problem := day_problem(day):
                line_problems.append(problem)

            count = int(cell["count"]) if _WHOLE_NUMBER.fullmatch(cell["count"]) else None
            if not cell["count"]:
                line_problems.append(gettext("The number of transactions is missing"))
            elif count is None or count_problem(count):
                line_problems.append(count_message())

            problems.extend(ImportProblem(number, message) for message in line_problems)
            if not line_problems and service is not None and day is not None and count is not None:
                totals[(service.pk, day)] = totals.get((service.pk, day), 0) + count
                departments[service.pk] = service.department_id
                result.transactions += count
    except csv.Error:
        problems.append(ImportProblem(reader.line_num, gettext("The line cannot be read: check the quotation marks")))
    if not problems and not result.lines:
        problems.append(ImportProblem(None, gettext("The file has a header line but no transactions")))
    if not problems:
        result.batches = [
            CounterLine(service_id=service_id, department_id=departments[service_id], day=day, count=count)
            for (service_id, day), count in sorted(totals.items(), key=lambda item: (item[0][1], item[0][0]))
        ]
    return result


def template_rows(*, services: Iterable[CounterService]) -> list[list[str]]:
    """The example lines of the downloadable template, with the user's own services: one named by its slug,
    one by its LeiKa key (where a service has one), in both date formats."""
    chosen = list(services)[:2]
    today = dates.today()
    yesterday = today - dt.timedelta(days=1)
    rows = []
    for position, service in enumerate(chosen):
        key = service.leika_key if position == 1 and service.leika_key else service.slug
        rows.append([key, yesterday.strftime("%d.%m.%Y"), str(12 - 9 * position)])
    if chosen:
        rows.append([chosen[0].slug, today.isoformat(), "8"])
    return rows
