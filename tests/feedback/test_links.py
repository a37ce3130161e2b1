"""The survey is offered in the confirmation email with the submission's one-time link."""

import re

import pytest
from django.core import mail

from amtsweg.applications.access import status_access_grant
from amtsweg.feedback.models import Response
from amtsweg.notifications.services import notify_submission_received

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_confirmation_email_carries_a_one_time_survey_link(client, settings, tmp_path, run_tasks):
    from tests.applications.factories import SubmissionFactory

    from .factories import CampaignFactory

    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    CampaignFactory()
    submission = SubmissionFactory()
    notify_submission_received(submission=submission, access_code="ABCD-EFGH")
    run_tasks()
    body = mail.outbox[0].body
    url = re.search(r"http://127\.0\.0\.1:8000(/rueckmeldung/\?t=\S+)", body).group(1)
    assert url in mail.outbox[0].alternatives[0][0].replace("&amp;", "&")
    token = url.split("?t=")[1]
    assert client.post("/rueckmeldung/", {"t": token, "zufriedenheit": "3"}).status_code == 302
    assert Response.objects.get().service == submission.service
    assert client.post("/rueckmeldung/", {"t": token, "zufriedenheit": "3"}).status_code == 409


def test_the_status_page_offers_the_survey_once_the_case_is_completed(client):
    from amtsweg.cases.constants import CaseStatus
    from tests.cases.factories import CaseFactory

    from .factories import CampaignFactory

    CampaignFactory()
    case = CaseFactory(status=CaseStatus.IN_PROGRESS)
    session = client.session
    status_access_grant(session=session, submission=case.submission)
    session.save()
    url = f"/status/{case.submission.uuid}/"
    assert "/rueckmeldung/?t=" not in client.get(url).content.decode()
    case.status = CaseStatus.COMPLETED
    case.save()
    page = client.get(url).content.decode()
    token = re.search(r'href="/rueckmeldung/\?t=([^"]+)"', page).group(1)
    assert client.post("/rueckmeldung/", {"t": token, "zufriedenheit": "5"}).status_code == 302


def test_the_confirmed_appointment_page_and_email_offer_the_general_survey(client, run_tasks):
    from tests.appointments.test_booking import make_office
    from tests.appointments.test_flow import _book, _links, _next_weekday_at

    office = make_office(counters=1, lead=0)
    office.location.slug = "buergerbuero"
    office.location.save()
    office.service.slug = "meldebescheinigung"
    office.service.save()
    _book(client, _next_weekday_at(9))
    run_tasks()  # the task worker sends the confirm link
    manage = client.post(_links(mail.outbox[0])[0])
    run_tasks()  # and the confirmation
    assert "http://127.0.0.1:8000/rueckmeldung/\n" in mail.outbox[1].body + "\n"  # no token: not an application
    page = client.get(manage["Location"]).content.decode()
    assert 'href="/rueckmeldung/" rel="noreferrer"' in page


def test_survey_links_on_confirmation_and_status_pages_send_no_referrer():
    from pathlib import Path

    for name in ("confirmation.html", "status.html"):
        text = (Path(__file__).parents[2] / "amtsweg/templates/applications" / name).read_text()
        assert 'href="{{ feedback_url }}" rel="noreferrer"' in text, name
