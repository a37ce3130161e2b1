from django.core.management.base import BaseCommand

from amtsweg.applications.services import form_definitions_load


class Command(BaseCommand):
    help = "Load the online form definitions shipped in the repository (new versions only; idempotent)."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        loaded = form_definitions_load()
        self.stdout.write(f"Forms loaded: {', '.join(loaded) if loaded else 'nothing new'}.")
