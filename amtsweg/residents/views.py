"""The Bürgerbüro's own citizen pages: the objections to transfers (Übermittlungssperren), and the issued
Meldebescheinigung with its downloads; and one back-office page, the decision on a Melderegisterauskunft.

Each page needs the eID at level "hoch" (the trust-level gate, through the service named in the URL's
``slug``) and a match in the register (BMeldDigiV § 4, ``register_self_lookup``); without the match the
citizen sees where to go instead, and nothing of the register. An objection is filed in the register at
once; the portal keeps only a record of the change (``BlockChange``). An issued certificate is shown only to
the session that issued it.
"""

from __future__ import annotations

import uuid as uuid_module
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

from amtsweg.accounts.decorators import staff_required
from amtsweg.cases.constants import CLOSED_STATUSES, AuditAction
from amtsweg.cases.selectors import case_get_for_staff
from amtsweg.cases.services import audit_record
from amtsweg.catalogue.selectors import service_get_published
from amtsweg.core.forms import error_links, form_error_list
from amtsweg.core.http import see_other
from amtsweg.core.trustgate import Gate, public, trust_gate
from amtsweg.documents.models import SealedDocument
from amtsweg.documents.selectors import sealed_document_download
from amtsweg.documents.services import sealed_document_check_url
from amtsweg.documents.storage import private_file_path
from amtsweg.identity.services import citizen_account, citizen_identity

from . import services, youth_examination
from .hooks import register_refusal
from .journey import SESSION_KEY, SLUG, YOUTH_EXAMINATION_SLUG
from .objections import BY_KIND
from .register import fields
from .selectors import transfer_objections_state
from .staff import InformationAnswerForm, InformationRefuseForm, information_panel_context

DONE_KEY = "residents_objections_done"


def _person(request: HttpRequest, slug: str) -> tuple[str, Any, HttpResponse | None]:
    """The citizen's id in the register, their account, or the page that says why they cannot go on."""
    found = services.citizen_self_lookup(identity=citizen_identity(request))
    if found.outcome != services.SelfLookup.FOUND:
        return "", None, register_refusal(request, outcome=found.outcome, service_slug=slug)
    return found.person_id, citizen_account(request), None


@trust_gate(Gate.FORM)
@require_http_methods(["GET", "POST"])
def objections(request: HttpRequest, slug: str) -> HttpResponse:
    """Which transfers the citizen objects to: the ones in force, the ones open, the spouse's waiting one."""
    person_id, account, refused = _person(request, slug)
    if refused is not None:
        return refused
    identity = citizen_identity(request)
    state = transfer_objections_state(
        person_id=person_id, account=account, purpose="transfer objections: the citizen's page"
    )
    open_kinds = [objection.kind for objection in state.open]
    chosen: list[str] = []
    email = identity.email if identity is not None else ""
    errors: dict[str, str] = {}
    if request.method == "POST" and request.POST.get("action") == "confirm":
        if state.spouse_waits is None:
            messages.info(request, _("There is no objection of your spouse waiting for your confirmation."))
            return see_other(request.path)
        services.wedding_objection_confirm(objection=state.spouse_waits, person_id=person_id, account=account)
        request.session[DONE_KEY] = {"kinds": [fields.WEDDING_ANNIVERSARIES], "wedding_waits": False}
        return redirect("residents:objections_done")
    if request.method == "POST":
        chosen = [kind for kind in request.POST.getlist("kinds") if kind in open_kinds]
        email = request.POST.get("email", "").strip()[:254]
        spouse = None
        if not chosen:
            errors["kinds"] = _("Select at least one transfer you object to")
        elif fields.WEDDING_ANNIVERSARIES in chosen:
            spouse = services.register_spouse(person_id=person_id, account=account)
            if spouse is None:
                errors["kinds"] = str(services.NO_SPOUSE)
        try:
            validate_email(email)
        except ValidationError:
            errors["email"] = _("Enter an email address in the correct format, like name@example.com")
        if not errors:
            filing = services.transfer_objections_file(
                person_id=person_id,
                kinds=chosen,
                account=account,
                email=email,
                language=get_language() or "de",
                spouse=spouse,
            )
            request.session[DONE_KEY] = {"kinds": list(filing.filed), "wedding_waits": filing.wedding_waits}
            return redirect("residents:objections_done")
    return render(
        request,
        "residents/objections.html",
        {
            "service": service_get_published(slug=slug),
            "state": state,
            "chosen": chosen,
            "email": email,
            "errors": errors,
            "error_list": error_links({"kinds": errors["kinds"]} if "kinds" in errors else {})
            + error_links({"email": errors["email"]} if "email" in errors else {}),
        },
        status=400 if errors else 200,
    )


@trust_gate(Gate.FORM)
@require_http_methods(["GET"])
def objections_done(request: HttpRequest, slug: str) -> HttpResponse:
    """The confirmation: what is in force now, and what waits for the spouse."""
    done = request.session.get(DONE_KEY)
    if not done:
        return redirect("residents:objections")
    return render(
        request,
        "residents/objections_done.html",
        {
            "service": service_get_published(slug=slug),
            "objections": [BY_KIND[kind] for kind in done.get("kinds", []) if kind in BY_KIND],
            "wedding_waits": done.get("wedding_waits", False),
        },
    )


