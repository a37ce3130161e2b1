"""The public check of sealed documents: /pruefen/<id>/ (from the QR code) and the upload at /pruefen/."""

from __future__ import annotations

import uuid as uuid_module

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.core import ratelimit
from amtsweg.core.clientip import client_network
from amtsweg.core.trustgate import public

from .selectors import UploadCheck, sealed_document_check_upload, sealed_document_checkable

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


def _upload(request: HttpRequest) -> tuple[UploadCheck | None, str, int]:
    """The check of the posted file, or an error message and the status code."""
    upload = request.FILES.get("document")
    if upload is None or not upload.size:
        return None, _("Choose the PDF file of the document, or its data record (JSON)"), 400
    if upload.size > MAX_UPLOAD_BYTES:
        return None, _("The file is larger than 10 MB. A document from us is much smaller."), 400
    key = f"amtsweg:document-check:{client_network(request)}"
    if ratelimit.too_many(key, limit=settings.DOCUMENTS_CHECK_LIMIT_PER_IP, window=3600):
        return None, _("Too many checks from your connection. Please try again in an hour."), 429
    checked = sealed_document_check_upload(data=upload.read())
    if not checked.kind:
        return None, _("The file is neither a PDF nor a data record (JSON). Choose the document's PDF file."), 400
    return checked, "", 200


@public
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, uuid: uuid_module.UUID | None = None) -> HttpResponse:
    document = sealed_document_checkable(uuid=uuid) if uuid is not None else None
    status = 404 if uuid is not None and document is None else 200
    checked, error = None, ""
    if request.method == "POST":
        checked, error, status = _upload(request)
    return render(
        request,
        "documents/check.html",
        {
            "uuid": uuid,
            "document": document,
            "checked": checked,
            "error": error,
            "city": settings.PORTAL["city"],
        },
        status=status,
    )
