from django.tasks import task

from .services import payment_reconcile


@task
def payment_reconcile_task() -> dict[str, int]:
    """Settle payments still pending at the provider and expire unpaid ones (queued by run_scheduled)."""
    result = payment_reconcile()
    return {
        "asked": result.asked,
        "changed": result.changed,
        "unavailable": result.unavailable,
        "expired": result.expired,
    }
