import csv
import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from django.core.management import CommandError, call_command

from amtsweg.payments.constants import PaymentStatus
from amtsweg.payments.models import Refund
from amtsweg.payments.treasury import HEADERS, TreasuryRow, treasury_csv, treasury_rows, treasury_xlsx
from tests.applications.factories import SubmissionFactory

from .factories import PaymentFactory, paid_payment

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)
# 00:30 on 2 March in Kassel is still 1 March in UTC: the day is local.
EARLY_ON_DAY = datetime.datetime(2026, 3, 1, 23, 30, tzinfo=datetime.UTC)
LATE_ON_DAY = datetime.datetime(2026, 3, 2, 22, 30, tzinfo=datetime.UTC)  # 23:30 local
NEXT_DAY = datetime.datetime(2026, 3, 2, 23, 30, tzinfo=datetime.UTC)  # 00:30 on 3 March local


def _paid(*, reference: str, paid_at: datetime.datetime, revenue_account: str = "432100", **kwargs):  # type: ignore[no-untyped-def]
    submission = SubmissionFactory(reference=reference)
    service = submission.service
    service.revenue_account = revenue_account
    service.save(update_fields=["revenue_account"])
    payment = paid_payment(submission=submission, **kwargs)
    payment.paid_at = paid_at
    payment.save(update_fields=["paid_at"])
    return payment


def _refund(payment, *, cents: int, reason: str, at: datetime.datetime) -> Refund:  # type: ignore[no-untyped-def]
    refund = Refund.objects.create(
        payment=payment, transaction=payment.transactions.get(), amount_cents=cents, reason=reason
    )
    Refund.objects.filter(pk=refund.pk).update(created_at=at)
    payment.refunded_cents += cents
    payment.status = (
        PaymentStatus.REFUNDED if payment.refunded_cents >= payment.amount_cents else PaymentStatus.PARTLY_REFUNDED
    )
    payment.save(update_fields=["refunded_cents", "status"])
    return refund


def _row(**overrides) -> TreasuryRow:  # type: ignore[no-untyped-def]
    values = {
        "kassenzeichen": "66260000123",
        "booking_text": "Geburtsurkunde KS-2026-000123-4: Erste Urkunde",
        "amount_cents": 1200,
        "date": DAY,
        "service": "Geburtsurkunde",
        "revenue_account": "432100",
        "reference": "KS-2026-000123-4",
        "provider_transaction_id": "demo_1",
    }
    return TreasuryRow(**(values | overrides))


def test_a_paid_payment_books_each_line_on_its_local_day_with_amount_and_account():
    payment = _paid(reference="KS-2026-000123-4", paid_at=EARLY_ON_DAY, kassenzeichen="66260000123")
    service = payment.submission.service

    rows = treasury_rows(day=DAY)

    assert [(r.kassenzeichen, r.amount_cents, r.revenue_account) for r in rows] == [
        ("66260000123", 1200, "432100"),
        ("66260000123", 1200, "432100"),
    ]
    first, second = rows
    assert first.booking_text == f"{service.name_de} KS-2026-000123-4: Erste Urkunde"
    assert second.booking_text == f"{service.name_de} KS-2026-000123-4: Jede weitere Urkunde"
    assert first.date == DAY
    assert first.service == service.name_de
    assert first.reference == "KS-2026-000123-4"
    assert first.provider_transaction_id == f"demo_{payment.pk}"
    assert treasury_rows(day=DAY - datetime.timedelta(days=1)) == []


def test_german_texts_even_for_an_english_submission_and_free_lines_left_out():
    submission = SubmissionFactory(reference="KS-2026-000200-1", language="en")
    items = [
        {"code": "copy", "label": {"de": "Urkunde", "en": "Copy"}, "unit_cents": 1000, "quantity": 1,
         "total_cents": 1000},
        {"code": "free", "label": {"de": "Beglaubigung", "en": "Certification"}, "unit_cents": 0, "quantity": 1,
         "total_cents": 0},
    ]  # fmt: skip
    payment = paid_payment(submission=submission, items=items, amount_cents=1000)
    payment.paid_at = LATE_ON_DAY
    payment.save(update_fields=["paid_at"])

    rows = treasury_rows(day=DAY)

    assert len(rows) == 1
    assert rows[0].booking_text == f"{submission.service.name_de} KS-2026-000200-1: Urkunde"
    assert rows[0].service == submission.service.name_de


