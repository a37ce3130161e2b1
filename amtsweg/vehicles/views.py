"""The citizen's download of the document issued with an approval (``proof.py``), from the status page."""

from __future__ import annotations

import logging
import uuid as uuid_module

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponseBase
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.applications.selectors import submission_for_status
from amtsweg.core.trustgate import Gate, trust_gate
from amtsweg.documents.storage import private_file_path

from .citizen import SERVICES, application_of_case
from .constants import ApplicationState
from .proof import proof_filename, provisional_proof_issue

logger = logging.getLogger(__name__)


@trust_gate(Gate.SUBMISSION)
@require_http_methods(["GET"])
def proof(request: HttpRequest, uuid: uuid_module.UUID) -> HttpResponseBase:
    """The provisional proof of registration (or the confirmation of a deregistration), for a session that may
    see the submission (404 otherwise, as for every status-page download).

    A document that could not be issued with the approval (no seal configured at that moment) is issued now.
    """
    submission = submission_for_status(session=request.session, uuid=str(uuid))
    if submission.service.slug not in SERVICES:
        raise Http404("not a vehicle application")
    application = application_of_case(case=getattr(submission, "case", None))
    if application is None or application.state != ApplicationState.APPROVED:
        raise Http404("no approved vehicle application")
    if not application.proof_pdf:
        provisional_proof_issue(application=application)
    try:
        handle = private_file_path(application.proof_pdf).open("rb") if application.proof_pdf else None
    except (OSError, ValueError):
        logger.error("the stored document of an approved vehicle application cannot be read")
        handle = None
    if handle is None:
        messages.error(
            request,
            _("Your document cannot be downloaded at the moment. Please try again later, or call 115."),
        )
        return redirect("applications:status", uuid=submission.uuid)
    response = FileResponse(
        handle, as_attachment=True, filename=proof_filename(application=application), content_type="application/pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
