"""Writes for documents: a submission's summary PDF, kept once made; sealed documents and their upkeep."""

import datetime
import hashlib
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Model
from django.urls import reverse
from django.utils import timezone

from amtsweg.applications.models import Submission

from . import seal
from .models import SealedDocument
from .pdf import submission_summary_pdf
from .storage import private_file_path, private_file_write, private_files_delete

__all__ = [
    "IssuedDocument",
    "sealed_document_check_url",
    "sealed_document_issue",
    "sealed_documents_prune",
    "stored_pdf",
    "submission_summary_pdf",
    "submission_summary_pdf_store",
]


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


# --- sealed documents -------------------------------------------------------------------------


def sealed_document_check_url(*, document: SealedDocument) -> str:
    """The public address where anyone can check the document (in its QR code and printed on it)."""
    path = reverse("documents:check", kwargs={"uuid": document.uuid})
    return settings.PORTAL["base_url"].rstrip("/") + path


@dataclass(frozen=True)
class IssuedDocument:
    document: SealedDocument
    pdf: bytes  # sealed
    data: bytes  # the machine-readable record ("" if the document has none)


def sealed_document_issue(
    *,
    number: str,
    title: str,
    issuer: str,
    render_pdf: Callable[[SealedDocument], bytes],
    render_data: Callable[[SealedDocument], bytes] | None = None,
    check_days: int,
    seal_reason: str,
    seal_location: str,
) -> IssuedDocument:
    """Render, seal and record a document; keep its files for the download right after issue.

    ``render_pdf`` and ``render_data`` get the document's row before it is saved (its uuid, number and
    time of issue are set), so that the PDF can carry its check address. Raises
    ``seal.SealUnavailable`` when no seal is configured. The row keeps the fingerprints of the sealed
    PDF and of the record, never their content.
    """
    now = timezone.now()
    document = SealedDocument(
        uuid=uuid.uuid4(),
        number=number,
        title=title[:200],
        issuer=issuer[:200],
        issued_at=now,
        check_until=now + datetime.timedelta(days=check_days),
        files_until=now + datetime.timedelta(minutes=settings.DOCUMENTS_DOWNLOAD_MINUTES),
    )
    sealed = seal.seal_pdf(pdf=render_pdf(document), reason=seal_reason, location=seal_location)
    data = render_data(document) if render_data is not None else b""
    document.pdf_sha256 = hashlib.sha256(sealed).hexdigest()
    document.data_sha256 = hashlib.sha256(data).hexdigest() if data else ""
    names = [private_file_write(data=sealed, suffix=".pdf")]
    if data:
        names.append(private_file_write(data=data, suffix=".json"))
    document.pdf_file = names[0]
    document.data_file = names[1] if data else ""
    try:
        document.save()
    except Exception:
        private_files_delete(names=names)
        raise
    return IssuedDocument(document=document, pdf=sealed, data=data)


def sealed_documents_prune(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete the download files whose time is up, and the rows past their check period."""
    now = now or timezone.now()
    due = SealedDocument.objects.filter(files_until__lt=now).exclude(pdf_file="", data_file="")
    files = 0
    for document in due.only("pk", "pdf_file", "data_file"):
        files += private_files_delete(names=[document.pdf_file, document.data_file])
        SealedDocument.objects.filter(pk=document.pk).update(pdf_file="", data_file="")
    expired = SealedDocument.objects.filter(check_until__lt=now)
    for document in expired.exclude(pdf_file="", data_file="").only("pdf_file", "data_file"):
        files += private_files_delete(names=[document.pdf_file, document.data_file])
    rows, _by_model = expired.delete()
    return {"sealed_files_deleted": files, "sealed_documents_deleted": rows}
