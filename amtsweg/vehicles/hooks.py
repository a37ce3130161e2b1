"""What the Kfz-Zulassung adds to other apps: the application recorded and sent when its case opens, sent at once
after the citizen's payment, and the back office's panel and inbox lines (``staff.py``). Registered in
``apps.VehiclesConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from amtsweg.applications.after_sending import after_sending_hooks
from amtsweg.cases.constants import CLOSED_STATUSES
from amtsweg.cases.hooks import case_hooks

from . import services
from .constants import VEHICLE_SERVICES, ApplicationState
from .models import VehicleApplication

# Before the registry or staff decided: the case is ended by that decision (the panel), not the status form.
UNDECIDED_STATES = frozenset(
    {ApplicationState.TO_SEND, ApplicationState.SENDING, ApplicationState.UNAVAILABLE, ApplicationState.REVIEW}
)


@case_hooks.on_open
def vehicle_application_record(*, case: Any) -> None:
    """A case of the four services: record its application and queue the sending (no outside call here)."""
    if case.service.slug in VEHICLE_SERVICES:
        services.vehicle_application_open(case=case)


def vehicle_send_at_once(*, submission: Any) -> None:
    """After the citizen paid: send the application now, in their request, so the confirmation page shows the
    decision. The queued task sends it as well if this fails or the registry is down (whoever comes first)."""
    application = VehicleApplication.objects.filter(case__submission=submission).only("pk", "state").first()
    if application is not None and application.state in (ApplicationState.TO_SEND, ApplicationState.UNAVAILABLE):
        services.vehicle_application_send(application=application)


for _slug in sorted(VEHICLE_SERVICES):
    after_sending_hooks.add(_slug, vehicle_send_at_once)


@case_hooks.closed_elsewhere
def vehicle_application_undecided(*, case: Any) -> str | None:
    """While the registry or staff have not decided, the case is ended by that decision, so that the citizen
    reads why and the registry knows it."""
    if case.service.slug not in VEHICLE_SERVICES or case.status in CLOSED_STATUSES:
        return None
    state = VehicleApplication.objects.filter(case=case).values_list("state", flat=True).first()
    if state not in UNDECIDED_STATES:
        return None
    return gettext(
        "This application is decided by the vehicle registry or in the section “Vehicle registry” on this page, "
        "which ends the case and tells the citizen."
    )
