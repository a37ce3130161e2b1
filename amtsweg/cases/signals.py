"""Any change to a case makes the cached inbox counts stale (after the transaction commits)."""

import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from amtsweg.core.memo import content_changed

from .models import Case, ProcessingRule
from .selectors import CASES_VERSION_KEY


def _bump() -> None:
    cache.set(CASES_VERSION_KEY, time.time_ns(), timeout=None)


@receiver(post_save, sender=Case)
@receiver(post_delete, sender=Case)
def case_changed(sender, **kwargs):  # type: ignore[no-untyped-def]
    transaction.on_commit(_bump)


@receiver(post_save, sender=ProcessingRule)
@receiver(post_delete, sender=ProcessingRule)
def processing_rule_changed(sender, **kwargs):  # type: ignore[no-untyped-def]
    """The rules in force are kept per content version (selectors.processing_rule_in_force)."""
    content_changed()
