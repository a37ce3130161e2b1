"""The staff back office: the inbox, the case page, files and the audit log.

Views stay thin: reads come from selectors.py, writes go through services.py.
Every back-office view is wrapped in ``staff_required``; ``CaseError`` from a
service is answered by ``core.middleware.DomainErrorMiddleware``, never caught here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.appointments.selectors import appointment_missing
from amtsweg.core.forms import form_error_list
from amtsweg.core.http import see_other
from amtsweg.core.spreadsheet import csv_response
from amtsweg.documents.storage import private_file_path

from . import selectors, services
from .constants import CLOSED_STATUSES, AuditAction, CaseStatus
from .forms import (
    AssignForm,
    BulkAssignForm,
    ChecklistDecisionForm,
    ChecklistForm,
    ChecklistRequestForm,
    DocumentRequestForm,
    InboxFilterForm,
    MessageForm,
    NoteForm,
    RefundForm,
    StatusForm,
)
from .hooks import case_hooks
from .models import Case

AUDIT_PAGE_SIZE = 100


# --- the inbox ---------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def inbox(request: HttpRequest) -> HttpResponse:
    """The cases of the staff member's departments: filters, search, counts, pages and bulk assignment."""
    user = request.user
    assert user.is_authenticated  # staff_required let only a signed-in staff member in
    status_labels = selectors.case_status_labels(user=user)
    colleagues = list(selectors.staff_list_colleagues(user=user))
    services_of_user = list(selectors.service_list_for_staff(user=user))
    filter_form = InboxFilterForm(
        request.GET or None,
        services=services_of_user,
        status_labels=status_labels,
        colleagues=colleagues,
    )
    filters = filter_form.filters() if request.GET else {}
    cases = selectors.case_list_for_staff(user=user, **filters)

    bulk_form = BulkAssignForm(case_choices=[], colleagues=colleagues, prefix="bulk")
    if request.method == "POST":
        posted = [value for value in request.POST.getlist("bulk-cases") if _is_uuid(value)]
        visible = selectors.case_list_for_staff(user=user).filter(uuid__in=posted).values_list("uuid", flat=True)
        bulk_form = BulkAssignForm(
            request.POST, case_choices=[str(u) for u in visible], colleagues=colleagues, prefix="bulk"
        )
        if bulk_form.is_valid():
            data = bulk_form.cleaned_data
            if data["action"] == "me":
                assignee = user
            else:
                assignee = next(c for c in colleagues if c.get_username() == data["assignee"])
            chosen = selectors.case_list_for_staff(user=user).filter(uuid__in=data["cases"])
            changed = services.case_assign_bulk(cases=chosen, assignee=assignee, actor=user)
            name = assignee.get_full_name() or assignee.get_username()
            text = ngettext("%(count)d case assigned to %(name)s.", "%(count)d cases assigned to %(name)s.", changed)
            messages.success(request, text % {"count": changed, "name": name})
            return see_other(request.get_full_path())
    selected = set(request.POST.getlist("bulk-cases")) if request.method == "POST" else set()

    counts, overdue_count = selectors.case_counts_for_staff(user=user)
    # Unfiltered or filtered by status alone (the links of the counts), the number of
    # cases is known from the cached counts: no COUNT over a department's cases.
    active = {name for name, value in filters.items() if value is not None and value is not False and value != ""}
    known = None
    if not active:
        known = sum(counts.values())
    elif active == {"status"}:
        known = counts.get(filters["status"], 0)
    paginator, page = selectors.inbox_page(selectors.case_inbox_rows(cases=cases), request.GET.get("page"), count=known)
    page.object_list = selectors.inbox_rows(page.object_list, status_labels, services_of_user, selected)
    selectors.inbox_lines_add(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/inbox.html",
        {
            "filter_form": filter_form,
            "bulk_form": bulk_form,
            "bulk_assignee": bulk_form["assignee"],
            "errors": form_error_list({"filter": filter_form, "bulk": bulk_form}),
            "page": page,
            "paginator": paginator,
            "query": query.urlencode(),
            "counts": [(key, status_labels.get(key, key), n) for key, n in counts.items()],
            "overdue_count": overdue_count,
            "colleagues": colleagues,
            "filtered": bool(request.GET and any(v for k, v in request.GET.items() if k != "page")),
        },
        status=400 if bulk_form.errors else 200,
    )


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


