"""Writes for documents: generating a submission's summary PDF once and keeping it."""

from django.db import transaction

from amtsweg.applications.models import Submission

from .pdf import submission_summary_pdf
from .storage import private_file_path, private_file_write, private_files_delete

__all__ = ["submission_summary_pdf", "submission_summary_pdf_store"]


def submission_summary_pdf_store(*, submission: Submission) -> str:
    """The storage name of the submission's summary PDF, generated and stored on first use.

    Idempotent: a stored PDF that still exists on disk is reused. The PDF is
    rendered outside the row lock; if two callers race, the first stored name
    wins and the other file is removed.
    """
    if submission.summary_pdf and _exists(submission.summary_pdf):
        return submission.summary_pdf
    name = private_file_write(data=submission_summary_pdf(submission=submission), suffix=".pdf")
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.summary_pdf and locked.summary_pdf != submission.summary_pdf and _exists(locked.summary_pdf):
            winner = locked.summary_pdf
        else:
            winner = name
            Submission.objects.filter(pk=submission.pk).update(summary_pdf=name)
    if winner != name:
        private_files_delete(names=[name])
    submission.summary_pdf = winner
    return winner


def _exists(name: str) -> bool:
    try:
        return private_file_path(name).is_file()
    except ValueError:
        return False
