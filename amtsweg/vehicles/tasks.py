"""The Kfz-Zulassung's background tasks: sending an application to the vehicle registry, and the periodic sweep
that sends whatever is still waiting (queued by ``manage.py run_scheduled``, settings.SCHEDULED_TASKS).

Both carry no personal data: the send task names the case by its UUID and loads the rest.
"""

from __future__ import annotations

import datetime
import logging

from django.conf import settings
from django.tasks import task
from django.utils import timezone

logger = logging.getLogger(__name__)


def vehicle_retry_delay(*, attempts: int) -> datetime.timedelta | None:
    """The wait after the ``attempts``-th failed attempt (``VEHICLE_REGISTRY['retry_minutes']``: 1, 5, 15, 60,
    240 minutes by default), or None after the last: then the sweep and staff take over."""
    minutes = settings.VEHICLE_REGISTRY["retry_minutes"]
    if attempts < 1 or attempts > len(minutes):
        return None
    return datetime.timedelta(minutes=minutes[attempts - 1])


@task
def vehicle_application_send_task(*, case_uuid: str) -> str:
    """Send the case's vehicle application to the registry (``services.vehicle_application_send``).

    A registry that cannot be reached is tried again as a new task run after the next wait of
    ``retry_minutes`` (the Tasks API's ``run_after``), counted by the application's own ``attempts``; after the
    last, an internal note tells staff and the periodic sweep keeps sending it. An application decided or being
    sent elsewhere is left alone. Returns the outcome, "retry", or "gone" for a case deleted meanwhile.
    """
    from .constants import ApplicationState
    from .models import VehicleApplication
    from .services import SendOutcome, vehicle_application_send, vehicle_application_unreachable

    application = VehicleApplication.objects.filter(case__uuid=case_uuid).first()
    if application is None:
        return "gone"
    outcome = vehicle_application_send(application=application)
    if outcome != SendOutcome.UNAVAILABLE:
        return str(outcome)
    application.refresh_from_db(fields=["attempts", "state"])
    delay = vehicle_retry_delay(attempts=application.attempts)
    if delay is not None and vehicle_application_send_task.get_backend().supports_defer:
        later = vehicle_application_send_task.using(run_after=timezone.now() + delay)
        later.enqueue(case_uuid=case_uuid)
        return "retry"
    if application.state == ApplicationState.UNAVAILABLE:
        vehicle_application_unreachable(application=application)
    return str(outcome)


@task
def vehicles_sweep_task() -> dict[str, int]:
    """Send every vehicle application still waiting: to send, unavailable, or claimed by a process that died
    (``services.vehicle_applications_sweep``). Nothing is lost, also when no worker ran the send task."""
    from .services import vehicle_applications_sweep

    return vehicle_applications_sweep()
