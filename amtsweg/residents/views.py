"""The issued Meldebescheinigung: its page with the downloads, right after issue, for the session that issued it."""

from __future__ import annotations

import uuid as uuid_module

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from amtsweg.catalogue.selectors import service_get_published
from amtsweg.core.trustgate import Gate, trust_gate
from amtsweg.documents.models import SealedDocument
from amtsweg.documents.selectors import sealed_document_download
from amtsweg.documents.services import sealed_document_check_url
from amtsweg.documents.storage import private_file_path

from .journey import SESSION_KEY, SLUG


def _issued(request: HttpRequest, slug: str, uuid: uuid_module.UUID) -> SealedDocument:
    """The document, if this session issued it and its files are still kept; else 404."""
    if slug != SLUG or str(uuid) not in request.session.get(SESSION_KEY, []):
        raise Http404("not issued in this session")
    document = sealed_document_download(uuid=uuid)
    if document is None:
        raise Http404("no longer kept")
    return document


@trust_gate(Gate.FORM)
def certificate(request: HttpRequest, slug: str, uuid: uuid_module.UUID) -> HttpResponse:
    document = _issued(request, slug, uuid)
    return render(
        request,
        "residents/meldebescheinigung_issued.html",
        {
            "service": service_get_published(slug=slug),
            "document": document,
            "check_url": sealed_document_check_url(document=document),
            "city": settings.PORTAL["city"],
            "download_minutes": settings.DOCUMENTS_DOWNLOAD_MINUTES,
        },
    )


def _file(document: SealedDocument, *, name: str, filename: str, content_type: str) -> FileResponse:
    if not name:
        raise Http404("no such file")
    response = FileResponse(
        open(private_file_path(name), "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=filename,
        content_type=content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@trust_gate(Gate.FORM)
def certificate_pdf(request: HttpRequest, slug: str, uuid: uuid_module.UUID) -> FileResponse:
    document = _issued(request, slug, uuid)
    return _file(document, name=document.pdf_file, filename=f"{document.number}.pdf", content_type="application/pdf")


@trust_gate(Gate.FORM)
def certificate_record(request: HttpRequest, slug: str, uuid: uuid_module.UUID) -> FileResponse:
    document = _issued(request, slug, uuid)
    return _file(document, name=document.data_file, filename=f"{document.number}.json", content_type="application/json")
