"""An application's stored PDF goes with it: deleted from the private store once its deletion commits (the
case's retention deletes the application with the case)."""

from functools import partial

from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from amtsweg.documents.storage import private_files_delete

from .models import VehicleApplication


@receiver(post_delete, sender=VehicleApplication)
def application_deleted(sender, instance, **kwargs):  # type: ignore[no-untyped-def]
    if instance.proof_pdf:
        transaction.on_commit(partial(private_files_delete, names=[instance.proof_pdf]))
