import sys

from django.core.management.base import BaseCommand, CommandError

from amtsweg.feedback.errors import FeedbackError
from amtsweg.feedback.models import Campaign
from amtsweg.feedback.services import raffle_draw


class Command(BaseCommand):
    help = (
        "Draw the winners of a campaign's raffle with the revealed seed (checked against the published "
        "commitment), show the progress, email the winners and delete everyone else's contact data."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("campaign", help="The campaign's short name (slug).")
        parser.add_argument("--seed", required=True, help="The seed whose SHA-256 was published as commitment.")

    def handle(self, *args, campaign: str, seed: str, **options):  # type: ignore[no-untyped-def]
        row = Campaign.objects.filter(slug=campaign).first()
        if row is None:
            raise CommandError(f"No campaign {campaign!r}.")
        shown = {"percent": -1}
        interactive = sys.stdout.isatty()

        def progress(done: int, total: int) -> None:
            percent = 100 * done // total if total else 100
            if percent == shown["percent"]:
                return
            shown["percent"] = percent
            bar = "#" * (percent // 5)
            if interactive:
                self.stdout.write(f"\rRanking entries [{bar:<20}] {done}/{total} ({percent}%)", ending="")
            elif percent % 10 == 0:
                self.stdout.write(f"Ranking entries [{bar:<20}] {done}/{total} ({percent}%)")

        try:
            winners = raffle_draw(campaign=row, seed=seed.strip(), progress=progress)
        except FeedbackError as error:
            raise CommandError(error.message) from None
        if interactive:
            self.stdout.write("")
        self.stdout.write(f"{len(winners)} winners of {row.prizes} prizes:")
        for rank, entry in enumerate(winners, start=1):
            self.stdout.write(f"  {rank:>3}. {entry.code}")
        self.stdout.write("Winners with an email address are notified by the task worker.")
