"""Background tasks of the feedback module (Django's Tasks API)."""

from django.tasks import task

from .services import raffle_contact_purge, raffle_winner_notify


@task
def raffle_winner_notify_task(entry_id: str) -> str:
    """Email one raffle winner; idempotent."""
    return raffle_winner_notify(entry_id=entry_id)


@task
def feedback_housekeeping_task() -> dict[str, int]:
    """Delete the raffle contact data of campaigns past their deletion day (queued by run_scheduled)."""
    return {"raffle_contacts_deleted": raffle_contact_purge()}
