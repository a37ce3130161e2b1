"""The contact form's additions to the citizen's pages and emails: the receipt of an extension request.

The confirmation page and the status page show the receipt with its legal effect and a link to the PDF
(``case_hooks.citizen_panel``) and list it among the documents (``citizen_documents``); the confirmation
email carries the PDF (``confirmation_attachments``).
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from amtsweg.applications.journey import CitizenDocument, citizen_documents
from amtsweg.cases.hooks import CasePanel, case_hooks
from amtsweg.notifications.attachments import Attachment, confirmation_attachments

from .constants import SERVICE
from .pdf import receipt_pdf
from .selectors import receipt_for


@case_hooks.citizen_panel
def receipt_panel(*, case: Any, submission: Any) -> CasePanel | None:
    receipt = receipt_for(submission=submission)
    if receipt is None:
        return None
    url = reverse("immigration:receipt", kwargs={"uuid": submission.uuid})
    return CasePanel(template="immigration/_receipt_panel.html", context={"receipt": receipt, "url": url})


@citizen_documents.register(SERVICE)
def receipt_document(*, submission: Any) -> list[CitizenDocument]:
    if receipt_for(submission=submission) is None:
        return []
    url = reverse("immigration:receipt", kwargs={"uuid": submission.uuid})
    return [CitizenDocument(title=_("Receipt of your request (PDF)"), url=url)]


@confirmation_attachments.register(SERVICE)
def receipt_attachment(*, submission: Any) -> list[Attachment]:
    receipt = receipt_for(submission=submission)
    if receipt is None:
        return []
    return [
        Attachment(
            title=_("Receipt of your request (PDF)"),
            filename=f"eingangsbestaetigung-{submission.reference}.pdf",
            content=receipt_pdf(submission=submission, receipt=receipt),
        )
    ]
