"""The raffle: a separate step, stored apart, one entry per address, contact data deleted on time."""

import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from amtsweg.feedback.models import RaffleEntry, Response
from amtsweg.feedback.services import raffle_contact_purge
from amtsweg.feedback.tokens import SurveyLink, raffle_ticket_make

from .factories import CampaignFactory, RaffleEntryFactory
from .test_survey import _post, _token


def _ticket(client, token: str | None = None) -> str:
    """Answer the survey through an application's one-time link; the raffle ticket is then in the session."""
    response = _post(client, _token() if token is None else token)
    assert response.status_code == 302 and "?" not in response["Location"]
    return client.session["feedback_raffle_ticket"]


def _give(client, ticket: str) -> None:
    session = client.session
    session["feedback_raffle_ticket"] = ticket
    session.save()


def _enter(client, ticket, **data):
    _give(client, ticket)
    values = {"contact_kind": "email", "email": "erika@example.org", "consent": "yes", **data}
    return client.post("/rueckmeldung/gewinnspiel/", values)


def test_the_raffle_page_shows_conditions_and_consent(client, campaign):
    _ticket(client)
    response = client.get("/rueckmeldung/gewinnspiel/")
    assert response["Referrer-Policy"] == "strict-origin"
    page = response.content.decode()
    assert "Teilnahmebedingungen: einmal pro Person." in page
    assert "Ich bin einverstanden." in page


def test_an_entry_is_stored_apart_from_the_answers(client, campaign):
    ticket = _ticket(client)
    response = _enter(client, ticket)
    assert response.status_code == 302 and response["Location"] == "/rueckmeldung/gewinnspiel/teilgenommen/"
    entry = RaffleEntry.objects.get()
    assert entry.email == "erika@example.org" and entry.contact_hash
    done = client.get(response["Location"])
    assert entry.code in done.content.decode() and done["Referrer-Policy"] == "no-referrer"
    assert "feedback_raffle_ticket" not in client.session  # the ticket is used up
    # No column of the response names the entry and none of the entry names the response.
    answer = Response.objects.get()
    assert str(answer.uuid) not in str(RaffleEntry.objects.values().get())
    assert entry.code not in str(Response.objects.values().get())


def test_a_ticket_is_used_once(client, campaign):
    ticket = _ticket(client)
    assert _enter(client, ticket).status_code == 302
    again = _enter(client, ticket, email="other@example.org")
    assert again.status_code == 409
    assert RaffleEntry.objects.count() == 1


def test_the_same_address_is_refused_in_one_campaign_with_a_message(client, campaign):
    assert _enter(client, _ticket(client), email="Erika@Example.org ").status_code == 302
    again = _enter(client, _ticket(client), email="erika@example.org")
    assert again.status_code == 400
    page = again.content.decode()
    assert "Diese Adresse nimmt schon an der Verlosung teil" in page
    assert 'value="erika@example.org"' in page  # the input is kept


def test_plus_addresses_and_gmail_dots_of_one_mailbox_count_as_one_address(client, campaign):
    assert _enter(client, _ticket(client), email="erika.mustermann@gmail.com").status_code == 302
    for spelling in ["erika.mustermann+1@gmail.com", "ErikaMustermann@googlemail.com"]:
        again = _enter(client, _ticket(client), email=spelling)
        assert again.status_code == 400 and "Diese Adresse nimmt schon an der Verlosung teil" in again.content.decode()
    assert RaffleEntry.objects.get().email == "erika.mustermann@gmail.com"  # kept as typed, for the winner's email


def test_the_migration_rehashes_earlier_entries_by_their_mailbox(client, campaign):
    import importlib

    from django.apps import apps

    from amtsweg.feedback.tokens import contact_hash

    migration = importlib.import_module("amtsweg.feedback.migrations.0004_raffle_contact_hash_by_mailbox")
    old = [("erika+1@example.org", "email:erika+1@example.org"), ("erika+2@example.org", "email:erika+2@example.org")]
    for email, normalised in old:  # entered before, hashed by the address as typed
        RaffleEntryFactory(campaign=campaign, email=email, contact_hash=contact_hash(
            campaign_uuid=str(campaign.uuid), normalised=normalised))  # fmt: skip
    migration.rehash_email_entries(apps, None)
    assert RaffleEntry.objects.count() == 2  # both stay entered
    again = _enter(client, _ticket(client), email="erika@example.org")
    assert again.status_code == 400 and RaffleEntry.objects.count() == 2


def test_postal_spelling_variants_count_as_one_address(client, campaign):
    first = "Erika Mustermann\nWilhelmshöher Allee 19\n34117 Kassel"
    second = "erika mustermann, wilhelmshöher allee 19,  34117 KASSEL"
    assert _enter(client, _ticket(client), contact_kind="post", email="", postal_address=first).status_code == 302
    again = _enter(client, _ticket(client), contact_kind="post", email="", postal_address=second)
    assert again.status_code == 400


def test_missing_consent_and_bad_email_get_messages(client, campaign):
    response = _enter(client, _ticket(client), email="not-an-address", consent="")
    page = response.content.decode()
    assert response.status_code == 400
    assert "E-Mail-Adresse im richtigen Format" in page and "Teilnahmebedingungen zu" in page
    assert RaffleEntry.objects.count() == 0


