"""The citizen's journey: start, question pages, save and resume, check answers, submit, status.

Views stay thin: they read through ``selectors``, write through ``services``
and render. Validation always runs on the server; every page works without
JavaScript.
"""

import logging
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.appointments.selectors import (
    appointment_required,
    appointments_for_case,
    booking_offers,
    booking_offers_at,
)
from amtsweg.catalogue.selectors import fee_list_current
from amtsweg.core import ratelimit
from amtsweg.core.clientip import client_network
from amtsweg.core.i18n import language_within, page_languages_set
from amtsweg.core.trustgate import Gate, public, trust_gate
from amtsweg.documents.storage import private_file_path
from amtsweg.identity.prefill import identity_answers
from amtsweg.identity.services import citizen_account, citizen_identity
from amtsweg.payments.constants import SETTLED
from amtsweg.payments.fees import fee_quote
from amtsweg.payments.selectors import payment_of_submission

from . import funnel, references, selectors, services
from .access import status_access_code, status_access_grant
from .after_sending import redirect_after_sending
from .files import document_request_file_clean, file_store
from .formengine.base import FieldError, FieldInputs
from .formengine.checklist import Checklist, upload_input
from .formengine.definition import visible_fields, visible_steps
from .formengine.hooks import run_service_rules
from .formengine.registry import field_types
from .formengine.validation import clean_step, step_raw_inputs
from .gates import service_gate_answer
from .journey import CHECK, citizen_documents_of, journey_page

security_log = logging.getLogger("amtsweg.applications.security")


def _step_url(slug: str, step_key: str, *, changing: bool = False) -> str:
    url = reverse("applications:step", kwargs={"slug": slug, "step": step_key})
    return f"{url}?aendern=1" if changing else url


@trust_gate(Gate.FORM, methods={"POST"})
@require_http_methods(["GET", "POST"])
def start(request: HttpRequest, slug: str) -> HttpResponse:
    service, version = selectors.service_with_form(slug=slug)
    page_languages_set(request, service.languages)
    if request.method == "POST":
        draft = selectors.draft_for_session(session=request.session, service=service, version=version)
        refused = service_gate_answer(request=request, service=service, draft=draft)
        if refused is not None:
            return refused
        if draft is None or draft.form_version_id != version.pk:
            draft = services.draft_start(
                service=service,
                form_version=version,
                session=request.session,
                language=language_within(get_language(), service.languages),
            )
            funnel.funnel_started(draft=draft)
        next_key = services.next_step_key(draft=draft)
        if next_key is None:
            return redirect("applications:check", slug=slug)
        return redirect(_step_url(slug, next_key))
    definition = selectors.definition_of(form_version=version)
    return render(
        request,
        "applications/start.html",
        {
            "service": service,
            "definition": definition,
            "fees": fee_list_current(service=service),
            "has_draft": selectors.draft_for_session(session=request.session, service=service, version=version)
            is not None,
        },
    )


def _inputs_for(spec, value) -> FieldInputs:  # type: ignore[no-untyped-def]
    return FieldInputs(spec.key, field_types.get(spec.type).inputs(spec, value))


def _store_uploads(draft, step_answers: dict[str, Any]) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    """Replace fresh uploads by stored-file references; earlier references stay as they are."""
    stored = {}
    for key, value in step_answers.items():
        if hasattr(value, "read") and hasattr(value, "name"):
            stored[key] = file_store(upload=value, draft=draft, field_key=key).as_reference()
        else:
            stored[key] = value
    return stored


