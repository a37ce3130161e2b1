"""The draw: a fixed test vector computed here from hashlib alone, and the draw's rules."""

import datetime
import hashlib
import hmac
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone, translation

from amtsweg.feedback.draw import commitment_of, draw_winners
from amtsweg.feedback.errors import FeedbackError
from amtsweg.feedback.models import RaffleEntry
from amtsweg.feedback.services import campaign_commit, raffle_draw

from .factories import CampaignFactory, RaffleEntryFactory

SEED = "3f1c9a7e5b2d4c6e8a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f708192a3b4c5"
CODES = ["a1b2c3d4e5", "0f9e8d7c6b", "5555aaaa55", "deadbeef01", "c0ffee0000", "1234567890"]
# Computed once with the snippet in docs/feedback.md (hashlib and hmac only) and written down here:
EXPECTED_COMMITMENT = "99df0bf79e07a3c80b02829c34043f69d30ef1cc29418cf1a19341bddb9b611d"
# HMAC-SHA256(seed, code) starts with: 1234567890 345402f1, 5555aaaa55 4f3676d5, a1b2c3d4e5 68801510,
# c0ffee0000 6bd19c65, deadbeef01 a70d2fae, 0f9e8d7c6b f23b66d0.
FIXED_WINNERS = ["1234567890", "5555aaaa55", "a1b2c3d4e5"]


@pytest.fixture(autouse=True)
def _english():
    """The refusals are checked by their English wording (the German one is in the catalogue)."""
    with translation.override("en"):
        yield


def independent_winners(seed: str, codes: list[str], prizes: int) -> list[str]:
    """The documented algorithm, written out with hashlib only."""
    keyed = sorted((hmac.new(seed.encode(), code.encode(), hashlib.sha256).hexdigest(), code) for code in codes)
    return [code for _key, code in keyed[:prizes]]


def test_fixed_test_vector():
    assert commitment_of(SEED) == EXPECTED_COMMITMENT
    assert draw_winners(seed=SEED, codes=CODES, prizes=3) == FIXED_WINNERS
    assert independent_winners(SEED, CODES, 3) == FIXED_WINNERS


def test_the_order_of_the_entries_does_not_change_the_winners():
    assert draw_winners(seed=SEED, codes=list(reversed(CODES)), prizes=3) == FIXED_WINNERS


def test_more_prizes_than_entries_makes_everyone_a_winner():
    assert sorted(draw_winners(seed=SEED, codes=CODES[:2], prizes=5)) == sorted(CODES[:2])


def _closed_campaign(**kwargs):
    """A campaign committed to SEED the day before its first day (the factory's rule), ended yesterday."""
    today = timezone.localdate()
    return CampaignFactory(
        starts_on=today - datetime.timedelta(days=30),
        ends_on=today - datetime.timedelta(days=1),
        commitment=commitment_of(SEED),
        **kwargs,
    )


def _future_campaign(**kwargs):
    today = timezone.localdate()
    return CampaignFactory(
        starts_on=today + datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=20),
        commitment="",
        committed_at=None,
        **kwargs,
    )


@pytest.mark.django_db(transaction=True)
def test_draw_picks_the_winners_anyone_can_recompute_and_deletes_the_others_contact_data(run_tasks):
    campaign = _closed_campaign(prizes=3)
    for code in CODES:
        RaffleEntryFactory(campaign=campaign, code=code, language="de")
    winners = raffle_draw(campaign=campaign, seed=SEED)
    assert [entry.code for entry in winners] == independent_winners(SEED, CODES, 3)
    campaign.refresh_from_db()
    assert campaign.seed == SEED and campaign.drawn_at is not None
    losers = RaffleEntry.objects.filter(campaign=campaign, won=False)
    assert losers.count() == 3
    assert all(e.email == "" and e.contact_hash is None and e.contact_deleted_at for e in losers)
    assert all(e.email for e in RaffleEntry.objects.filter(campaign=campaign, won=True))
    run_tasks()
    assert sorted(m.to[0] for m in mail.outbox) == sorted(e.email for e in winners)
    assert "Sie haben gewonnen" in mail.outbox[0].subject
    assert all(e.notified_at for e in RaffleEntry.objects.filter(campaign=campaign, won=True))


def test_a_seed_that_does_not_match_the_commitment_is_refused(db):
    campaign = _closed_campaign()
    RaffleEntryFactory(campaign=campaign)
    with pytest.raises(FeedbackError, match="does not match"):
        raffle_draw(campaign=campaign, seed="another seed")