# --- the case page --------------------------------------------------------------------------

ACTIONS = ("status", "assign", "note", "message", "documents", "refund", "checklist", "request", "decision")


def _status_targets(case: Case) -> list[tuple[str, str]]:
    labels = selectors.case_status_labels(services=[case.service])
    targets = services.case_allowed_transitions(case=case)
    if case_hooks.closing_elsewhere_message(case=case):
        targets = [key for key in targets if key not in CLOSED_STATUSES]
    return [(key, labels.get(key, key)) for key in targets]


@staff_required
@require_http_methods(["GET", "POST"])
def case_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The case: answers, files, history, notes and the forms to work on it. Every display is audited."""
    case = selectors.case_get_for_staff(user=request.user, uuid=uuid)
    colleagues = list(selectors.staff_list_colleagues(user=request.user, department_id=case.department_id))
    bound: dict[str, Any] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            raise Http404("Unknown action.")
        form, done = _case_action(request, case, action, colleagues)
        if done:
            messages.success(request, done)
            return see_other(request.path)
        bound[action] = form
    return _render_case(request, case, colleagues=colleagues, bound=bound)


def _case_action(request: HttpRequest, case: Case, action: str, colleagues: list[Any]) -> tuple[Any, str | None]:
    """Runs one of the case page's forms; returns the form and, on success, the message to show."""
    user = request.user
    if action == "status":
        form: Form = StatusForm(request.POST, targets=_status_targets(case), prefix=action)
        if form.is_valid():
            services.case_transition(
                case=case, to_status=form.cleaned_data["to_status"], actor=user, reason=form.cleaned_data["reason"]
            )
            return form, _("The status was changed.")
    elif action == "assign":
        form = AssignForm(request.POST, colleagues=colleagues, prefix=action)
        if form.is_valid():
            username = form.cleaned_data["assignee"]
            assignee = next((c for c in colleagues if c.get_username() == username), None)
            services.case_assign(case=case, assignee=assignee, actor=user)
            return form, _("The assignment was saved.")
    elif action == "note":
        form = NoteForm(request.POST, prefix=action)
        if form.is_valid():
            services.case_note_add(case=case, actor=user, text=form.cleaned_data["text"])
            return form, _("The note was added.")
    elif action == "message":
        form = MessageForm(request.POST, request.FILES, prefix=action)
        if form.is_valid():
            services.case_message_send(
                case=case, actor=user, text=form.cleaned_data["text"], files=form.cleaned_data["files"]
            )
            return form, _("The message was sent to the citizen.")
    elif action == "checklist":
        form = ChecklistForm(request.POST, documents=_checklist_documents(case), prefix=action)
        if form.is_valid():
            changed = services.case_checklist_tick(case=case, actor=user, received=form.cleaned_data["received"])
            return form, (_("The checklist was saved.") if changed else _("The checklist was already up to date."))
    elif action == "request":
        form = ChecklistRequestForm(request.POST, documents=_open_documents(case), prefix=action)
        if form.is_valid():
            services.case_checklist_request(
                case=case, actor=user, documents=form.cleaned_data["documents"], note=form.cleaned_data["note"]
            )
            return form, _("The documents were requested.")
    elif action == "decision":
        form = ChecklistDecisionForm(request.POST, prefix=action)
        if form.is_valid():
            services.case_checklist_decide(case=case, actor=user, decision=form.cleaned_data["decision"])
            return form, _("The decision was saved and sent to the citizen.")
    elif action == "refund":
        from amtsweg.payments.selectors import payment_of_submission
        from amtsweg.payments.services import payment_refund

        form = RefundForm(request.POST, prefix=action)
        payment = payment_of_submission(submission=case.submission)
        if payment is None or not user.has_perm("payments.refund_payment"):
            raise PermissionDenied
        if form.is_valid():
            payment_refund(
                payment=payment,
                amount_cents=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=user,
            )
            return form, _("The refund was made.")
    else:
        form = DocumentRequestForm(request.POST, prefix=action)
        if form.is_valid():
            services.case_documents_request(case=case, actor=user, text=form.cleaned_data["text"])
            return form, _("The documents were requested.")
    return form, None