@trust_gate(Gate.FORM)
@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    service, version = selectors.service_with_form(slug=slug)
    page_languages_set(request, service.languages)
    draft = selectors.draft_for_session(session=request.session, service=service, version=version)
    if draft is None:
        messages.info(request, _("Your answers were not found any more. Please start again."))
        return redirect("applications:start", slug=slug)
    refused = service_gate_answer(request=request, service=service, draft=draft)
    if refused is not None:
        return refused
    definition = selectors.definition_of(form_version=draft.form_version)
    try:
        current = definition.step(step)
    except KeyError:
        raise Http404("unknown step") from None
    steps = visible_steps(definition, draft.answers)
    if current.key not in [s.key for s in steps]:
        return redirect(_step_url(slug, services.next_step_key(draft=draft) or steps[-1].key))
    position = [s.key for s in steps].index(current.key)
    for earlier in steps[:position]:
        if earlier.key not in draft.completed_steps:
            return redirect(_step_url(slug, earlier.key))
    place = definition.steps.index(current)  # the step's place in the form, for the funnel's order
    funnel.funnel_step(draft=draft, step_key=current.key, position=place)
    taken = journey_page(slug=slug, page=current.key, request=request, draft=draft)
    if taken is not None:  # a page the service family shows itself (journey.py)
        return taken
    changing = request.GET.get("aendern") == "1"
    errors: list[FieldError] = []
    fields = visible_fields(current, draft.answers)
    locked = identity_answers(definition=definition, identity=citizen_identity(request))

    if request.method == "POST":
        data = request.POST.copy()
        for spec in current.fields:
            if spec.type == "file" and isinstance(draft.answers.get(spec.key), dict):
                data[f"{spec.key}-stored"] = draft.answers[spec.key]
        step_answers, errors = clean_step(
            definition, current, data, request.FILES, draft.answers, locked_answers=locked
        )
        if not errors:
            errors = run_service_rules(slug, {**draft.answers, **step_answers}, current.key)
        failed = {e.key for e in errors}
        if errors:
            funnel.funnel_errors(draft=draft, step=current, position=place, errors=errors)
        # Keep what is valid, including uploads, even when other fields of the step are wrong.
        valid = _store_uploads(draft, {k: v for k, v in step_answers.items() if k not in failed})
        saving_for_later = request.POST.get("action") == "save"
        if not errors or saving_for_later:
            draft = services.draft_save_step(draft=draft, step_key=current.key, step_answers=valid, complete=not errors)
            if saving_for_later:
                return redirect("applications:save", slug=slug)
            next_key = services.next_step_key(draft=draft)
            if changing or next_key is None:
                return redirect("applications:check", slug=slug)
            return redirect(_step_url(slug, next_key))
        if valid:
            draft = services.draft_save_step(draft=draft, step_key=current.key, step_answers=valid, complete=False)
        raw = step_raw_inputs(current, data)
        fields = visible_fields(current, {**draft.answers, **step_answers})
        field_inputs = {spec.key: FieldInputs(spec.key, raw.get(spec.key, {})) for spec in fields}
        for spec in fields:
            if spec.type == "file" and isinstance(draft.answers.get(spec.key), dict):
                field_inputs[spec.key] = _inputs_for(spec, draft.answers[spec.key])
        status = 400
    else:
        field_inputs = {spec.key: _inputs_for(spec, draft.answers.get(spec.key)) for spec in fields}
        status = 200
    for key, value in locked.items():
        if key in field_inputs:
            field_inputs[key] = _inputs_for(next(spec for spec in fields if spec.key == key), value)

    back_url = (
        reverse("applications:check", kwargs={"slug": slug})
        if changing
        else (
            _step_url(slug, steps[position - 1].key)
            if position
            else reverse("applications:start", kwargs={"slug": slug})
        )
    )
    return render(
        request,
        "applications/step.html",
        {
            "service": service,
            "definition": definition,
            "step": current,
            "fields": [(spec, field_inputs[spec.key], spec.key in locked) for spec in fields],
            "single": len(fields) == 1,
            "errors": errors,
            "back_url": back_url,
            "changing": changing,
            "multipart": any(spec.type == "file" for spec in fields),
        },
        status=status,
    )


@trust_gate(Gate.FORM)
@require_http_methods(["GET", "POST"])
def save_for_later(request: HttpRequest, slug: str) -> HttpResponse:
    service, version = selectors.service_with_form(slug=slug)
    page_languages_set(request, service.languages)
    draft = selectors.draft_for_session(session=request.session, service=service, version=version)
    if draft is None:
        return redirect("applications:start", slug=slug)
    error = None
    email = request.POST.get("email", draft.resume_email).strip()[:254]
    if request.method == "POST":
        try:
            validate_email(email)
        except ValidationError:
            error = FieldError(
                key="email", message=_("Enter an email address in the correct format, like name@example.com")
            )
        else:
            services.draft_resume_link_send(draft=draft, email=email)
            return render(request, "applications/saved.html", {"service": service, "email": email})
    return render(
        request,
        "applications/save.html",
        {
            "service": service,
            "email": email,
            "errors": [error] if error else [],
            "days": settings.DRAFT_RETENTION_DAYS,
            "hours": settings.RESUME_LINK_MAX_AGE_HOURS,
        },
        status=400 if error else 200,
    )


