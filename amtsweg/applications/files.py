"""Uploaded files: checked, optionally virus-scanned, stored outside the web root.

Names on disk are random; the original name is only metadata. Files are served
by views that check permission (status page, back office), never by the web
server directly.
"""

import hashlib
import logging
import socket
import struct
from functools import partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amtsweg.accounts.models import User
from amtsweg.documents.storage import private_file_write, private_files_delete

from .errors import ApplicationError
from .formengine.base import Cleaned, FieldSpec
from .formengine.registry import field_types
from .models import Draft, StoredFile, Submission

logger = logging.getLogger(__name__)

MAGIC = [
    (b"%PDF-", "application/pdf"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
]

# The file a citizen sends from the status page for a document request. It is checked as a form's file
# field is, with that field type's defaults (PDF, JPEG or PNG, at most 10 MB).
DOCUMENT_REQUEST_FILE = FieldSpec(key="documents", type="file", label={"de": "Dokument", "en": "Document"})


def sniff_content_type(head: bytes) -> str | None:
    for magic, content_type in MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def virus_scan(data: bytes) -> None:
    """Scan with ClamAV (clamd INSTREAM over its Unix socket) when CLAMAV_SOCKET is set.

    Refuses an infected file with a message; if the scanner is configured but
    unreachable, refuses too (fail closed) so nothing unscanned gets in.
    """
    if not settings.CLAMAV_SOCKET:
        return
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(30)
            sock.connect(settings.CLAMAV_SOCKET)
            sock.sendall(b"zINSTREAM\0")
            for start in range(0, len(data), 65536):
                chunk = data[start : start + 65536]
                sock.sendall(struct.pack("!L", len(chunk)) + chunk)
            sock.sendall(struct.pack("!L", 0))
            answer = sock.recv(4096).decode("utf-8", "replace").strip("\0\n ")
    except OSError as error:
        logger.exception("virus scanner unreachable at %s", settings.CLAMAV_SOCKET)
        raise ApplicationError(
            _("The file could not be checked for viruses. Please try again later."), status=503
        ) from error
    if not answer.endswith("OK"):
        logger.warning("upload refused by virus scanner: %s", answer)
        raise ApplicationError(_("The file was refused because it may contain a virus."))


def file_store(
    *,
    upload: UploadedFile,
    draft: Draft | None = None,
    submission: Submission | None = None,
    field_key: str = "",
    staff: User | None = None,
) -> StoredFile:
    """Store an upload whose type was already checked by the field type (or is checked here)."""
    upload.seek(0)
    data = upload.read()
    content_type = sniff_content_type(data[:16])
    if content_type is None:
        raise ApplicationError(_("The file must be a PDF, JPG or PNG."))
    virus_scan(data)
    storage_name = private_file_write(data=data, folder="uploads")
    return StoredFile.objects.create(
        draft=draft,
        submission=submission,
        field_key=field_key,
        original_name=Path(upload.name or "upload").name[:255],
        content_type=content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        storage_name=storage_name,
        uploaded_by_staff=staff,
    )


def document_request_file_clean(*, data: Any, files: Any) -> Cleaned:
    """The file posted as ``documents`` for a document request, checked; its ``errors`` say what is wrong."""
    return field_types.get(DOCUMENT_REQUEST_FILE.type).clean(DOCUMENT_REQUEST_FILE, data, files)


def files_delete(*, files: QuerySet[StoredFile]) -> int:
    """Delete stored files: their rows now, the files on disk once the transaction commits. Returns the count."""
    names = list(files.values_list("storage_name", flat=True))
    files.delete()
    transaction.on_commit(partial(private_files_delete, names=names))
    return len(names)
