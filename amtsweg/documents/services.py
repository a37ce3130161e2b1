"""Writes for documents: generating a submission's summary PDF once and keeping it."""

from collections.abc import Callable

from django.db import transaction
from django.db.models import Model

from amtsweg.applications.models import Submission

from .pdf import submission_summary_pdf
from .storage import private_file_path, private_file_write, private_files_delete

__all__ = ["stored_pdf", "submission_summary_pdf", "submission_summary_pdf_store"]


def stored_pdf(*, instance: Model, field: str, render: Callable[[], bytes], folder: str = "generated") -> str:
    """The storage name kept in ``instance.<field>``, rendering and storing the PDF on first use.

    Idempotent: a stored PDF that still exists on disk is reused. The PDF is
    rendered outside the row lock; if two callers race, the first stored name
    wins and the other file is removed.
    """
    known = getattr(instance, field)
    if known and _exists(known):
        return known
    name = private_file_write(data=render(), suffix=".pdf", folder=folder)
    model = type(instance)
    with transaction.atomic():
        current = getattr(model._default_manager.select_for_update().get(pk=instance.pk), field)
        if current and current != known and _exists(current):
            winner = current
        else:
            winner = name
            model._default_manager.filter(pk=instance.pk).update(**{field: name})
    if winner != name:
        private_files_delete(names=[name])
    setattr(instance, field, winner)
    return winner


def submission_summary_pdf_store(*, submission: Submission) -> str:
    """The storage name of the submission's summary PDF, generated and stored on first use."""
    return stored_pdf(
        instance=submission, field="summary_pdf", render=lambda: submission_summary_pdf(submission=submission)
    )


def _exists(name: str) -> bool:
    try:
        return private_file_path(name).is_file()
    except ValueError:
        return False
