"""A paid simple Melderegisterauskunft on the RQ task backend (Redis, several servers): the register is asked by a
worker once the case's transaction has committed; with the register down, the next attempt waits in RQ's schedule
and a worker's scheduler runs it at its time. Skipped without REDIS_URL (PostgreSQL's pass of .ci/run sets it)."""

import datetime

import pytest
from django.core import mail
from rq.registry import ScheduledJobRegistry

from amtsweg.cases.constants import CaseStatus

from .test_information import fill, pay
from .test_information_staff import request_case, requester_subjects

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_on_rq_a_simple_request_is_asked_again_later_and_answered_once_the_register_is_back(
    client, forms, demo_register_server, rq_tasks
):
    demo_register_server.stop()
    fill(client)
    pay(client)
    case = request_case()

    rq_tasks.work()

    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED
    scheduled = ScheduledJobRegistry(queue=rq_tasks.queue)
    [retry_id] = [
        job_id for job_id in scheduled.get_job_ids() if "information" in rq_tasks.queue.fetch_job(job_id).func_name
    ]
    assert rq_tasks.queue.fetch_job(retry_id).kwargs == {"case_uuid": str(case.uuid), "attempt": 2}

    demo_register_server.start()
    mail.outbox.clear()
    # The minute passes: the job is due, and a worker's scheduler moves it to the queue.
    rq_tasks.queue.schedule_job(rq_tasks.queue.fetch_job(retry_id), datetime.datetime.now(datetime.UTC))
    rq_tasks.work()

    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert requester_subjects() == [f"Ihr Antrag {case.reference} ist abgeschlossen"]
    assert "Friedrich-Ebert-Straße 12" in mail.outbox[-1].body