def _checklist_documents(case: Case) -> list[tuple[str, str]]:
    return [(item.key, item.title) for item in selectors.case_checklist(case=case).items]


def _open_documents(case: Case) -> list[tuple[str, str]]:
    return [(item.key, item.title) for item in selectors.case_checklist(case=case).open_items]


def _render_case(request: HttpRequest, case: Case, *, colleagues: list[Any], bound: dict[str, Any]) -> HttpResponse:
    user = request.user
    checklist = selectors.case_checklist(case=case)
    targets = _status_targets(case)
    labels = selectors.case_status_labels(services=[case.service])
    forms = {
        "status": bound.get("status") or StatusForm(targets=targets, prefix="status"),
        "assign": bound.get("assign")
        or AssignForm(
            colleagues=colleagues,
            initial={"assignee": case.assignee.get_username() if case.assignee else ""},
            prefix="assign",
        ),
        "note": bound.get("note") or NoteForm(prefix="note"),
        "message": bound.get("message") or MessageForm(prefix="message"),
        "documents": bound.get("documents") or DocumentRequestForm(prefix="documents"),
        "refund": bound.get("refund") or RefundForm(prefix="refund"),
        "checklist": bound.get("checklist")
        or ChecklistForm(
            documents=[(item.key, item.title) for item in checklist.items],
            initial={"received": [item.key for item in checklist.items if item.received]},
            prefix="checklist",
        ),
        "request": bound.get("request")
        or ChecklistRequestForm(documents=[(item.key, item.title) for item in checklist.open_items], prefix="request"),
        "decision": bound.get("decision") or ChecklistDecisionForm(prefix="decision"),
    }
    errors = form_error_list(forms)
    history = selectors.case_history(case=case)
    for event in history:
        # Labels for the template, on the page's own copies of the events.
        event.from_label = labels.get(event.from_status, event.from_status)  # type: ignore[attr-defined]
        event.to_label = labels.get(event.to_status, event.to_status)  # type: ignore[attr-defined]
    services.audit_record(actor=user, action=AuditAction.VIEW_CASE, case=case)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "status_label": labels.get(case.status, case.status),
            "is_overdue": selectors.case_is_overdue(case),
            "email_problem": selectors.case_email_problem(case=case),
            "answers": selectors.case_answer_rows(case=case),
            "files": selectors.case_files(case=case),
            "history": history,
            "notes": selectors.case_notes(case=case),
            "document_requests": list(case.document_requests.all()),
            "forms": forms,
            "errors": errors,
            "can_assign_self": any(c.pk == user.pk for c in colleagues) and case.assignee_id != user.pk,
            "can_view_audit": user.has_perm("cases.view_auditentry"),
            "rejected": CaseStatus.REJECTED,
            # A form with a checklist says itself whether an appointment is needed (its next step).
            "appointment_missing": appointment_missing(case=case)
            and (checklist.next_step is None or checklist.next_step.kind == "appointment"),
            "closing_elsewhere": case_hooks.closing_elsewhere_message(case=case),
            "panels": case_hooks.panels(case=case, user=user),
            "checklist": checklist,
            "checklist_open": case.status not in CLOSED_STATUSES,
            **_payment_context(case=case, user=user),
        },
        status=400 if errors else 200,
    )