@pytest.mark.parametrize(
    "status",
    [PaymentStatus.OPEN, PaymentStatus.PENDING, PaymentStatus.FAILED, PaymentStatus.CANCELLED, PaymentStatus.EXPIRED],
)
def test_a_payment_that_is_not_paid_is_not_booked(status):
    PaymentFactory(status=status, paid_at=LATE_ON_DAY)

    assert treasury_rows(day=DAY) == []


def test_a_payment_paid_after_midnight_belongs_to_the_next_day():
    _paid(reference="KS-2026-000300-5", paid_at=NEXT_DAY)

    assert treasury_rows(day=DAY) == []
    assert len(treasury_rows(day=DAY + datetime.timedelta(days=1))) == 2


def test_a_refund_is_a_negative_row_on_its_own_day_and_the_payment_stays_on_its_paid_day():
    payment = _paid(reference="KS-2026-000123-4", paid_at=datetime.datetime(2026, 2, 27, 10, 0, tzinfo=datetime.UTC))
    _refund(payment, cents=600, reason="Eine Urkunde nicht ausgestellt", at=LATE_ON_DAY)

    rows = treasury_rows(day=DAY)

    assert len(rows) == 1
    refund = rows[0]
    assert refund.amount_cents == -600
    assert refund.booking_text == "Erstattung KS-2026-000123-4: Eine Urkunde nicht ausgestellt"
    assert refund.date == DAY
    assert refund.revenue_account == "432100"
    assert refund.kassenzeichen == payment.kassenzeichen
    assert refund.provider_transaction_id == f"demo_{payment.pk}"
    # the items still show, as paid, on the paid day
    paid_day = treasury_rows(day=datetime.date(2026, 2, 27))
    assert [r.amount_cents for r in paid_day] == [1200, 1200]


def test_rows_are_read_with_a_fixed_number_of_queries(django_assert_num_queries):
    for number in range(3):
        payment = _paid(reference=f"KS-2026-00040{number}-0", paid_at=LATE_ON_DAY)
        _refund(payment, cents=100, reason="Teilerstattung", at=LATE_ON_DAY)

    with django_assert_num_queries(3):  # payments, their paid transactions, refunds
        rows = treasury_rows(day=DAY)

    assert len(rows) == 9


def test_csv_has_bom_semicolons_german_headers_amounts_and_iso_dates():
    rows = [_row(), _row(amount_cents=-600, booking_text="Erstattung KS-2026-000123-4: zu viel"), _row(amount_cents=5)]

    data = treasury_csv(rows)

    assert data.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert parsed[0] == list(HEADERS)
    assert parsed[1] == [
        "66260000123",
        "Geburtsurkunde KS-2026-000123-4: Erste Urkunde",
        "12,00",
        "2026-03-02",
        "Geburtsurkunde",
        "432100",
        "KS-2026-000123-4",
        "demo_1",
    ]
    assert parsed[2][2] == "-6,00"
    assert parsed[3][2] == "0,05"


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_text_cells_that_a_spreadsheet_would_run_as_a_formula(start):
    rows = [_row(booking_text=f'{start}HYPERLINK("http://evil.example")', service=f"{start}1+1")]

    parsed = list(csv.reader(io.StringIO(treasury_csv(rows).decode("utf-8-sig")), delimiter=";"))

    assert parsed[1][1] == f'\'{start}HYPERLINK("http://evil.example")'
    assert parsed[1][4] == f"'{start}1+1"


def test_a_refund_reason_that_looks_like_a_formula_is_neutralised_end_to_end():
    payment = _paid(reference="KS-2026-000123-4", paid_at=datetime.datetime(2026, 2, 27, 10, 0, tzinfo=datetime.UTC))
    _refund(payment, cents=600, reason="=cmd|' /C calc'!A0", at=LATE_ON_DAY)
    rows = treasury_rows(day=DAY)
    rows = [_row(booking_text="=" + rows[0].booking_text), *rows]

    parsed = list(csv.reader(io.StringIO(treasury_csv(rows).decode("utf-8-sig")), delimiter=";"))

    assert parsed[1][1].startswith("'=")
    assert parsed[2][1] == "Erstattung KS-2026-000123-4: =cmd|' /C calc'!A0"  # not at the start: harmless
    assert parsed[2][2] == "-6,00"  # the amount column keeps its minus


