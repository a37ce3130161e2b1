import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from amtsweg.residents.register.contrib.demo.seed import register_persons


class Command(BaseCommand):
    help = (
        "Write the demo residents' register's persons (the demo identity provider's test persons and the others "
        "the register services need) to its data file, RESIDENTS_REGISTER_DEMO_DATA. An existing file is kept, "
        "with what was filed into it, unless --reset."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--reset", action="store_true", help="Start again from the demo persons.")

    def handle(self, *args, reset: bool = False, **options):  # type: ignore[no-untyped-def]
        path = Path(settings.RESIDENTS_REGISTER["providers"]["demo"]["data"])
        if path.exists() and not reset:
            self.stdout.write(f"demo register kept: {path}")
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        persons = register_persons()
        path.write_text(json.dumps({"persons": persons}, ensure_ascii=False, indent=1), encoding="utf-8")
        self.stdout.write(f"demo register: {len(persons)} persons in {path}")
