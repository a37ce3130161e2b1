"""Any change to a case makes the cached inbox counts stale (after the transaction commits)."""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Case
from .selectors import CASES_VERSION_KEY


def _bump() -> None:
    cache.set(CASES_VERSION_KEY, time.time_ns(), timeout=None)


@receiver(post_save, sender=Case)
@receiver(post_delete, sender=Case)
def case_changed(sender, **kwargs):  # type: ignore[no-untyped-def]
    transaction.on_commit(_bump)
