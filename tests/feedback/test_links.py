"""The survey is offered in the confirmation email with the submission's one-time link."""

import re

import pytest
from django.core import mail

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
