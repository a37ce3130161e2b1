"""The demo provider's notification: a real, signed HTTP request to our notification endpoint."""

import logging

import httpx
from django.conf import settings
from django.tasks import task

from .plugin import SIGNATURE_HEADER, notification_body, sign

logger = logging.getLogger(__name__)


@task
def demo_notification_send(provider_id: str, status: str) -> int:
    from ...models import DemoProviderTransaction

    record = DemoProviderTransaction.objects.filter(id=provider_id).first()
    if record is None:
        return 0
    if record.status == "processing":  # the delayed outcome is due now
        record.status = record.outcome
        record.save(update_fields=["status"])
    body = notification_body(record, status)
    secret = settings.PAYMENTS["providers"]["demo"]["secret"]
    response = httpx.post(
        record.notify_url,
        content=body,
        headers={"Content-Type": "application/json", SIGNATURE_HEADER: sign(body, secret=secret)},
        timeout=10.0,
    )
    logger.info("demo provider notified %s: HTTP %s", record.notify_url, response.status_code)
    return response.status_code
