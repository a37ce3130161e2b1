"""The city treasury's daily export: the payments' one page in the back office."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.cases.constants import AuditAction
from amtsweg.cases.services import audit_record
from amtsweg.core import dates

from .treasury import treasury_csv, treasury_days, treasury_rows, treasury_xlsx


@staff_required
@require_http_methods(["GET"])
def treasury_export(request: HttpRequest) -> HttpResponse:
    """The day's paid and refunded items for the treasury, as CSV or XLSX. Needs ``payments.export_treasury``."""
    if not request.user.has_perm("payments.export_treasury"):
        raise PermissionDenied
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    raw_day = request.GET.get("date", "").strip()
    kind = request.GET.get("format", "csv")
    error = ""
    allowed = treasury_days()
    if "date" in request.GET:
        try:
            day = dates.parse_day(raw_day, within=allowed)
        except dates.DateInputError as problem:
            error = problem.message
        else:
            if kind not in ("csv", "xlsx"):
                error = _("Choose CSV or Excel.")
            else:
                rows = treasury_rows(day=day)
                audit_record(actor=request.user, action=AuditAction.EXPORT_TREASURY, detail=f"{day} {kind}")
                if kind == "xlsx":
                    content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    data = treasury_xlsx(rows)
                else:
                    content_type, data = "text/csv; charset=utf-8", treasury_csv(rows)
                response = HttpResponse(data, content_type=content_type)
                response["Content-Disposition"] = f'attachment; filename="kasse-{day.isoformat()}.{kind}"'
                response["X-Content-Type-Options"] = "nosniff"
                return response
    return render(
        request,
        "payments/treasury.html",
        {"error": error, "day": raw_day or yesterday.isoformat(), "kind": kind, "allowed": allowed},
        status=400 if error else 200,
    )
