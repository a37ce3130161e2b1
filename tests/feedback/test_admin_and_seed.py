"""The office configures campaigns in the admin; make run seeds a demo campaign."""

import io

from django.core.management import call_command

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


def test_the_demo_campaign_is_seeded_once_with_a_commitment(db):
    call_command("load_feedback_demo", stdout=io.StringIO())
    call_command("load_feedback_demo", stdout=io.StringIO())
    campaign = Campaign.objects.get()
    assert campaign.raffle_enabled and campaign.prizes == 20 and len(campaign.commitment) == 64
    assert campaign.questions.count() == 6
    assert IdeaTag.objects.filter(slug="termin-fehlt").exists()
