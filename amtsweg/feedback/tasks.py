"""Background tasks of the feedback module (Django's Tasks API)."""

from django.tasks import task

from .services import raffle_contact_purge


@task
def feedback_housekeeping_task() -> dict[str, int]:
    """Delete the raffle contact data of campaigns past their deletion day (queued by run_scheduled)."""
    return {"raffle_contacts_deleted": raffle_contact_purge()}
