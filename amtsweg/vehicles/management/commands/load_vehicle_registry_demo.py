import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from amtsweg.vehicles.ikfz.contrib.demo.seed import registry_data


def registry_data_write(path: Path) -> int:
    """Write the demo vehicle registry's seed to ``path``; the number of vehicles."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = registry_data()
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return len(data["vehicles"])


class Command(BaseCommand):
    help = (
        "Write the demo vehicle registry's data (the demo eID persons' vehicles, eVB numbers and plates) to its "
        "data file, VEHICLE_REGISTRY_DEMO_DATA. An existing file is kept, with the applications decided since, "
        "unless --reset."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--reset", action="store_true", help="Start again from the demo vehicles.")

    def handle(self, *args, reset: bool = False, **options):  # type: ignore[no-untyped-def]
        path = Path(settings.VEHICLE_REGISTRY["providers"]["demo"]["data"])
        if path.exists() and not reset:
            self.stdout.write(f"demo vehicle registry kept: {path}")
            return
        count = registry_data_write(path)
        self.stdout.write(f"demo vehicle registry: {count} vehicles in {path}")
