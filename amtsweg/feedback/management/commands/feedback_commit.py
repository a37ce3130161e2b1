from django.core.management.base import BaseCommand, CommandError

from amtsweg.feedback.errors import FeedbackError
from amtsweg.feedback.models import Campaign
from amtsweg.feedback.services import campaign_commit


class Command(BaseCommand):
    help = (
        "Publish the commitment of a campaign's raffle before the campaign ends: a random seed is made, only its "
        "SHA-256 is stored, and the seed is printed once. Keep it safe (e.g. sealed) until the draw. "
        "With --commitment, publish the hash of a seed made elsewhere."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("campaign", help="The campaign's short name (slug).")
        parser.add_argument("--commitment", default="", help="SHA-256 hex digest of a seed made elsewhere.")

    def handle(self, *args, campaign: str, commitment: str = "", **options):  # type: ignore[no-untyped-def]
        row = Campaign.objects.filter(slug=campaign).first()
        if row is None:
            raise CommandError(f"No campaign {campaign!r}.")
        try:
            seed = campaign_commit(campaign=row, commitment=commitment.strip().lower())
        except FeedbackError as error:
            raise CommandError(error.message) from None
        row.refresh_from_db()
        self.stdout.write(f"Commitment published: {row.commitment}")
        if seed:
            self.stdout.write(f"SEED (shown only now, keep it secret until the draw): {seed}")
