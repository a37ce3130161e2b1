"""The office configures campaigns in the admin; make run seeds a demo campaign."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from amtsweg.feedback.models import Campaign, IdeaTag
from tests.accounts.factories import StaffFactory


def test_a_campaign_made_in_the_admin_gets_the_default_questions(client, db, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get("/intern/admin/feedback/campaign/add/").status_code == 200
    data = {
        "name_de": "Frühjahr",
        "name_en": "Spring",
        "slug": "fruehjahr",
        "starts_on": "2026-03-01",
        "ends_on": "2026-05-31",
        "prizes": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    response = client.post("/intern/admin/feedback/campaign/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    campaign = Campaign.objects.get(slug="fruehjahr")
    assert campaign.questions.count() == 6
    assert campaign.questions.get(key="zufriedenheit").text_en == "How satisfied are you overall?"


def test_a_raffle_needs_prizes_and_a_deletion_day_after_the_end(client, db, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    data = {
        "name_de": "Sommer",
        "name_en": "Summer",
        "slug": "sommer",
        "starts_on": "2026-06-01",
        "ends_on": "2026-08-31",
        "raffle_enabled": "on",
        "prizes": "0",
        "contact_data_delete_on": "2026-08-01",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    response = client.post("/en/intern/admin/feedback/campaign/add/", data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Enter how many prizes are raffled." in page
    assert "The deletion day must be after the last day of the campaign." in page
    assert not Campaign.objects.filter(slug="sommer").exists()


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_a_campaign_day_at_the_end_of_the_calendar_is_refused(client, db, settings, day):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    data = {
        "name_de": "Sommer",
        "name_en": "Summer",
        "slug": "sommer",
        "starts_on": "2026-06-01",
        "ends_on": day,
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    response = client.post("/en/intern/admin/feedback/campaign/add/", data)
    assert response.status_code == 200
    assert "Enter a day between 1 January 2000 and 31 December 2099." in response.content.decode()
    assert not Campaign.objects.filter(slug="sommer").exists()


def test_the_demo_campaign_is_seeded_once_with_a_commitment(db):
    call_command("load_feedback_demo", stdout=io.StringIO())
    call_command("load_feedback_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get()
    assert campaign.raffle_enabled and campaign.prizes == 20 and len(campaign.commitment) == 64
    # Committed before its first day, so its draw is accepted, and the raffle is open in make run.
    assert timezone.localdate(campaign.committed_at) < campaign.starts_on
    assert campaign.raffle_open()
    assert campaign.questions.count() == 6
    assert IdeaTag.objects.filter(slug="termin-fehlt").exists()


def _raffle_data(**changes):
    start = timezone.localdate() + datetime.timedelta(days=10)
    data = {
        "name_de": "Winter",
        "name_en": "Winter",
        "slug": "winter",
        "starts_on": start.isoformat(),
        "ends_on": (start + datetime.timedelta(days=30)).isoformat(),
        "raffle_enabled": "on",
        "requires_idea": "on",
        "prizes": "5",
        "conditions_de": "Einmal pro Person.",
        "consent_text_de": "Ich bin einverstanden.",
        "contact_data_delete_on": (start + datetime.timedelta(days=60)).isoformat(),
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
        "questions-MIN_NUM_FORMS": "0",
        "questions-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def _question(index, **fields):
    base = {"key": f"frage-{index}", "order": str(index), "kind": "yes_no", "role": "other", "text_de": "Frage?",
            "text_en": "Question?", "choices": "[]"}  # fmt: skip
    base.update(fields)
    return {f"questions-{index}-{key}": value for key, value in base.items()}


def test_a_raffle_needs_conditions_consent_and_a_first_day_after_today_without_a_commitment(client, db, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    today = timezone.localdate().isoformat()
    data = _raffle_data(conditions_de="", consent_text_de=" ", starts_on=today)
    page = client.post("/en/intern/admin/feedback/campaign/add/", data).content.decode()
    assert "Enter the conditions of participation of the raffle." in page
    assert "Enter the consent text of the raffle." in page
    assert "must be published before its first day" in page
    assert not Campaign.objects.exists()
    assert client.post("/en/intern/admin/feedback/campaign/add/", _raffle_data()).status_code == 302


def test_a_raffle_for_ideas_needs_an_idea_question_and_choices_must_be_well_formed(client, db, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    data = _raffle_data(
        **{"questions-TOTAL_FORMS": "2"}, **_question(0), **_question(1, kind="choice", choices='{"a": 1}')
    )
    page = client.post("/en/intern/admin/feedback/campaign/add/", data).content.decode()
    assert "one question needs the role" in page
    assert "Enter the answers as a list like" in page
    assert not Campaign.objects.exists()
    good = '[{"value": "a", "de": "A", "en": "A"}]'
    data = _raffle_data(**{"questions-TOTAL_FORMS": "2"}, **_question(0, role="idea", kind="text"),
                        **_question(1, kind="choice", choices=good))  # fmt: skip
    response = client.post("/en/intern/admin/feedback/campaign/add/", data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Campaign.objects.get().questions.count() == 2


def test_malformed_choices_stored_anyway_do_not_break_the_survey(client, db):
    from .factories import CampaignFactory

    campaign = CampaignFactory(questions=False)
    campaign.questions.create(key="x", kind="choice", text_de="Wie?", text_en="How?", choices=["kaputt", {"a": 1}])
    assert client.get("/rueckmeldung/").status_code == 200
