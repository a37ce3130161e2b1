"""The day's bookings for the city treasury (Stadtkasse): fee lines paid and refunds made, as CSV or XLSX.

One row per fee line with an amount of a payment paid on the day, and one
negative row per refund made on the day; days are local (Europe/Berlin). A
payment refunded later still shows on its paid day; its refund shows on the
refund's day. The treasury works in German, so texts and headers are German
whatever language the citizen used. Money is whole cents; euros are only
formatted from cents (CSV) or computed as ``Decimal`` (XLSX), never as float.
"""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from amtsweg.catalogue.models import Service
from amtsweg.core import dates
from amtsweg.core.spreadsheet import csv_bytes

from .constants import SETTLED, TransactionStatus
from .fees import FeeLine
from .models import Payment, PaymentTransaction, Refund

__all__ = ["HEADERS", "TreasuryRow", "treasury_csv", "treasury_days", "treasury_rows", "treasury_xlsx"]

HEADERS = (
    "Kassenzeichen",
    "Buchungstext",
    "Betrag (EUR)",
    "Buchungsdatum",
    "Leistung",
    "Sachkonto",
    "Vorgangsnummer",
    "Transaktions-ID Zahlungsdienstleister",
)
AMOUNT_COLUMN = 2
# Control characters break treasury imports (and openpyxl refuses them); whitespace runs become one space.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class TreasuryRow:
    kassenzeichen: str
    booking_text: str
    amount_cents: int  # negative for a refund
    date: datetime.date
    service: str  # the service's German name
    revenue_account: str
    reference: str
    provider_transaction_id: str

    def cells(self) -> tuple[str, str, int, datetime.date, str, str, str, str]:
        return (
            self.kassenzeichen,
            self.booking_text,
            self.amount_cents,
            self.date,
            self.service,
            self.revenue_account,
            self.reference,
            self.provider_transaction_id,
        )


def treasury_days() -> dates.DateRange:
    """The days that may be exported: the portal's own days up to today. A later day has no bookings yet;
    today's are final only once it is over, but may be exported for a first look."""
    return dates.DateRange(dates.PORTAL_DAYS.first, dates.today())


def _text(value: str) -> str:
    return " ".join(_CONTROL.sub("", str(value or "")).split())


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = timezone.make_aware(datetime.datetime.combine(day, datetime.time.min), zone)
    end = timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min), zone)
    return start, end


def _service_name_de(service: Service) -> str:
    return getattr(service, "name_de", "") or service.name


def treasury_rows(*, day: datetime.date) -> list[TreasuryRow]:
    """The bookings of one local day: the lines of the payments paid that day, then that day's refunds."""
    start, end = _day_bounds(day)
    rows: list[TreasuryRow] = []
    paid_transactions = PaymentTransaction.objects.filter(status=TransactionStatus.PAID).order_by("created_at", "pk")
    payments = (
        Payment.objects.filter(status__in=SETTLED, paid_at__gte=start, paid_at__lt=end)
        .select_related("submission__service")
        .prefetch_related(Prefetch("transactions", queryset=paid_transactions, to_attr="paid_transactions"))
        .order_by("paid_at", "kassenzeichen")
    )
    for payment in payments:
        submission = payment.submission
        service = submission.service
        service_name = _text(_service_name_de(service))
        tx = payment.paid_transactions[0] if payment.paid_transactions else None
        for item in payment.items:
            line = FeeLine.from_json(item)
            if line.total_cents <= 0:
                continue
            rows.append(
                TreasuryRow(
                    kassenzeichen=payment.kassenzeichen,
                    booking_text=_text(f"{service_name} {submission.reference}: {line.label_in('de')}"),
                    amount_cents=line.total_cents,
                    date=timezone.localdate(payment.paid_at),
                    service=service_name,
                    revenue_account=_text(service.revenue_account),
                    reference=submission.reference,
                    provider_transaction_id=_text(tx.provider_id if tx else ""),
                )
            )
    refunds = (
        Refund.objects.filter(created_at__gte=start, created_at__lt=end)
        .select_related("payment__submission__service", "transaction")
        .order_by("created_at", "pk")
    )
    for refund in refunds:
        refunded = refund.payment
        submission = refunded.submission
        service = submission.service
        rows.append(
            TreasuryRow(
                kassenzeichen=refunded.kassenzeichen,
                booking_text=_text(f"Erstattung {submission.reference}: {refund.reason}"),
                amount_cents=-refund.amount_cents,
                date=timezone.localdate(refund.created_at),
                service=_text(_service_name_de(service)),
                revenue_account=_text(service.revenue_account),
                reference=submission.reference,
                provider_transaction_id=_text(refund.transaction.provider_id),
            )
        )
    return rows


def _amount_de(cents: int) -> str:
    """12,00 / -6,00 / 1234,50: a decimal comma, no thousands separator, from cents without float."""
    euros, rest = divmod(abs(int(cents)), 100)
    return f"{'-' if cents < 0 else ''}{euros},{rest:02d}"


def treasury_csv(rows: list[TreasuryRow]) -> bytes:
    """The rows as CSV for the treasury: UTF-8 with BOM, semicolons, German amounts, ISO dates, German headers."""
    return csv_bytes((_csv_cells(row) for row in rows), header=HEADERS)


def _csv_cells(row: TreasuryRow) -> list[str]:
    """German amounts and ISO dates; every other cell as text (guarded by :func:`csv_bytes`)."""
    cells = []
    for index, cell in enumerate(row.cells()):
        if index == AMOUNT_COLUMN:
            cells.append(_amount_de(cell))  # type: ignore[arg-type]
        elif isinstance(cell, datetime.date):
            cells.append(cell.isoformat())
        else:
            cells.append(str(cell))
    return cells


COLUMN_WIDTHS = (16, 60, 14, 14, 40, 14, 20, 36)


def treasury_xlsx(rows: list[TreasuryRow]) -> bytes:
    """The rows as an Excel workbook: amounts as numbers in euros, dates as dates, bold frozen header."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Buchungen"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        for column, value in enumerate(row.cells(), start=1):
            cell = sheet.cell(row=number, column=column)
            if column - 1 == AMOUNT_COLUMN:
                cell.value = Decimal(value) / 100  # type: ignore[arg-type]
                cell.number_format = "#,##0.00"
            elif isinstance(value, datetime.date):
                cell.value = value
                cell.number_format = "yyyy-mm-dd"
            else:
                cell.value = str(value)
                cell.data_type = "s"  # text, never a formula, even when it starts with "="
    sheet.freeze_panes = "A2"
    for column, width in enumerate(COLUMN_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
