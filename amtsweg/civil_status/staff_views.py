"""The Standesamt's fulfilment back office: the queue, an order, printing, and the service-level report.

Views stay thin: reads from selectors.py, writes through services.py. Every
view is wrapped in ``accounts.decorators.staff_required`` and refuses staff of other
departments (403 for the queue, 404 for another department's order).
``CaseError`` from a service is answered by ``core.middleware.DomainErrorMiddleware``.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.cases.constants import AuditAction
from amtsweg.cases.services import audit_record
from amtsweg.core.forms import form_error_list
from amtsweg.core.http import see_other

from . import selectors, services
from .constants import OrderStatus
from .forms import QueryForm, RejectForm

ACTIONS = ("send", "approve_proof", "query", "reject")
# The service level report: its weeks by default, and the most it shows (two years).
REPORT_WEEKS = 12
REPORT_WEEKS_MOST = 104


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@staff_required
@require_http_methods(["GET"])
def queue(request: HttpRequest) -> HttpResponse:
    """Paid certificate orders, oldest first, with their due date; filters for state and overdue."""
    selectors.fulfilment_check_access(user=request.user)
    status = request.GET.get("status") or "open"
    if status not in ("open", "all", *OrderStatus.values):
        status = "open"
    overdue = request.GET.get("overdue") == "1"
    paginator = Paginator(selectors.order_queue_for_staff(user=request.user, status=status, overdue=overdue), 100)
    page = paginator.get_page(request.GET.get("page"))
    orders = list(page.object_list)
    today = timezone.localdate()
    query = request.GET.copy()
    query.pop("page", None)
    for order in orders:
        order.is_overdue = selectors.order_is_overdue(order, today=today)
        order.needs_review = selectors.order_review_open(order=order)
    counts = selectors.order_status_counts(user=request.user)
    return render(
        request,
        "civil_status/queue.html",
        {
            "orders": orders,
            "page": page,
            "paginator": paginator,
            "query": query.urlencode(),
            "status": status,
            "overdue": overdue,
            "status_choices": [("open", _("Open orders")), ("all", _("All orders")), *OrderStatus.choices],
            "counts": counts,
            "waiting": selectors.orders_to_print(user=request.user).count(),
            "overdue_count": selectors.order_queue_for_staff(user=request.user, overdue=True).count(),
            "level": selectors.service_level(
                user=request.user, start=today - datetime.timedelta(weeks=3, days=today.weekday())
            ),
        },
    )


@staff_required
@require_http_methods(["GET", "POST"])
def order_detail(request: HttpRequest, uuid: Any) -> HttpResponse:
    """One order: what to send where, its dates, and the actions "Versendet", "Rückfrage" and "Ablehnen"."""
    selectors.fulfilment_check_access(user=request.user)
    order = selectors.order_get_for_staff(user=request.user, uuid=uuid)
    forms: dict[str, Any] = {"query": QueryForm(prefix="query"), "reject": RejectForm(prefix="reject")}
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in ACTIONS:
            raise Http404("Unknown action.")
        if action == "send":
            services.certificate_order_send(order=order, actor=request.user)
            messages.success(request, _("The order is marked as sent. The citizen is told by email."))
            return see_other(request.path)
        if action == "approve_proof":
            services.certificate_order_proof_approve(order=order, actor=request.user)
            messages.success(request, _("The proof is accepted. The order can be printed."))
            return see_other(request.path)
        if action == "query":
            form: QueryForm | RejectForm = QueryForm(request.POST, prefix="query")
            if form.is_valid():
                services.certificate_order_query(order=order, actor=request.user, text=form.cleaned_data["text"])
                messages.success(request, _("The question was sent to the citizen."))
                return see_other(request.path)
        else:
            form = RejectForm(request.POST, prefix="reject")
            if form.is_valid():
                services.certificate_order_reject(order=order, actor=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The order was rejected and the fee refunded."))
                return see_other(request.path)
        forms[action] = form
    errors = form_error_list(forms)
    audit_record(actor=request.user, action=AuditAction.VIEW_CASE, case=order.case, detail="certificate order")
    from amtsweg.payments.selectors import payment_of_submission

    return render(
        request,
        "civil_status/order_detail.html",
        {
            "order": order,
            "case": order.case,
            "address": selectors.order_postal_address(case=order.case),
            "copies": selectors.order_copies(case=order.case),
            "copies_split": selectors.order_copies_split(case=order.case),
            "needs_review": selectors.order_review_open(order=order),
            "proof_checked": selectors.order_needs_review(case=order.case),
            "legal_reason": selectors.order_legal_reason(case=order.case),
            "proof_files": selectors.order_proof_files(case=order.case),
            "payment": payment_of_submission(submission=order.case.submission),
            "is_overdue": selectors.order_is_overdue(order),
            "is_open": selectors.order_is_open(order),
            "can_send": order.status in (OrderStatus.PRINTED, OrderStatus.QUERY) and order.printed_at is not None,
            "forms": forms,
            "errors": errors,
            "working_days": selectors.order_working_days_to_send(order),
        },
        status=400 if errors else 200,
    )


@staff_required
@require_http_methods(["POST"])
def order_print(request: HttpRequest, uuid: Any) -> HttpResponse:
    """ "Drucken": the order's cover letter and order sheet as one PDF; the order counts as printed."""
    selectors.fulfilment_check_access(user=request.user)
    order = selectors.order_get_for_staff(user=request.user, uuid=uuid)
    data = services.certificate_order_print(order=order, actor=request.user)
    return _pdf(data, f"bestellung-{order.case.reference}.pdf")


@staff_required
@require_http_methods(["POST"])
def batch_print(request: HttpRequest) -> HttpResponse:
    """The day's batch: every order waiting to be printed, as one PDF."""
    selectors.fulfilment_check_access(user=request.user)
    data, count = services.certificate_orders_print_batch(actor=request.user)
    response = _pdf(data, f"urkunden-{timezone.localdate():%Y-%m-%d}.pdf")
    response["X-Orders-Printed"] = str(count)
    return response


@staff_required
@require_http_methods(["GET"])
def report(request: HttpRequest) -> HttpResponse:
    """The measured service level: per ISO week of payment, sent within 1, 2 or more working days; overdue now."""
    selectors.fulfilment_check_access(user=request.user)
    weeks, problem = REPORT_WEEKS, ""
    if "wochen" in request.GET:
        try:
            asked = int(request.GET["wochen"])
        except ValueError:
            problem = _("Enter the number of weeks as a whole number.")
        else:
            if 1 <= asked <= REPORT_WEEKS_MOST:
                weeks = asked
            else:
                problem = _("Enter a number of weeks from 1 to %(most)s.") % {"most": REPORT_WEEKS_MOST}
    if problem:
        messages.error(request, problem)
    today = timezone.localdate()
    start = today - datetime.timedelta(weeks=weeks - 1, days=today.weekday())
    level = selectors.service_level(user=request.user, start=start, end=today)
    return render(
        request,
        "civil_status/report.html",
        {
            "level": level,
            "weeks": weeks,
            "summary": ngettext("The last %(count)d week", "The last %(count)d weeks", weeks) % {"count": weeks},
            "queue_url": reverse("civil_status:queue"),
        },
        status=400 if problem else 200,
    )
