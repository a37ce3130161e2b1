"""What the portal keeps of a sealed document it issued: enough to say whether a copy is genuine, no more."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class SealedDocument(models.Model):
    """A document issued with the city's seal (e.g. an electronic Meldebescheinigung).

    Its ``uuid`` is in the document's QR code and check address (``/pruefen/<uuid>/``). The row holds
    what the document itself shows about itself (number, title, issuer, time of issue) and two
    fingerprints: the SHA-256 of the sealed PDF and of its machine-readable record (§ 18a BMG). The
    personal data on the document are not kept: the check page compares fingerprints and shows only
    what the document shows anyway. The row is deleted when ``check_until`` has passed
    (``documents_housekeeping_task``); the seal in the PDF can still be checked in a PDF reader.

    Right after issue the citizen downloads the files from the private store; they are deleted at
    ``files_until`` (an hour later by default), and their names blanked.
    """

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    number = models.CharField(_("document number"), max_length=32, unique=True)
    title = models.CharField(_("title"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    issued_at = models.DateTimeField(_("issued at"))
    pdf_sha256 = models.CharField(max_length=64, db_index=True)
    data_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    check_until = models.DateTimeField(_("can be checked until"), db_index=True)
    pdf_file = models.CharField(max_length=200, blank=True)
    data_file = models.CharField(max_length=200, blank=True)
    files_until = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("sealed document")
        verbose_name_plural = _("sealed documents")

    def __str__(self) -> str:
        return self.number