@public
def resume(request: HttpRequest, token: str) -> HttpResponse:
    draft = selectors.draft_from_resume_token(token=token, max_age_hours=settings.RESUME_LINK_MAX_AGE_HOURS)
    if draft is None:
        return render(request, "applications/resume_expired.html", status=410)
    drafts = dict(request.session.get("drafts", {}))
    drafts[draft.service.slug] = str(draft.uuid)
    request.session["drafts"] = drafts
    next_key = services.next_step_key(draft=draft)
    if next_key is None:
        return redirect("applications:check", slug=draft.service.slug)
    return redirect(_step_url(draft.service.slug, next_key))


def _summary(definition, answers: dict[str, Any]) -> list[dict[str, Any]]:  # type: ignore[no-untyped-def]
    rows = []
    for current in visible_steps(definition, answers):
        items = []
        for spec in visible_fields(current, answers):
            value = answers.get(spec.key)
            display = field_types.get(spec.type).display(spec, value) if value not in (None, "", [], {}) else ""
            items.append({"spec": spec, "display": display})
        rows.append({"step": current, "items": items})
    return rows


@trust_gate(Gate.FORM)
@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, slug: str) -> HttpResponse:
    service, version = selectors.service_with_form(slug=slug)
    page_languages_set(request, service.languages)
    draft = selectors.draft_for_session(session=request.session, service=service, version=version)
    if draft is None:
        return redirect("applications:start", slug=slug)
    next_key = services.next_step_key(draft=draft)
    if next_key is not None:
        return redirect(_step_url(slug, next_key))
    taken = journey_page(slug=slug, page=CHECK, request=request, draft=draft)
    if taken is not None:
        funnel.funnel_check(draft=draft)
        return taken
    checklist = selectors.draft_checklist(draft=draft)
    if selectors.draft_documents_page_due(draft=draft, checklist=checklist):
        return redirect("applications:documents", slug=slug)
    funnel.funnel_check(draft=draft)
    definition = selectors.definition_of(form_version=draft.form_version)
    errors: list[FieldError] = []
    submitting = request.method == "POST" and request.POST.get("declaration") == "yes"
    refused = service_gate_answer(request=request, service=service, draft=draft, submitting=submitting)
    if refused is not None:
        return refused
    if request.method == "POST":
        if not submitting:
            errors.append(FieldError(key="declaration", message=_("Confirm that your answers are true and complete")))
        else:
            submission, access_code = services.submission_create(
                draft=draft, identity=citizen_identity(request), account=citizen_account(request)
            )
            if access_code is not None:  # this request made the submission, not a repeated click
                funnel.funnel_submitted(draft=draft)
            status_access_grant(
                session=request.session,
                submission=submission,
                access_code=access_code or "",
                for_login=submission.account_id is not None,
            )
            drafts = dict(request.session.get("drafts", {}))
            drafts.pop(slug, None)
            request.session["drafts"] = drafts
            payment = payment_of_submission(submission=submission)
            if payment is not None and payment.status not in SETTLED:
                return redirect("payments:pay", uuid=payment.uuid)
            return redirect_after_sending(request, submission)
    return render(
        request,
        "applications/check.html",
        {
            "service": service,
            "definition": definition,
            "summary": _summary(definition, draft.answers),
            "errors": errors,
            "fee_quote": fee_quote(service=service, answers=draft.answers),
            "checklist": checklist,
            "documents_page": any(item.uploadable for item in checklist.items),
            "notices": selectors.draft_notices(draft=draft),
        },
        status=400 if errors else 200,
    )


