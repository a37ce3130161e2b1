from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from amtsweg.core.demo_http import serve_until_stopped
from amtsweg.vehicles.ikfz.contrib.demo.server import serve

from .load_vehicle_registry_demo import registry_data_write


class Command(BaseCommand):
    help = (
        "Serve the demo vehicle registry over HTTP, as a separate service, at VEHICLE_REGISTRY_DEMO_URL "
        "(http://127.0.0.1:8102 by default) from its data file, made from the demo data when missing "
        "(manage.py load_vehicle_registry_demo --reset starts it again). Demo mode only."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if not settings.DEMO_MODE:
            raise CommandError("The demo vehicle registry runs in demo mode only.")
        config = settings.VEHICLE_REGISTRY["providers"]["demo"]
        data = Path(config["data"])
        if not data.exists():
            count = registry_data_write(data)
            self.stdout.write(f"demo vehicle registry: {count} vehicles in {data}")
        serve_until_stopped(serve=serve, data=data, token=config["token"], url=config["url"])
