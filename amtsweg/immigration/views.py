"""The citizen's receipt of an extension request (selectors.receipt_for), as a PDF download."""

from __future__ import annotations

import uuid as uuid_module

from django.http import Http404, HttpRequest, HttpResponse

from amtsweg.applications.selectors import submission_for_status
from amtsweg.core.trustgate import Gate, trust_gate

from .pdf import receipt_pdf
from .selectors import receipt_for


@trust_gate(Gate.SUBMISSION)
def receipt(request: HttpRequest, uuid: uuid_module.UUID) -> HttpResponse:
    """The receipt, for a browser session that may see the submission; 404 for a request without one."""
    submission = submission_for_status(session=request.session, uuid=str(uuid))
    found = receipt_for(submission=submission)
    if found is None:
        raise Http404("no receipt for this submission")
    response = HttpResponse(receipt_pdf(submission=submission, receipt=found), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="eingangsbestaetigung-{submission.reference}.pdf"'
    return response