@trust_gate(Gate.FORM)
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, slug: str) -> HttpResponse:
    """The documents page between the last step and the check page: the checklist made from the answers, with
    an upload for each document that may be uploaded instead of brought. Every upload is optional."""
    service, version = selectors.service_with_form(slug=slug)
    page_languages_set(request, service.languages)
    draft = selectors.draft_for_session(session=request.session, service=service, version=version)
    if draft is None:
        return redirect("applications:start", slug=slug)
    refused = service_gate_answer(request=request, service=service, draft=draft)
    if refused is not None:
        return refused
    next_key = services.next_step_key(draft=draft)
    if next_key is not None:
        return redirect(_step_url(slug, next_key))
    checklist = selectors.draft_checklist(draft=draft)
    offered = [item for item in checklist.items if item.uploadable]
    if not offered:
        return redirect("applications:check", slug=slug)
    errors: list[FieldError] = []
    if request.method == "POST":
        for item in offered:
            spec = item.spec.upload_field(required=False)
            assert spec is not None  # an uploadable document has an upload field
            cleaned = field_types.get(spec.type).clean(spec, request.POST, request.FILES)
            if cleaned.errors:
                errors += cleaned.errors
            elif cleaned.value is not None:  # nothing chosen: the document is brought, or was uploaded before
                services.draft_document_upload(draft=draft, document_key=item.key, upload=cleaned.value)
        if not errors:
            services.draft_documents_page_seen(draft=draft, offered=[item.key for item in offered])
            return redirect("applications:check", slug=slug)
        checklist = selectors.draft_checklist(draft=draft)  # the valid uploads of this post are kept
    steps = visible_steps(selectors.definition_of(form_version=draft.form_version), draft.answers)
    return render(
        request,
        "applications/documents.html",
        {
            "service": service,
            "checklist": checklist,
            "uploads": _upload_fields(checklist),
            "errors": errors,
            "back_url": _step_url(slug, steps[-1].key)
            if steps
            else reverse("applications:start", kwargs={"slug": slug}),
        },
        status=400 if errors else 200,
    )


def _upload_fields(checklist: Checklist) -> dict[str, tuple[Any, FieldInputs]]:
    """For each uploadable document: its optional upload field, labelled with the document, and its inputs."""
    fields = {}
    for item in checklist.items:
        spec = upload_input(item.spec)
        if spec is not None:
            stored = {"name": item.files[-1].name} if item.files else None
            fields[item.key] = (spec, FieldInputs(spec.key, {spec.key: "", f"{spec.key}-stored": stored}))
    return fields


def _next_step_offers(checklist: Checklist, case: Any) -> list[dict]:
    """The booking links of the next step, when it is an appointment."""
    step = checklist.next_step
    if step is None or step.kind != "appointment":
        return []
    return booking_offers_at(case=case, location=step.location, service=step.service)


@trust_gate(Gate.SUBMISSION)
def confirmation(request: HttpRequest, uuid: str) -> HttpResponse:
    from amtsweg.cases.hooks import case_hooks

    submission = selectors.submission_for_status(session=request.session, uuid=uuid)
    page_languages_set(request, submission.service.languages)
    case = getattr(submission, "case", None)
    checklist = selectors.submission_checklist(submission=submission)
    return render(
        request,
        "applications/confirmation.html",
        {
            "submission": submission,
            "service": submission.service,
            "access_code": status_access_code(session=request.session, submission_uuid=submission.uuid),
            "payment": payment_of_submission(submission=submission),
            # A form with outcomes says itself whether an appointment is needed (the next step).
            "booking_offers": [] if checklist.next_step else booking_offers(case=case),
            "appointment_required": appointment_required(service=submission.service),
            "checklist": checklist,
            "next_step_offers": _next_step_offers(checklist, case),
            "citizen_documents": citizen_documents_of(submission=submission),
            "fee_estimate": _fee_estimate(submission),
            "service_panels": case_hooks.citizen_panels(case=case, submission=submission),
            "notices": selectors.submission_notices(submission=submission),
        },
    )


def _fee_estimate(submission: Any) -> Any:
    """The fee as an estimate, for a form whose fee is paid at the office (``fees_paid: office``); else None."""
    definition = selectors.definition_of(form_version=submission.form_version)
    if definition.fees_paid != "office":
        return None
    return fee_quote(service=submission.service, answers=submission.answers)


