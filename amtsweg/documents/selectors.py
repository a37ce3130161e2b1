"""Reads for documents: what a submission summary shows; sealed documents to check and download."""

import uuid as uuid_module
from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.utils import timezone

from amtsweg.applications.models import Submission

from .models import SealedDocument


@dataclass(frozen=True)
class SummaryRow:
    label: str
    value: str


@dataclass(frozen=True)
class SummarySection:
    title: str
    rows: tuple[SummaryRow, ...]


def _unanswered(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _raw(value: Any) -> str:
    if isinstance(value, dict):
        return ", ".join(_raw(v) for v in value.values() if not _unanswered(v))
    if isinstance(value, list):
        return ", ".join(_raw(v) for v in value if not _unanswered(v))
    return str(value)


def submission_summary_sections(*, submission: Submission) -> list[SummarySection]:
    """Every answered field with its label and displayed value, grouped by step, in the active language.

    Uses the form definition frozen into the submission. Without the form
    engine (or for a field type no longer registered) the raw answer is shown.
    """
    answers: dict[str, Any] = submission.answers or {}
    try:
        from amtsweg.applications.formengine.base import tr
        from amtsweg.applications.formengine.definition import parse_definition
        from amtsweg.applications.formengine.registry import field_types
    except ImportError:  # the form engine has not landed yet
        rows = tuple(SummaryRow(label=key, value=_raw(v)) for key, v in answers.items() if not _unanswered(v))
        return [SummarySection(title="", rows=rows)] if rows else []

    sections = []
    for step in parse_definition(submission.definition).steps:
        step_rows: list[SummaryRow] = []
        for spec in step.fields:
            value = answers.get(spec.key)
            if _unanswered(value):
                continue
            try:
                shown = field_types.get(spec.type).display_in_summary(spec, value)
            except KeyError:
                shown = _raw(value)
            step_rows.append(SummaryRow(label=tr(spec.label), value=shown))
        if step_rows:
            sections.append(SummarySection(title=tr(step.title), rows=tuple(step_rows)))
    return sections


# --- sealed documents -------------------------------------------------------------------------


def sealed_document_checkable(*, uuid: uuid_module.UUID | str) -> SealedDocument | None:
    """The sealed document with this id that can still be checked, or None."""
    return SealedDocument.objects.filter(uuid=uuid, check_until__gte=timezone.now()).first()


def sealed_document_by_fingerprint(*, sha256: str) -> SealedDocument | None:
    """The checkable sealed document whose PDF or machine-readable record has this SHA-256, or None."""
    return (
        SealedDocument.objects.filter(Q(pdf_sha256=sha256) | Q(data_sha256=sha256), check_until__gte=timezone.now())
        .order_by("-issued_at")
        .first()
    )


def sealed_document_download(*, uuid: uuid_module.UUID | str) -> SealedDocument | None:
    """The sealed document while its files are still kept for the download, or None."""
    return SealedDocument.objects.filter(uuid=uuid, files_until__gte=timezone.now()).exclude(pdf_file="").first()


@dataclass(frozen=True)
class UploadCheck:
    """What the check page found for an uploaded file: its kind, our record of it, and its seal."""

    kind: str  # "pdf", "json", or "" for neither
    match: SealedDocument | None = None  # a checkable document whose fingerprint is the file's
    seal: Any = None  # documents.seal.SealCheck, for a PDF

    @property
    def genuine(self) -> bool:
        if self.match is None:
            return False
        return self.kind == "json" or (self.seal is not None and self.seal.valid)


def sealed_document_check_upload(*, data: bytes) -> UploadCheck:
    """Check an uploaded PDF (fingerprint and seal) or machine-readable record (fingerprint)."""
    import hashlib
    import json

    from . import seal

    match = sealed_document_by_fingerprint(sha256=hashlib.sha256(data).hexdigest())
    if data.startswith(b"%PDF-"):
        return UploadCheck(kind="pdf", match=match, seal=seal.seal_check(pdf=data))
    try:
        json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return UploadCheck(kind="")
    return UploadCheck(kind="json", match=match if match is not None and match.data_sha256 else None)
