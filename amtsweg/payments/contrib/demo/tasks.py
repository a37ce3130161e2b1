"""The demo provider's notification: a real, signed HTTP request to our notification endpoint."""

import functools
import logging
import ssl

import httpx
from django.conf import settings
from django.tasks import task

from .plugin import SIGNATURE_HEADER, notification_body, sign

logger = logging.getLogger(__name__)


@functools.cache
def _tls() -> ssl.SSLContext:
    """Made once per process: httpx would build a new TLS context (loading the system's certificates,
    20-40 ms of CPU) for every notification, even to an http:// address."""
    return ssl.create_default_context()


@task
def demo_notification_send(provider_id: str, status: str) -> int:
    from .models import DemoProviderTransaction

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
        verify=_tls(),
    )
    logger.info("demo provider notified %s: HTTP %s", record.notify_url, response.status_code)
    return response.status_code
