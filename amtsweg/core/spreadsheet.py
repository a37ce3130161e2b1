"""CSV for spreadsheet programs: one guard against formula injection and one way to answer with a file.

Every export of the back office (audit log, feedback, appointments of a day, the treasury's bookings)
is opened in a spreadsheet program. Such a program runs a cell that starts with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return as a formula, so a citizen's free text could run in a clerk's
spreadsheet (CSV or formula injection, OWASP). A leading apostrophe keeps such a cell text.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.http import HttpResponse

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A plain number such as a refund's "-6,00" is no formula and stays a number for the spreadsheet.
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
# Control characters are not allowed in a workbook's cells (openpyxl refuses them).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def spreadsheet_text(value: Any) -> str:
    """The value as a text cell that no spreadsheet program reads as a formula (``None`` is empty)."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def csv_bytes(rows: Iterable[Iterable[Any]], *, header: Iterable[str] | None = None) -> bytes:
    """Rows as CSV the way German spreadsheet programs open it: semicolons, CRLF, UTF-8 with BOM.

    Cells that are not strings (numbers, dates already formatted by the caller) are written as they
    are; every string goes through :func:`spreadsheet_text`.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    if header is not None:
        writer.writerow(list(header))
    for row in rows:
        writer.writerow([spreadsheet_text(cell) if isinstance(cell, str) or cell is None else cell for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def csv_response(rows: Iterable[Iterable[Any]], *, header: Iterable[str], filename: str) -> HttpResponse:
    """A download of :func:`csv_bytes` named ``filename``; browsers must not guess another type."""
    response = HttpResponse(csv_bytes(rows, header=header), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def xlsx_bytes(rows: Iterable[Iterable[Any]], *, header: Iterable[str], sheet_title: str) -> bytes:
    """Rows as an Excel workbook with a bold, frozen header: numbers stay numbers, dates dates, and every string
    is a text cell, never a formula (openpyxl would read a leading "=" as one)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title[:31]  # Excel's limit for a sheet's name
    sheet.append([str(title) for title in header])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=number, column=column)
            if value is None:
                continue
            if isinstance(value, (int, float, Decimal, datetime.date)) and not isinstance(value, bool):
                cell.value = value
                if isinstance(value, datetime.date):
                    cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = _CONTROL.sub(" ", str(value))
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_response(
    rows: Iterable[Iterable[Any]], *, header: Iterable[str], sheet_title: str, filename: str
) -> HttpResponse:
    """A download of :func:`xlsx_bytes` named ``filename``."""
    response = HttpResponse(
        xlsx_bytes(rows, header=header, sheet_title=sheet_title),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
