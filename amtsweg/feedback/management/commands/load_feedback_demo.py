import datetime
import secrets

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from amtsweg.feedback.draw import commitment_of
from amtsweg.feedback.models import Campaign
from amtsweg.feedback.services import idea_tags_default_create, questions_default_create

CONDITIONS_DE = (
    "Teilnehmen kann, wer die Umfrage zu einem Online-Dienst der Stadt Kassel beantwortet und einen "
    "Verbesserungsvorschlag macht. Jede Person darf einmal teilnehmen. Wir verlosen 20 Kinogutscheine. "
    "Die Gewinnerinnen und Gewinner werden nach dem Ende der Aktion in einer öffentlich überprüfbaren "
    "Ziehung ermittelt und per E-Mail oder Post benachrichtigt. Ihre Antworten in der Umfrage werden nicht "
    "mit Ihrer Teilnahme verbunden. Der Rechtsweg ist ausgeschlossen."
)
CONDITIONS_EN = (
    "Anyone who answers the survey on an online service of the City of Kassel and suggests an improvement "
    "may take part. Each person may take part once. We raffle 20 cinema vouchers. The winners are drawn after "
    "the end of the campaign in a publicly verifiable draw and told by email or post. Your survey answers are "
    "never linked to your entry. Recourse to the courts is excluded."
)
CONSENT_DE = (
    "Ich bin einverstanden, dass die Stadt Kassel meine E-Mail- oder Postadresse nur für diese Verlosung "
    "speichert. Sie wird getrennt von meinen Antworten gespeichert und spätestens am Löschtag gelöscht; "
    "bei einem Gewinn, sobald ich den Preis erhalten habe."
)
CONSENT_EN = (
    "I agree that the City of Kassel stores my email or postal address only for this raffle. It is stored "
    "apart from my answers and deleted on the deletion day at the latest; if I win, as soon as I have "
    "received the prize."
)


class Command(BaseCommand):
    help = "Create the demo survey campaign with a cinema-voucher raffle (demo data for make run). Idempotent."

    @transaction.atomic
    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        today = timezone.localdate()
        starts = today.replace(day=1)
        ends = (starts + datetime.timedelta(days=92)).replace(day=1) - datetime.timedelta(days=1)
        campaign, created = Campaign.objects.get_or_create(
            slug=f"umfrage-{starts:%Y-%m}",
            defaults={
                "name_de": "Ihre Meinung zu unseren Online-Diensten",
                "name_en": "Your opinion on our online services",
                "starts_on": starts,
                "ends_on": ends,
                "raffle_enabled": True,
                "prizes": 20,
                "prize_de": "ein Kinogutschein",
                "prize_en": "a cinema voucher",
                "conditions_de": CONDITIONS_DE,
                "conditions_en": CONDITIONS_EN,
                "consent_text_de": CONSENT_DE,
                "consent_text_en": CONSENT_EN,
                "requires_idea": True,
                "contact_data_delete_on": ends + datetime.timedelta(days=60),
            },
        )
        questions_default_create(campaign=campaign)
        idea_tags_default_create()
        self.stdout.write(f"Survey campaign {campaign.slug}: {campaign.starts_on} to {campaign.ends_on}")
        if created:
            # Demo only: a real office runs feedback_commit before the first day (it refuses later). The demo
            # campaign starts this month so that make run has a survey at once; its commitment is written here,
            # dated the day before the first day, and the seed is printed so that the draw can be tried.
            seed = secrets.token_hex(32)
            campaign.commitment = commitment_of(seed)
            campaign.committed_at = timezone.make_aware(
                datetime.datetime.combine(starts - datetime.timedelta(days=1), datetime.time(12))
            )
            campaign.save(update_fields=["commitment", "committed_at"])
            self.stdout.write(f"  demo raffle seed (for manage.py feedback_draw after {ends}): {seed}")
