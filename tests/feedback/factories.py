import datetime

import factory
from django.utils import timezone

from amtsweg.feedback.draw import commitment_of
from amtsweg.feedback.models import Campaign, IdeaTag, RaffleEntry, Response

# The seed of every factory campaign's commitment (published the day before its first day).
FACTORY_SEED = "factory-seed-0123456789abcdef"


class CampaignFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Campaign
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"umfrage-{n}")
    name_de = "Ihre Meinung"
    name_en = "Your opinion"
    starts_on = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=10))
    ends_on = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))
    raffle_enabled = True
    prizes = 2
    prize_de = "ein Kinogutschein"
    prize_en = "a cinema voucher"
    conditions_de = "Teilnahmebedingungen: einmal pro Person."
    conditions_en = "Conditions: once per person."
    consent_text_de = "Ich bin einverstanden."
    consent_text_en = "I agree."
    requires_idea = True
    contact_data_delete_on = factory.LazyAttribute(lambda o: o.ends_on + datetime.timedelta(days=30))
    commitment = factory.LazyAttribute(lambda o: commitment_of(FACTORY_SEED) if o.raffle_enabled else "")
    committed_at = factory.LazyAttribute(
        lambda o: (
            timezone.make_aware(datetime.datetime.combine(o.starts_on - datetime.timedelta(days=1), datetime.time(12)))
            if o.raffle_enabled
            else None
        )
    )

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        from amtsweg.feedback.services import questions_default_create

        if create and extracted is not False:
            questions_default_create(campaign=self)


class IdeaTagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaTag

    slug = factory.Sequence(lambda n: f"tag-{n}")
    name_de = factory.Sequence(lambda n: f"Schlagwort {n}")
    name_en = factory.Sequence(lambda n: f"Tag {n}")


class ResponseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Response

    campaign = factory.SubFactory(CampaignFactory)
    channel = "online"
    submitted_on = factory.LazyFunction(timezone.localdate)
    satisfaction = 4
    answers = factory.LazyAttribute(lambda o: {"zufriedenheit": str(o.satisfaction)} if o.satisfaction else {})


class RaffleEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RaffleEntry

    campaign = factory.SubFactory(CampaignFactory)
    code = factory.Sequence(lambda n: f"e{n:04d}")
    contact_kind = "email"
    email = factory.Sequence(lambda n: f"person{n}@example.org")
    contact_hash = factory.Sequence(lambda n: f"{n:064x}")