@trust_gate(Gate.SUBMISSION)
def summary_pdf(request: HttpRequest, uuid: str) -> HttpResponse:
    submission = selectors.submission_for_status(session=request.session, uuid=uuid)
    page_languages_set(request, submission.service.languages)
    from amtsweg.documents.services import submission_summary_pdf

    pdf = submission_summary_pdf(submission=submission)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{submission.reference}.pdf"'
    return response


# --- status page --------------------------------------------------------------
@public
@require_http_methods(["GET", "POST"])
def status_lookup(request: HttpRequest) -> HttpResponse:
    errors: list[FieldError] = []
    reference_raw = request.POST.get("reference", "")[:64]
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")[:64]
        reference = references.reference_normalize(reference_raw)
        # Wrong codes are counted per address (an IPv6 /64): one address cannot guess for long. They are not
        # counted against the reference number: that would let anyone lock the citizen out of their own
        # status page with ten wrong codes. A code has 32^10 values, so guessing one number's code from many
        # addresses is hopeless; a number that collects many wrong codes is reported in the security log.
        address_key = f"amtsweg:status-fail:ip:{client_network(request)}"
        if not reference_raw.strip():
            errors.append(FieldError(key="reference", message=_("Enter your reference number")))
        elif reference is None:
            errors.append(
                FieldError(key="reference", message=_("Check the reference number: it looks like KS-2026-004711-3"))
            )
        if not code.strip():
            errors.append(FieldError(key="code", message=_("Enter the access code from your email")))
        if not errors and reference is not None:  # (no errors: the number was readable)
            if ratelimit.limit_reached(address_key, limit=settings.STATUS_LOOKUP_LIMIT):
                errors.append(
                    FieldError(
                        key="reference",
                        message=_(
                            "Too many wrong codes from your connection. Please wait 15 minutes, or open the status "
                            "link in your confirmation email."
                        ),
                    )
                )
                status = 429
            else:
                submission = selectors.submission_by_reference_and_code(reference=reference, code=code)
                if submission is not None:
                    status_access_grant(session=request.session, submission=submission)
                    return redirect("applications:status", uuid=submission.uuid)
                window = settings.STATUS_LOOKUP_WINDOW_SECONDS
                ratelimit.count(address_key, window=window)
                if (
                    ratelimit.count(f"amtsweg:status-fail:ref:{reference}", window=window)
                    == settings.STATUS_LOOKUP_LIMIT
                ):
                    security_log.warning(
                        "status lookup: %s wrong access codes for one reference number within %s s",
                        settings.STATUS_LOOKUP_LIMIT,
                        window,
                    )
                # The same answer for an unknown number and a wrong code.
                errors.append(FieldError(key="code", message=_("The reference number and access code do not match")))
        if errors and status == 200:
            status = 400
    return render(
        request, "applications/status_lookup.html", {"errors": errors, "reference": reference_raw}, status=status
    )


@public
def status_link(request: HttpRequest, token: str) -> HttpResponse:
    submission = selectors.submission_from_status_token(token=token)
    if submission is None:
        messages.error(request, _("This link is not valid. Please enter your reference number and access code."))
        return redirect("applications:status_lookup")
    status_access_grant(session=request.session, submission=submission)
    return redirect("applications:status", uuid=submission.uuid)


