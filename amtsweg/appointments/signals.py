"""The catalogue's public pages link to online booking: a change of what is bookable makes them stale."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from amtsweg.core.memo import content_changed

from .models import BookableService, BookingPolicy


@receiver(post_save, sender=BookableService)
@receiver(post_delete, sender=BookableService)
@receiver(post_save, sender=BookingPolicy)
@receiver(post_delete, sender=BookingPolicy)
def _bookable_changed(sender, **kwargs):  # type: ignore[no-untyped-def]
    content_changed()
