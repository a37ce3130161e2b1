from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from amtsweg.cases.models import Case
from amtsweg.cases.retention import case_retention_due, cases_retention_candidates, retention_run


class Command(BaseCommand):
    help = "Delete the personal data of closed cases past their retention period, and abandoned drafts."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--dry-run", action="store_true", help="Only count the cases that are due.")

    def handle(self, *args, dry_run: bool = False, **options):  # type: ignore[no-untyped-def]
        now = timezone.now()
        if dry_run:
            cases = Case.objects.filter(pk__in=cases_retention_candidates(now=now))
            due = sum(1 for case in cases if case_retention_due(case=case, now=now))
            self.stdout.write(f"{due} cases are due for deletion.")
            return
        result = retention_run(now=now)
        self.stdout.write(f"Deleted {result.cases_deleted} cases and {result.drafts_deleted} drafts.")
        if result.cases_failed:
            raise CommandError(f"{result.cases_failed} cases could not be deleted; see the log.")
