from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amtsweg.civil_status.demo import certificate_orders_demo_load


class Command(BaseCommand):
    help = (
        "Put a few paid certificate orders into the Standesamt's queue (demo mode only; does nothing if there are "
        "orders already). Needs the catalogue and the forms: run load_kassel_demo and load_forms first."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_MODE:
            raise CommandError("Demo orders are only created in demo mode (AMTSWEG_DEMO_MODE=1).")
        created = certificate_orders_demo_load()
        self.stdout.write(f"Demo certificate orders: {created} created (queue: /intern/urkunden/).")
