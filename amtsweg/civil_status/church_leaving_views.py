"""Kirchenaustritt's pages: the prepared declaration for the citizen (status page) and for staff (case page),
and the staff's record of the declaration made at the counter (church_leaving.py)."""

from __future__ import annotations

import uuid as uuid_module

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.applications.selectors import submission_for_status
from amtsweg.cases.constants import AuditAction
from amtsweg.cases.errors import CaseError
from amtsweg.cases.selectors import case_get_for_staff
from amtsweg.cases.services import audit_record
from amtsweg.core import dates
from amtsweg.core.http import see_other
from amtsweg.core.trustgate import Gate, trust_gate

from .church_leaving import SLUG, church_leaving_declaration_pdf, church_leaving_record


def _pdf(content: bytes, reference: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="kirchenaustritt-erklaerung-{reference}.pdf"'
    return response


@trust_gate(Gate.SUBMISSION)
def declaration(request: HttpRequest, uuid: uuid_module.UUID) -> HttpResponse:
    """The citizen's prepared declaration, for a session that may see the submission."""
    submission = submission_for_status(session=request.session, uuid=str(uuid))
    if submission.service.slug != SLUG:
        raise Http404("not a declaration of leaving the church")
    return _pdf(church_leaving_declaration_pdf(submission=submission), submission.reference)


@staff_required
def staff_declaration(request: HttpRequest, uuid: uuid_module.UUID) -> HttpResponse:
    """The prepared declaration from the case page, for staff of the case's department (audited)."""
    case = case_get_for_staff(user=request.user, uuid=uuid)
    if case.service.slug != SLUG:
        raise Http404("not a declaration of leaving the church")
    audit_record(actor=request.user, action=AuditAction.PRINT_DOCUMENT, case=case, detail="Kirchenaustritt: Erklärung")
    return _pdf(church_leaving_declaration_pdf(submission=case.submission), case.reference)


@staff_required
@require_http_methods(["POST"])
def record(request: HttpRequest, uuid: uuid_module.UUID) -> HttpResponse:
    """ "Erklärung abgegeben am …": completes the case and issues the certificate."""
    case = case_get_for_staff(user=request.user, uuid=uuid)
    if case.service.slug != SLUG:
        raise Http404("not a declaration of leaving the church")
    try:
        declared_on = dates.parse_day(request.POST.get("declared_on"), within=dates.PORTAL_DAYS)
    except dates.DateInputError as exc:
        raise CaseError(exc.message) from None
    church_leaving_record(case=case, actor=request.user, declared_on=declared_on)
    messages.success(
        request,
        _("The declaration was recorded. The citizen gets the certificate on the status page and by email."),
    )
    return see_other(reverse("cases:case_detail", kwargs={"uuid": case.uuid}))
