from django.core.management.base import BaseCommand

from amtsweg.catalogue.services import catalogue_load_seed, seed_read


class Command(BaseCommand):
    help = "Load Kassel's departments, locations, services, fees and referrals (idempotent)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--update", action="store_true", help="Overwrite existing entries with the seed values (loses admin edits)."
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        report = catalogue_load_seed(data=seed_read(name="kassel"), update=options["update"])
        created = ", ".join(f"{n} {k}" for k, n in sorted(report.created.items())) or "nothing new"
        self.stdout.write(f"Kassel catalogue loaded: created {created}.")
        if report.updated:
            updated = ", ".join(f"{n} {k}" for k, n in sorted(report.updated.items()))
            self.stdout.write(f"Updated: {updated}.")
