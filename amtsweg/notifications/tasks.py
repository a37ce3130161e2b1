"""Background tasks of the notifications module (Django's Tasks API)."""

from django.tasks import task

from .services import notification_deliver


@task
def notification_send(notification_uuid: str) -> str:
    """Send one queued email; idempotent, and it schedules its own retry on failure.

    Its only argument is the ``Notification``'s uuid: the address and any secret the email needs stay on
    that row (the secret encrypted), never in the task queue.
    """
    return notification_deliver(notification_uuid=notification_uuid)
