from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amtsweg.statistics.demo import KASSEL_2020_H1, DemoPlanError, demo_records_load


class Command(BaseCommand):
    help = (
        'Load the demo figures "Kassel, first half of 2020" as anonymous statistics records, generated from a '
        "seed (demo mode only). Replaces an earlier load. Needs the catalogue: run load_kassel_demo first."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--seed", type=int, default=None, help=f"Another seed (default {KASSEL_2020_H1.seed}).")

    def handle(self, *args, seed: int | None = None, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_MODE:
            raise CommandError("Demo figures are only loaded in demo mode (AMTSWEG_DEMO_MODE=1).")
        try:
            report = demo_records_load(plan=KASSEL_2020_H1, seed=seed)
        except DemoPlanError as error:
            raise CommandError(str(error)) from error
        groups = "; ".join(
            f"{key} {online} online" + (f" + {counter} counter" if counter else "")
            for key, online, counter in report.per_group
        )
        self.stdout.write(
            f"Demo figures Kassel 2020 H1: {report.transactions} transactions in {report.case_rows} case records "
            f"({groups}), {report.appointments} appointment records; replaced {report.deleted_cases} case and "
            f"{report.deleted_appointments} appointment records."
        )