@trust_gate(Gate.FORM)
@require_http_methods(["POST"])
def objection_withdraw(request: HttpRequest, slug: str) -> HttpResponse:
    """Withdraw one objection (from Mein Amtsweg); back there with the message."""
    person_id, account, refused = _person(request, slug)
    if refused is not None:
        return refused
    kind = request.POST.get("kind", "")
    objection = BY_KIND.get(kind)
    if objection is None:
        messages.error(request, _("This objection does not exist."))
        return redirect("identity:account")
    services.transfer_objection_withdraw(person_id=person_id, kind=kind, account=account)
    messages.success(
        request,
        _("Your objection is withdrawn: %(title)s. You can object again at any time.") % {"title": objection.title},
    )
    return redirect("identity:account")


# --- documents issued at once: the Meldebescheinigung, the Untersuchungsberechtigungsschein ---

# The page that hands over a document issued at once, by the service that issued it.
ISSUED_PAGES = {
    SLUG: "residents/meldebescheinigung_issued.html",
    YOUTH_EXAMINATION_SLUG: "residents/youth_examination_issued.html",
}


def _issued(request: HttpRequest, slug: str, uuid: uuid_module.UUID) -> SealedDocument:
    """The document, if this session issued it and its files are still kept; else 404."""
    if slug not in ISSUED_PAGES or str(uuid) not in request.session.get(SESSION_KEY, []):
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
        ISSUED_PAGES[slug],
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


@public
@require_http_methods(["GET", "HEAD"])
def questionnaire(request: HttpRequest) -> HttpResponse:
    """The Erhebungsbogen for the youth employment medical examination: a blank form, public, the same for all."""
    response = HttpResponse(youth_examination.questionnaire_pdf(), content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="erhebungsbogen.pdf"'
    response["Cache-Control"] = "public, max-age=86400"
    return response


# --- the back office: answering a Melderegisterauskunft ---


def _information_done_message(outcome: services.InformationOutcome) -> str:
    if outcome == services.InformationOutcome.FOUND:
        return _("The information was given. The requester reads it in the email and on the status page.")
    if outcome == services.InformationOutcome.BLOCKED:
        return _(
            "The person has an information block. The requester was told that no information can be given, and "
            "a case for hearing the person was opened."
        )
    if outcome == services.InformationOutcome.REFUSED:
        return _("The information was refused. The requester reads the reason in the email and on the status page.")
    if outcome == services.InformationOutcome.CLOSED:
        return _("This request has already been answered or closed. Nothing was changed.")
    return _("The register found nobody or several persons. The requester was told that no information can be given.")


@staff_required
@require_http_methods(["GET", "POST"])
def information_decide(request: HttpRequest, uuid: uuid_module.UUID) -> HttpResponse:
    """Give or refuse a Melderegisterauskunft: the extended items staff approve, or the refusal with a reason;
    a simple request that the register could not answer, answered now. The case page's panel posts here; the
    page itself shows the same forms with their errors. Staff of the case's department only (the case page's
    own check, ``case_get_for_staff``); a case already closed is left alone."""
    case = case_get_for_staff(user=request.user, uuid=uuid)
    if not services.information_is_request(case=case):
        raise Http404("Not a request for information.")
    case_url = reverse("cases:case_detail", kwargs={"uuid": case.uuid})
    if case.status in CLOSED_STATUSES:
        messages.info(request, _information_done_message(services.InformationOutcome.CLOSED))
        return see_other(case_url)
    requested = services.information_requested_items(case=case)
    answer_form = refuse_form = None
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "answer":
            answer_form = InformationAnswerForm(request.POST, requested=requested, prefix="answer")
            if answer_form.is_valid():
                outcome = services.information_request_approve(
                    case=case, items=answer_form.cleaned_data["items"], actor=request.user
                )
                messages.success(request, _information_done_message(outcome))
                return see_other(case_url)
        elif action == "refuse" and requested:
            refuse_form = InformationRefuseForm(request.POST, prefix="refuse")
            if refuse_form.is_valid():
                outcome = services.information_request_refuse(
                    case=case, reason=refuse_form.cleaned_data["reason"], actor=request.user
                )
                messages.success(request, _information_done_message(outcome))
                return see_other(case_url)
        else:
            raise Http404("Unknown action.")
    bound = {key: form for key, form in (("answer", answer_form), ("refuse", refuse_form)) if form is not None}
    errors = form_error_list(bound)
    audit_record(actor=request.user, action=AuditAction.VIEW_CASE, case=case, detail="Melderegisterauskunft")
    return render(
        request,
        "residents/information_decide.html",
        {
            "case": case,
            "panel": information_panel_context(case=case, answer_form=answer_form, refuse_form=refuse_form),
            "errors": errors,
        },
        status=400 if errors else 200,
    )