def _payment_context(*, case: Case, user: Any) -> dict[str, Any]:
    from amtsweg.payments import selectors as payment_selectors
    from amtsweg.payments.constants import PaymentStatus

    payment = payment_selectors.payment_of_submission(submission=case.submission)
    if payment is None:
        return {"payment": None}
    return {
        "payment": payment,
        "payment_lines": payment_selectors.payment_lines(payment=payment),
        "payment_history": payment_selectors.payment_history(payment=payment),
        "payment_refunds": payment_selectors.payment_refunds(payment=payment),
        "payment_transaction": payment_selectors.payment_paid_transaction(payment=payment),
        "can_refund": user.has_perm("payments.refund_payment")
        and payment.status in (PaymentStatus.PAID, PaymentStatus.PARTLY_REFUNDED),
    }


# --- files ------------------------------------------------------------------------------------


@staff_required
@require_http_methods(["GET"])
def case_file(request: HttpRequest, uuid: Any, file_uuid: Any) -> HttpResponse | FileResponse:
    """A file of the case as a download (never shown inline), audited."""
    case, stored = selectors.case_file_get_for_staff(user=request.user, case_uuid=uuid, file_uuid=file_uuid)
    try:
        path = private_file_path(stored.storage_name)
    except ValueError:
        path = None
    if path is None or not path.is_file():
        raise Http404("The file is missing from the store.")
    services.audit_record(
        actor=request.user,
        action=AuditAction.DOWNLOAD_FILE,
        case=case,
        detail=f"{stored.original_name} ({stored.uuid})",
    )
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=stored.original_name,
        content_type=stored.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- figures for department leads ---------------------------------------------------------------------


@staff_required
@require_http_methods(["GET"])
def figures(request: HttpRequest) -> HttpResponse:
    """How many cases of each service with a checklist ended without an appointment, for the department leads
    and leadership (permission ``statistics.view_figures``), from the anonymous figures of the user's
    departments; and the sections service modules add (``case_hooks.figures``)."""
    if not request.user.has_perm("statistics.view_figures"):
        raise PermissionDenied
    from amtsweg.statistics.selectors import appointment_shares

    department_ids = selectors.case_department_ids(user=request.user)
    shares = appointment_shares(department_ids=department_ids)
    names = selectors.service_names(ids=[share.service_id for share in shares])
    rows = [(names.get(share.service_id, ""), share) for share in shares]
    # A service module's own figures (e.g. the immigration office's triage), each a section of the page.
    panels = case_hooks.figures_panels(user=request.user, department_ids=department_ids)
    return render(request, "cases/figures.html", {"rows": rows, "panels": panels})


# --- the audit log ------------------------------------------------------------------------------


def _audit_case(request: HttpRequest, uuid: Any) -> Case:
    case = selectors.case_get_for_staff(user=request.user, uuid=uuid)
    if not request.user.has_perm("cases.view_auditentry"):
        raise PermissionDenied
    return case


@staff_required
@require_http_methods(["GET"])
def case_audit(request: HttpRequest, uuid: Any) -> HttpResponse:
    """Who saw or changed the case, for department leads (permission ``cases.view_auditentry``)."""
    case = _audit_case(request, uuid)
    page = Paginator(selectors.audit_list_for_case(case=case), AUDIT_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/audit.html", {"case": case, "page": page})


@staff_required
@require_http_methods(["GET"])
def case_audit_csv(request: HttpRequest, uuid: Any) -> HttpResponse:
    """The audit log of the case as CSV; the export itself is recorded first."""
    case = _audit_case(request, uuid)
    services.audit_record(actor=request.user, action=AuditAction.EXPORT_AUDIT, case=case)
    rows = (
        [
            timezone.localtime(entry.at).isoformat(timespec="seconds"),
            entry.actor_label,
            entry.get_action_display(),
            entry.detail,
            entry.case_reference,
        ]
        for entry in selectors.audit_list_for_case(case=case).iterator()
    )
    header = [_("Date and time"), _("Staff member"), _("Action"), _("Detail"), _("Reference number")]
    return csv_response(rows, header=header, filename=f"protokoll-{case.reference}.csv")