@trust_gate(Gate.SUBMISSION)
def status(request: HttpRequest, uuid: str) -> HttpResponse:
    from amtsweg.cases.constants import AuditAction
    from amtsweg.cases.hooks import case_hooks
    from amtsweg.cases.selectors import case_document_requests_open, case_history_for_citizen, case_status_label
    from amtsweg.cases.services import audit_record

    submission = selectors.submission_for_status(session=request.session, uuid=uuid)
    page_languages_set(request, submission.service.languages)
    case = getattr(submission, "case", None)
    audit_record(actor=None, action=AuditAction.VIEW_STATUS_PAGE, case=case, detail="citizen")
    checklist = selectors.submission_checklist(submission=submission)
    # Documents are sent while the case is open; before it opens (a fee not yet paid) there is nobody to tick them.
    uploading = case is not None and not case.closed_at
    document_requests = list(case_document_requests_open(case=case))
    return render(
        request,
        "applications/status.html",
        {
            "submission": submission,
            "case": case,
            "history": case_history_for_citizen(case=case),
            "document_requests": document_requests,
            # The checklist's documents the office has asked for (cases.services.case_checklist_request).
            "requested_documents": {key for r in document_requests for key in r.documents},
            "files": selectors.submissions_visible_files(submission=submission),
            "case_status_label": case_status_label(case=case) if case else "",
            "payment": payment_of_submission(submission=submission),
            "appointments": appointments_for_case(case=case),
            "booking_offers": [] if checklist.next_step else booking_offers(case=case),
            "appointment_required": appointment_required(service=submission.service),
            "checklist": checklist,
            "next_step_offers": _next_step_offers(checklist, case) if case is None or not case.closed_at else [],
            "uploads": _upload_fields(checklist) if uploading else {},
            "citizen_documents": citizen_documents_of(submission=submission),
            "fee_estimate": _fee_estimate(submission),
            "service_panels": case_hooks.citizen_panels(case=case, submission=submission),
        },
    )


@trust_gate(Gate.SUBMISSION)
@require_http_methods(["POST"])
def status_checklist_upload(request: HttpRequest, uuid: str, document: str) -> HttpResponse:
    """The citizen sends a document of the checklist from the status page; it is ticked off at once."""
    from amtsweg.cases.services import case_checklist_upload

    submission = selectors.submission_for_status(session=request.session, uuid=uuid)
    page_languages_set(request, submission.service.languages)
    case = getattr(submission, "case", None)
    item = next(
        (item for item in selectors.submission_checklist(submission=submission).items if item.key == document), None
    )
    if case is None or item is None or not item.uploadable:
        raise Http404("no such document to upload")
    spec = item.spec.upload_field()
    assert spec is not None
    cleaned = field_types.get(spec.type).clean(spec, request.POST, request.FILES)
    if cleaned.errors:
        messages.error(request, cleaned.errors[0].message)
        return redirect(reverse("applications:status", kwargs={"uuid": submission.uuid}) + f"#document-{item.key}")
    case_checklist_upload(case=case, document_key=item.key, upload=cleaned.value)
    messages.success(request, _("Thank you. We have received %(document)s.") % {"document": item.title})
    return redirect("applications:status", uuid=submission.uuid)


@trust_gate(Gate.SUBMISSION)
def status_file(request: HttpRequest, uuid: str, file_uuid: str) -> FileResponse:
    submission = selectors.submission_for_status(session=request.session, uuid=uuid)
    page_languages_set(request, submission.service.languages)
    stored = selectors.submission_file_for_citizen(submission=submission, file_uuid=file_uuid)
    response = FileResponse(
        open(private_file_path(stored.storage_name), "rb"),  # noqa: SIM115 - FileResponse closes it
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


@trust_gate(Gate.SUBMISSION)
@require_http_methods(["POST"])
def status_upload(request: HttpRequest, uuid: str, request_uuid: str) -> HttpResponse:
    from amtsweg.cases.selectors import case_document_request_open_for_submission
    from amtsweg.cases.services import case_citizen_upload

    submission = selectors.submission_for_status(session=request.session, uuid=uuid)
    page_languages_set(request, submission.service.languages)
    document_request = case_document_request_open_for_submission(submission=submission, uuid=request_uuid)
    answer = request.POST.get("answer", "")
    stored = []
    if not request.FILES.get("documents") and not answer.strip():
        messages.error(request, _("Write an answer or choose a document to send"))
        return redirect("applications:status", uuid=submission.uuid)
    if request.FILES.get("documents"):
        cleaned = document_request_file_clean(data=request.POST, files=request.FILES)
        if cleaned.errors:
            messages.error(request, cleaned.errors[0].message)
            return redirect("applications:status", uuid=submission.uuid)
        stored = [file_store(upload=cleaned.value, submission=submission, field_key="document_request")]
    case_citizen_upload(document_request=document_request, files=stored, text=answer)
    messages.success(request, _("Thank you. We have received your answer."))
    return redirect("applications:status", uuid=submission.uuid)