def test_without_an_idea_the_entry_is_refused_if_the_campaign_says_so(client, db):
    from amtsweg.feedback.services import response_submit
    from amtsweg.feedback.tokens import raffle_ticket_read

    strict = CampaignFactory(requires_idea=True)
    relaxed = CampaignFactory(requires_idea=False)
    link = SurveyLink(service_id=None, channel="online", nonce="n1")
    for campaign, eligible in ((strict, False), (relaxed, True)):
        questions = list(campaign.questions.all())
        _response, ticket = response_submit(
            campaign=campaign, questions=questions, values={"zufriedenheit": "3"}, link=link
        )
        link = SurveyLink(service_id=None, channel="online", nonce="n2")
        assert raffle_ticket_read(ticket=ticket).eligible is eligible
        assert (_enter(client, ticket).status_code == 302) is eligible


def test_an_invalid_ticket_is_refused_with_a_message(client, campaign):
    _give(client, "forged")
    response = client.get("/rueckmeldung/gewinnspiel/")
    assert response.status_code == 400
    assert "nicht gültig" in response.content.decode()


def test_a_closed_raffle_takes_no_entries(client, campaign):
    ticket = _ticket(client)
    campaign.ends_on = timezone.localdate() - datetime.timedelta(days=1)
    campaign.save()
    assert _enter(client, ticket).status_code == 400


def test_all_contact_data_is_deleted_on_the_deletion_day_by_the_scheduled_job(db):
    campaign = CampaignFactory()
    other = CampaignFactory(contact_data_delete_on=campaign.contact_data_delete_on + datetime.timedelta(days=1))
    RaffleEntryFactory.create_batch(3, campaign=campaign)
    RaffleEntryFactory(campaign=other)
    day = campaign.contact_data_delete_on
    assert raffle_contact_purge(today=day - datetime.timedelta(days=1)) == 0
    assert RaffleEntry.objects.filter(campaign=campaign).exclude(email="").count() == 3
    assert raffle_contact_purge(today=day) == 3
    for entry in RaffleEntry.objects.filter(campaign=campaign):
        assert entry.email == "" and entry.postal_address == "" and entry.contact_hash is None
        assert entry.code  # the entry numbers stay for the public check of the draw
    assert RaffleEntry.objects.get(campaign=other).email


def test_run_scheduled_deletes_contact_data_past_the_day(db):
    campaign = CampaignFactory(
        starts_on=timezone.localdate() - datetime.timedelta(days=60),
        ends_on=timezone.localdate() - datetime.timedelta(days=30),
        contact_data_delete_on=timezone.localdate(),
    )
    RaffleEntryFactory(campaign=campaign)
    out = io.StringIO()
    call_command("run_scheduled", now=True, stdout=out)
    assert "1 raffle contacts deleted" in out.getvalue()
    assert RaffleEntry.objects.get().email == ""


def test_handing_over_the_prize_deletes_the_winners_contact(db):
    from amtsweg.feedback.services import raffle_prize_handed_over
    from tests.accounts.factories import StaffFactory

    entry = RaffleEntryFactory(won=True)
    raffle_prize_handed_over(entry=entry, actor=StaffFactory())
    entry.refresh_from_db()
    assert entry.handed_over_at and entry.email == "" and entry.contact_deleted_at


def test_raffle_entries_are_rate_limited_per_address(client, campaign, settings):
    settings.FEEDBACK = {**settings.FEEDBACK, "limit_per_ip": 1}
    assert _enter(client, _ticket(client), email="a@example.org").status_code == 302
    response = _enter(client, raffle_ticket_make(campaign_id=campaign.pk, eligible=True), email="b@example.org")
    assert response.status_code == 429
    assert RaffleEntry.objects.count() == 1


def test_responses_through_the_footer_get_no_raffle_ticket_unless_the_campaign_allows_it(client, campaign):
    footer = _post(client)  # the general survey: no one-time link, could be sent again and again
    page = client.get(footer["Location"]).content.decode()
    assert "Am Gewinnspiel teilnehmen" not in page
    assert "Umfrage-Link aus Ihrem Antrag" in page
    refused = client.post("/rueckmeldung/gewinnspiel/", {"contact_kind": "email", "email": "a@example.org"})
    assert refused.status_code == 400 and RaffleEntry.objects.count() == 0
    campaign.raffle_footer_responses = True
    campaign.save()
    assert _enter(client, _ticket(client, token="")).status_code == 302
    assert RaffleEntry.objects.count() == 1


def test_a_raffle_without_a_commitment_takes_no_entries_and_says_it_is_not_open_yet(client, db):
    campaign = CampaignFactory(commitment="", committed_at=None)
    assert not campaign.raffle_open()
    ticket = raffle_ticket_make(campaign_id=campaign.pk, eligible=True)
    response = _enter(client, ticket)
    assert response.status_code == 400
    assert "Das Gewinnspiel ist noch nicht geöffnet" in response.content.decode()
    assert RaffleEntry.objects.count() == 0


def test_control_characters_in_the_postal_address_are_dropped(client, campaign):
    address = "Erika\x00 Mustermann\r\nWilhelmshöher Allee 19\x1b\n34117 Kassel"
    assert _enter(client, _ticket(client), contact_kind="post", email="", postal_address=address).status_code == 302
    assert RaffleEntry.objects.get().postal_address == "Erika Mustermann\nWilhelmshöher Allee 19\n34117 Kassel"
