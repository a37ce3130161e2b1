from django.tasks import task

from .services import appointment_confirm_link_deliver, appointments_remind, holds_expire


@task
def appointments_housekeeping_task() -> dict[str, int]:
    """Reminders for tomorrow's appointments and expired holds (queued by run_scheduled)."""
    return {"reminded": appointments_remind(), "holds_expired": holds_expire()}


@task
def appointment_confirm_link_task(appointment_uuid: str) -> str:
    """Email the confirm link of one hold (queued by appointment_hold); gives the hold back if it cannot."""
    return appointment_confirm_link_deliver(appointment_uuid=appointment_uuid)
