"""A form version that is published, changed or deleted changes what the service's pages show."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from amtsweg.core.memo import content_changed

from .models import FormVersion


@receiver(post_save, sender=FormVersion)
@receiver(post_delete, sender=FormVersion)
def _form_version_changed(sender, **kwargs):  # type: ignore[no-untyped-def]
    content_changed()
