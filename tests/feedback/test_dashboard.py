"""The office's dashboard: figures per service and period, scoped to departments, tags, CSV, permissions."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from amtsweg.accounts.constants import FEEDBACK_ANALYSTS, LEADERSHIP
from amtsweg.accounts.services import roles_ensure
from amtsweg.feedback import urls as feedback_urls
from amtsweg.feedback.models import RaffleEntry
from tests.accounts.factories import StaffFactory
from tests.applications.factories import SubmissionFactory
from tests.catalogue.factories import DepartmentFactory, ServiceFactory

from .factories import CampaignFactory, IdeaTagFactory, RaffleEntryFactory, ResponseFactory

STAFF_VIEWS = [p for p in feedback_urls.urlpatterns if str(p.pattern).startswith("intern/")]


@pytest.fixture(autouse=True)
def _no_2fa(settings):
    settings.STAFF_2FA_REQUIRED = False


@pytest.fixture
def groups(db):
    return roles_ensure()


@pytest.fixture
def other_service(db):
    return ServiceFactory(department=DepartmentFactory(slug="standesamt"), slug="geburtsurkunde", name_de="Geburt")


@pytest.fixture
def analyst(service, groups):
    user = StaffFactory(departments=[service.department])
    user.groups.add(groups[FEEDBACK_ANALYSTS])
    return user


@pytest.fixture
def leader(service, groups):
    user = StaffFactory(departments=[service.department])
    user.groups.add(groups[LEADERSHIP])
    return user


@pytest.mark.parametrize("pattern", STAFF_VIEWS, ids=lambda p: p.name)
def test_every_staff_view_needs_the_back_office_login_and_a_permission(pattern):
    assert getattr(pattern.callback, "staff_required", False), pattern.name
    assert getattr(pattern.callback, "permission_required", "").startswith("feedback."), pattern.name


def test_department_staff_without_the_permission_are_refused(client, service):
    client.force_login(StaffFactory(departments=[service.department]))
    assert client.get("/intern/rueckmeldungen/").status_code == 403
    client.logout()
    assert client.get("/intern/rueckmeldungen/").status_code == 302


def test_figures_per_service_and_period(client, analyst, service):
    campaign = CampaignFactory()
    for value in (5, 5, 4, 2):
        ResponseFactory(campaign=campaign, service=service, satisfaction=value)
    ResponseFactory(
        campaign=campaign, service=service, submitted_on=timezone.localdate() - datetime.timedelta(days=400)
    )
    for number in range(1, 9):
        SubmissionFactory(form_version__service=service, form_version__number=number)
    client.force_login(analyst)
    page = client.get("/en/intern/rueckmeldungen/", {"leistung": service.slug}).content.decode()
    assert '<dd class="kern-description-list-item__value" id="figure-responses">4</dd>' in page
    assert "4.00" in page  # (5 + 5 + 4 + 2) / 4
    assert "50.0 %" in page  # 4 responses for 8 submissions
    assert "<svg" in page and "<table" in page and 'width="320.0"' in page  # the longest bar: rating 5


def test_a_department_sees_only_its_services_and_leadership_sees_all(client, analyst, leader, service, other_service):
    campaign = CampaignFactory()
    ResponseFactory(campaign=campaign, service=service, idea="Idee für das Bürgerbüro")
    ResponseFactory(campaign=campaign, service=other_service, idea="Idee für das Standesamt")
    ResponseFactory(campaign=campaign, service=None, channel="portal", idea="Idee aus der Fußzeile")
    client.force_login(analyst)
    page = client.get("/intern/rueckmeldungen/").content.decode()
    assert "Idee für das Bürgerbüro" in page
    assert "Idee für das Standesamt" not in page and "Idee aus der Fußzeile" not in page
    assert client.get("/intern/rueckmeldungen/", {"leistung": other_service.slug}).status_code == 403
    csv = client.get("/intern/rueckmeldungen/export.csv").content.decode("utf-8-sig")
    assert "Idee für das Bürgerbüro" in csv and "Standesamt" not in csv
    client.force_login(leader)
    page = client.get("/intern/rueckmeldungen/").content.decode()
    for idea in ("Idee für das Bürgerbüro", "Idee für das Standesamt", "Idee aus der Fußzeile"):
        assert idea in page


def test_ideas_are_shown_escaped_and_can_be_tagged_and_marked_implemented(client, analyst, service):
    tag = IdeaTagFactory(slug="formular-unklar", name_de="Formular unklar")
    response = ResponseFactory(campaign=CampaignFactory(), service=service, idea="<b>fett</b> Formular zu lang")
    client.force_login(analyst)
    page = client.get("/intern/rueckmeldungen/").content.decode()
    assert "<b>fett</b>" not in page and "&lt;b&gt;fett&lt;/b&gt;" in page
    answer = client.post(
        reverse("feedback:idea_edit", args=[response.uuid]), {"tags": ["formular-unklar"], "implemented": "yes"}
    )
    assert answer.status_code == 302
    response.refresh_from_db()
    assert list(response.tags.all()) == [tag] and response.implemented
    page = client.get("/intern/rueckmeldungen/", {"schlagwort": "formular-unklar"}).content.decode()
    assert "Formular zu lang" in page


def test_staff_cannot_tag_another_departments_idea(client, analyst, other_service):
    response = ResponseFactory(campaign=CampaignFactory(), service=other_service, idea="fremd")
    client.force_login(analyst)
    assert client.post(reverse("feedback:idea_edit", args=[response.uuid]), {"implemented": "yes"}).status_code == 403


def test_csv_export_quotes_formulas(client, analyst, service):
    ResponseFactory(campaign=CampaignFactory(), service=service, idea="=HYPERLINK(1)")
    client.force_login(analyst)
    response = client.get("/intern/rueckmeldungen/export.csv")
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Tag;Leistung;Kanal;Zufriedenheit")
    assert "'=HYPERLINK(1)" in text


def test_a_bad_period_gets_a_message_not_a_500(client, analyst):
    client.force_login(analyst)
    response = client.get("/en/intern/rueckmeldungen/", {"von": "gestern"})
    assert response.status_code == 400
    assert "Enter the first day as year-month-day" in response.content.decode()


def test_winners_page_needs_leadership_and_is_audited(client, analyst, leader):
    from amtsweg.cases.models import AuditEntry

    campaign = CampaignFactory()
    campaign.drawn_at = timezone.now()
    campaign.save()
    entry = RaffleEntryFactory(campaign=campaign, won=True, email="gewinn@example.org")
    client.force_login(analyst)
    assert client.get(reverse("feedback:winners", args=[campaign.uuid])).status_code == 403
    client.force_login(leader)
    page = client.get(reverse("feedback:winners", args=[campaign.uuid])).content.decode()
    assert "gewinn@example.org" in page
    assert AuditEntry.objects.filter(action="view_raffle_winners", actor=leader).exists()
    client.post(reverse("feedback:winners", args=[campaign.uuid]), {"entry": entry.pk})
    entry = RaffleEntry.objects.get(pk=entry.pk)
    assert entry.email == "" and entry.handed_over_at
