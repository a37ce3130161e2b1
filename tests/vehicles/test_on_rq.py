"""An i-Kfz application on the RQ task backend (Redis, several servers): queued when its case's transaction commits,
sent by a worker to the demo vehicle registry over HTTP, and, with the registry down, tried again by the worker's
scheduler at its time. Skipped without REDIS_URL (PostgreSQL's pass of .ci/run sets it)."""

import datetime

import pytest
from django.utils import timezone
from rq.registry import ScheduledJobRegistry

from amtsweg.cases.constants import CaseStatus
from amtsweg.vehicles.constants import ApplicationState
from amtsweg.vehicles.models import VehicleApplication

from .cases import DEREGISTRATION_SERVICE, GOLF_OFF_ROAD, vehicle_case

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Generated files, and the demo seal's key for the proof an approval issues, in the test's own folder."""
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.VAR_DIR = tmp_path / "var"


def test_on_rq_a_registry_that_is_down_is_tried_again_by_the_workers_scheduler(
    kassel, demo_vehicle_registry_server, rq_tasks
):
    demo_vehicle_registry_server.stop()
    case = vehicle_case(DEREGISTRATION_SERVICE, **GOLF_OFF_ROAD)
    assert rq_tasks.queue.count == 1  # queued when the case's transaction committed

    rq_tasks.work()

    application = VehicleApplication.objects.get(case=case)
    assert (application.state, application.attempts) == (ApplicationState.UNAVAILABLE, 1)
    scheduled = ScheduledJobRegistry(queue=rq_tasks.queue)
    [retry_id] = scheduled.get_job_ids()
    assert scheduled.get_scheduled_time(retry_id) - timezone.now() > datetime.timedelta(seconds=30)
    assert rq_tasks.queue.fetch_job(retry_id).kwargs == {"case_uuid": str(case.uuid)}  # an id, nothing personal

    demo_vehicle_registry_server.start()
    rq_tasks.work()  # not due yet: nothing is sent
    assert VehicleApplication.objects.get(case=case).attempts == 1
    # The minute passes: the job is due, and a worker's scheduler moves it to the queue.
    rq_tasks.queue.schedule_job(rq_tasks.queue.fetch_job(retry_id), datetime.datetime.now(datetime.UTC))
    rq_tasks.work()

    application = VehicleApplication.objects.get(case=case)
    assert (application.state, application.attempts, application.last_error) == (ApplicationState.APPROVED, 2, "")
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED
    assert len(demo_vehicle_registry_server.read()["applications"]) == 1
