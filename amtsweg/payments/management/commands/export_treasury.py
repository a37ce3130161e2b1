import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone, translation

from amtsweg.core import dates
from amtsweg.payments.treasury import treasury_csv, treasury_days, treasury_rows, treasury_xlsx


def _day(value: str | None) -> datetime.date:
    if not value:
        return timezone.localdate() - datetime.timedelta(days=1)
    try:
        with translation.override("en"):  # the command speaks English, like its other messages
            return dates.parse_day(value, within=treasury_days())
    except dates.DateInputError as error:
        raise CommandError(f"Invalid --date {value!r}: {error.message} Give the day as YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Export one day's treasury bookings (fee lines paid, refunds made) as CSV or XLSX. "
        "The day is local time; the default is yesterday."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--date", help="The day to export, YYYY-MM-DD (default: yesterday).")
        parser.add_argument("--format", choices=("csv", "xlsx"), default="csv", help="File format (default: csv).")
        parser.add_argument(
            "--output",
            help="File to write, or - for standard output (CSV only). Default: treasury-<date>.<format> here.",
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        day = _day(options["date"])
        fmt = options["format"]
        output = options["output"] or f"treasury-{day.isoformat()}.{fmt}"
        if output == "-" and fmt != "csv":
            raise CommandError("Only CSV can be written to standard output; give --output PATH for XLSX.")
        rows = treasury_rows(day=day)
        data = treasury_csv(rows) if fmt == "csv" else treasury_xlsx(rows)
        if output == "-":
            self.stdout.write(data.decode("utf-8"), ending="")
            self.stderr.write(f"{len(rows)} rows for {day.isoformat()} written to standard output.")
            return
        path = Path(output)
        try:
            path.write_bytes(data)
        except OSError as exc:
            raise CommandError(f"Cannot write {path}: {exc.strerror or exc}") from None
        self.stdout.write(f"{len(rows)} rows for {day.isoformat()} written to {path}.")