def test_xlsx_has_the_same_rows_with_exact_amounts_real_dates_and_a_frozen_bold_header():
    rows = [
        _row(),
        _row(amount_cents=-600, booking_text="=1+1"),
        _row(amount_cents=123456789),
    ]

    workbook = openpyxl.load_workbook(io.BytesIO(treasury_xlsx(rows)))
    sheet = workbook.active

    values = list(sheet.iter_rows(values_only=True))
    assert values[0] == HEADERS
    assert len(values) == 4
    for row, cells in zip(rows, values[1:], strict=True):
        assert Decimal(str(cells[2])) == Decimal(row.amount_cents) / 100
        assert cells[3] == datetime.datetime(2026, 3, 2)  # a real date (Excel has no date-only cells)
        assert (cells[0], cells[1], cells[4], cells[5], cells[6], cells[7]) == (
            row.kassenzeichen,
            row.booking_text,
            row.service,
            row.revenue_account,
            row.reference,
            row.provider_transaction_id,
        )
    assert sheet["B3"].data_type == "s"  # "=1+1" stays text, never a formula
    assert sheet["C2"].number_format == "#,##0.00"
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width > 20


def test_command_writes_the_days_csv_to_a_file(tmp_path):
    _paid(reference="KS-2026-000123-4", paid_at=LATE_ON_DAY)
    target = tmp_path / "buchungen.csv"
    out = io.StringIO()

    call_command("export_treasury", "--date", "2026-03-02", "--output", str(target), stdout=out)

    assert "2 rows" in out.getvalue()
    lines = target.read_bytes().decode("utf-8-sig").splitlines()
    assert len(lines) == 3
    assert ";12,00;2026-03-02;" in lines[1]


def test_command_writes_xlsx(tmp_path):
    _paid(reference="KS-2026-000123-4", paid_at=LATE_ON_DAY)
    target = tmp_path / "buchungen.xlsx"

    call_command(
        "export_treasury", "--date", "2026-03-02", "--format", "xlsx", "--output", str(target), stdout=io.StringIO()
    )

    sheet = openpyxl.load_workbook(target).active
    assert sheet.max_row == 3


def test_command_writes_csv_to_stdout():
    _paid(reference="KS-2026-000123-4", paid_at=LATE_ON_DAY)
    out, err = io.StringIO(), io.StringIO()

    call_command("export_treasury", "--date", "2026-03-02", "--output", "-", stdout=out, stderr=err)

    assert out.getvalue().startswith("\ufeffKassenzeichen;Buchungstext;")
    assert "2 rows" in err.getvalue()


def test_command_defaults_to_yesterday(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    out = io.StringIO()

    call_command("export_treasury", stdout=out)

    assert "0 rows" in out.getvalue()
    assert len(list(tmp_path.glob("treasury-*.csv"))) == 1


@pytest.mark.parametrize("value", ["2026-13-01", "01.03.2026", "yesterday"])
def test_command_refuses_a_bad_date_with_a_clear_message(value, tmp_path):
    with pytest.raises(CommandError, match=r"Invalid --date .*YYYY-MM-DD"):
        call_command("export_treasury", "--date", value, "--output", str(tmp_path / "x.csv"))

    assert not (tmp_path / "x.csv").exists()


def test_command_refuses_xlsx_on_stdout():
    with pytest.raises(CommandError, match="Only CSV"):
        call_command("export_treasury", "--date", "2026-03-02", "--format", "xlsx", "--output", "-")


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01"])
def test_command_refuses_a_day_at_the_end_of_the_calendar(tmp_path, value):
    with pytest.raises(CommandError, match=r"Invalid --date .*Enter a day between"):
        call_command("export_treasury", "--date", value, "--output", str(tmp_path / "x.csv"))

    assert not (tmp_path / "x.csv").exists()
