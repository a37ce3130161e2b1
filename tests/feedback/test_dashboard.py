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
def test_every_staff_view_needs_a_feedback_permission(pattern):
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
    assert text.splitlines()[0].startswith("Woche;Leistung;Kanal;Zufriedenheit")
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


@pytest.mark.parametrize(
    ("params", "field"),
    [({"bis": "9999-12-31"}, "bis"), ({"von": "0001-01-01"}, "von"), ({"von": "1999-12-31"}, "von")],
)
def test_far_dates_get_a_message_at_the_field_not_a_500(client, analyst, params, field):
    client.force_login(analyst)
    for url in ("/en/intern/rueckmeldungen/", "/en/intern/rueckmeldungen/export.csv"):
        response = client.get(url, params)
        assert response.status_code in (200, 400), url
    response = client.get("/en/intern/rueckmeldungen/", params)
    page = response.content.decode()
    assert response.status_code == 400
    assert "between 2000 and 2099" in page
    assert f'id="id_{field}-error"' in page
    assert f'name="{field}" value="{params[field]}" autocomplete="off" aria-invalid="true"' in page


def test_the_chart_has_a_description_with_the_counts(client, analyst, service):
    campaign = CampaignFactory()
    for value in (5, 5, 3):
        ResponseFactory(campaign=campaign, service=service, satisfaction=value)
    client.force_login(analyst)
    page = client.get("/en/intern/rueckmeldungen/").content.decode()
    assert 'aria-describedby="chart-desc"' in page
    desc = page.split('<desc id="chart-desc">')[1].split("</desc>")[0]
    assert "Rating 5: 2 responses" in desc and "Rating 3: 1 response;" in desc and "Rating 1: 0 responses" in desc


def test_a_bad_entry_on_the_winners_page_is_a_404_not_a_500(client, leader):
    campaign = CampaignFactory()
    for value in ("nope", "", "00000000-0000-0000-0000-000000000000"):
        assert client.post(reverse("feedback:winners", args=[campaign.uuid]), {"entry": value}).status_code in (
            302,
            404,
        )
    client.force_login(leader)
    for value in ("nope", "", "00000000-0000-0000-0000-000000000000"):
        assert client.post(reverse("feedback:winners", args=[campaign.uuid]), {"entry": value}).status_code == 404


def test_ideas_show_the_week_and_no_rating_in_small_groups(client, analyst, service, other_service):
    campaign = CampaignFactory()
    monday = timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday() + 14)
    ResponseFactory(campaign=campaign, service=service, submitted_on=monday, satisfaction=1, idea="Einzelne Idee")
    ResponseFactory(campaign=campaign, service=service, submitted_on=monday, satisfaction=2)
    for day in range(3):
        ResponseFactory(
            campaign=campaign,
            service=service,
            submitted_on=monday + datetime.timedelta(days=7 + day),
            satisfaction=4,
            idea=f"Idee {day}" if day == 0 else "",
        )
    client.force_login(analyst)
    page = client.get("/en/intern/rueckmeldungen/", {"von": (monday - datetime.timedelta(days=1)).isoformat()})
    page = page.content.decode()
    year, week, _ = monday.isocalendar()
    lonely = page.split("Einzelne Idee")[0].rsplit("<h3", 1)[1]
    assert f"Week {week}/{year}" in lonely and "rating not shown (few responses)" in lonely
    assert "satisfaction 1" not in lonely and monday.strftime("%Y") + "-" not in lonely
    crowded = page.split("Idee 0")[0].rsplit("<h3", 1)[1]
    assert "satisfaction 4" in crowded
    csv = client.get("/intern/rueckmeldungen/export.csv", {"von": (monday - datetime.timedelta(days=1)).isoformat()})
    rows = [line.split(";") for line in csv.content.decode("utf-8-sig").splitlines()]
    header = rows[0]
    lonely_row = next(row for row in rows if "Einzelne Idee" in row)
    assert lonely_row[0] == f"{year}-W{week:02d}"
    assert lonely_row[header.index("Zufriedenheit")] == "" and lonely_row[header.index("zufriedenheit")] == ""
    assert "weniger als 3 Antworten" in lonely_row[-1]
    crowded_row = next(row for row in rows if "Idee 0" in row)
    assert crowded_row[header.index("Zufriedenheit")] == "4" and crowded_row[-1] == ""
    # The response without an idea in the small group keeps its rating (it says nothing about a person).
    assert any(row[header.index("Zufriedenheit")] == "2" for row in rows[1:])
