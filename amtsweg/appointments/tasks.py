from django.tasks import task

from .services import appointments_remind, holds_expire


@task
def appointments_housekeeping_task() -> dict[str, int]:
    """Reminders for tomorrow's appointments and expired holds (queued by run_scheduled)."""
    return {"reminded": appointments_remind(), "holds_expired": holds_expire()}