def test_no_draw_before_the_end_or_without_a_commitment_or_twice(db):
    open_campaign = CampaignFactory(commitment=commitment_of(SEED))
    with pytest.raises(FeedbackError, match="only after its last day"):
        raffle_draw(campaign=open_campaign, seed=SEED)
    uncommitted = CampaignFactory(ends_on=timezone.localdate() - datetime.timedelta(days=1), commitment="")
    with pytest.raises(FeedbackError, match="No commitment"):
        raffle_draw(campaign=uncommitted, seed=SEED)
    campaign = _closed_campaign()
    raffle_draw(campaign=campaign, seed=SEED)
    with pytest.raises(FeedbackError, match="already been drawn"):
        raffle_draw(campaign=campaign, seed=SEED)


def test_the_commitment_must_be_published_before_the_first_day_and_before_any_entry(db):
    started = CampaignFactory(commitment="", committed_at=None)  # started ten days ago
    with pytest.raises(FeedbackError, match="before the campaign's first day"):
        campaign_commit(campaign=started)
    starts_today = _future_campaign()
    starts_today.starts_on = timezone.localdate()
    starts_today.save()
    with pytest.raises(FeedbackError, match="before the campaign's first day"):
        campaign_commit(campaign=starts_today)
    with_entry = _future_campaign()
    RaffleEntryFactory(campaign=with_entry)
    with pytest.raises(FeedbackError, match="before anyone can enter"):
        campaign_commit(campaign=with_entry)
    future = _future_campaign()
    campaign_commit(campaign=future, seed=SEED)
    future.refresh_from_db()
    assert future.commitment == EXPECTED_COMMITMENT
    # A commitment dated on or after the first day (e.g. written past the service) is refused at the draw.
    late = _closed_campaign()
    late.committed_at = timezone.make_aware(datetime.datetime.combine(late.starts_on, datetime.time(0, 1)))
    late.save()
    with pytest.raises(FeedbackError, match="published after the campaign started"):
        raffle_draw(campaign=late, seed=SEED)


def test_no_draw_on_or_after_the_deletion_day_of_the_contact_data(db):
    campaign = _closed_campaign()
    RaffleEntryFactory(campaign=campaign)
    campaign.contact_data_delete_on = timezone.localdate()
    campaign.save()
    with pytest.raises(FeedbackError, match="contact data is deleted"):
        raffle_draw(campaign=campaign, seed=SEED)
    campaign.refresh_from_db()
    assert campaign.drawn_at is None


def test_the_commit_command_refuses_a_started_campaign_and_says_why(db):
    campaign = CampaignFactory(commitment="", committed_at=None)
    with pytest.raises(CommandError, match="must be published before the campaign's first day"):
        call_command("feedback_commit", campaign.slug, stdout=io.StringIO())


def test_commands_publish_the_commitment_and_draw_with_progress(db):
    campaign = _future_campaign(prizes=2)
    out = io.StringIO()
    call_command("feedback_commit", campaign.slug, stdout=out)
    seed = out.getvalue().split("until the draw): ")[1].strip()
    campaign.refresh_from_db()
    assert campaign.commitment == hashlib.sha256(seed.encode()).hexdigest()
    for code in CODES:
        RaffleEntryFactory(campaign=campaign, code=code)
    with pytest.raises(CommandError, match="only after its last day"):
        call_command("feedback_draw", campaign.slug, seed=seed, stdout=io.StringIO())
    # Time passes: the commitment came before the first day, the campaign ended yesterday.
    campaign.committed_at = timezone.now() - datetime.timedelta(days=40)
    campaign.starts_on = timezone.localdate() - datetime.timedelta(days=30)
    campaign.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    out = io.StringIO()
    call_command("feedback_draw", campaign.slug, seed=seed, stdout=out)
    assert "Ranking entries" in out.getvalue() and "6/6 (100%)" in out.getvalue()
    for code in independent_winners(seed, CODES, 2):
        assert code in out.getvalue()


def test_public_page_shows_the_commitment_then_the_entries_then_the_seed_and_the_winners(client, db):
    campaign = _closed_campaign(prizes=2)
    campaign.ends_on = timezone.localdate()  # still open today
    campaign.save()
    for code in CODES:
        RaffleEntryFactory(campaign=campaign, code=code)
    page = client.get(f"/en/rueckmeldung/verlosung/{campaign.uuid}/").content.decode()
    assert campaign.commitment in page and "Entries are still open" in page
    assert not any(code in page for code in CODES)
    campaign.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    page = client.get(f"/en/rueckmeldung/verlosung/{campaign.uuid}/").content.decode()
    assert SEED not in page
    assert "Not drawn yet" in page
    # Before the draw, every entry number and the SHA-256 over their sorted list are public.
    for code in CODES:
        assert code in page
    assert hashlib.sha256("\n".join(sorted(CODES)).encode()).hexdigest() in page
    raffle_draw(campaign=campaign, seed=SEED)
    page = client.get(f"/en/rueckmeldung/verlosung/{campaign.uuid}/").content.decode()
    assert SEED in page
    for code in CODES:
        assert code in page
    winners = independent_winners(SEED, CODES, 2)
    assert page.index(winners[0]) < page.index(winners[1])
