"""Any change to the catalogue makes the cached public pages stale."""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from amtsweg.core.memo import content_changed

from .models import Department, Fee, Location, OpeningHours, Referral, Service

CATALOGUE_MODELS = (Department, Location, OpeningHours, Service, Fee, Referral)


@receiver(post_save)
@receiver(post_delete)
def _catalogue_row_changed(sender, **kwargs):  # type: ignore[no-untyped-def]
    if sender in CATALOGUE_MODELS:
        content_changed()


@receiver(m2m_changed, sender=Service.locations.through)
def _service_locations_changed(sender, **kwargs):  # type: ignore[no-untyped-def]
    content_changed()
