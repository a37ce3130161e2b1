from django.core.management.base import BaseCommand

from amtsweg.appointments.seed import appointments_load_seed


class Command(BaseCommand):
    help = (
        "Load Kassel's booking policies, counter hours and bookable services (idempotent; overwrites them with the "
        "seed values). Needs the catalogue: run load_kassel_demo first."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        counts = appointments_load_seed()
        self.stdout.write(
            "Kassel appointments loaded: "
            f"booking policies {counts['policies_created']} created, {counts['policies_updated']} updated; "
            f"counter hours {counts['counter_hours']}; "
            f"bookable services {counts['services_created']} created, {counts['services_updated']} updated."
        )
