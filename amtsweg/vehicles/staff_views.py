"""The kfz department's dispatch queue: the documents of approved registrations to post (``dispatch.py``).

Staff of the kfz department only (403 for others). Every list shown is audited, one entry per case, like the
case page. ``CaseError`` from the service is answered by ``core.middleware.DomainErrorMiddleware``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.cases.constants import AuditAction
from amtsweg.cases.services import audit_record
from amtsweg.core.http import see_other

from . import dispatch
from .constants import Office

PAGE_SIZE = 100


def _messages_for(request: HttpRequest, result: dispatch.DispatchResult) -> None:
    if result.posted:
        messages.success(
            request,
            ngettext(
                "Marked as posted: %(references)s. The case is completed and the citizen is told.",
                "Marked as posted: %(references)s. The cases are completed and the citizens are told.",
                len(result.posted),
            )
            % {"references": ", ".join(result.posted)},
        )
    if result.already:
        messages.warning(
            request,
            _("Already marked as posted before, left unchanged: %(references)s.")
            % {"references": ", ".join(result.already)},
        )
    if result.not_postable:
        messages.error(
            request,
            _("Not marked: the case was withdrawn or rejected, so nothing is to be posted: %(references)s.")
            % {"references": ", ".join(result.not_postable)},
        )


@staff_required
@require_http_methods(["GET", "POST"])
def queue(request: HttpRequest) -> HttpResponse:
    """The documents to post, the oldest decision first, with their due day; "posted" marks the selected ones."""
    dispatch.dispatch_check_access(user=request.user)
    error = ""
    if request.method == "POST":
        selection = dispatch.dispatch_selection(request.POST.getlist("application"))
        if selection:
            result = dispatch.dispatch_mark_posted(uuids=selection, actor=request.user)
            _messages_for(request, result)
            return see_other(request.get_full_path())
        error = _("Select at least one application whose documents you have posted.")
    show = request.GET.get("zeigen") or "open"
    if show not in dispatch.SHOW:
        show = "open"
    office = request.GET.get("stelle") or ""
    if office not in Office.values:
        office = ""
    queryset = dispatch.dispatch_queue(user=request.user, show=show, office=office)
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))
    entries = dispatch.dispatch_entries(page.object_list, today=timezone.localdate())
    for entry in entries:
        audit_record(
            actor=request.user, action=AuditAction.VIEW_CASE, case=entry.application.case, detail="Kfz: Versandliste"
        )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "vehicles/dispatch_queue.html",
        {
            "entries": entries,
            "page": page,
            "paginator": page.paginator,
            "query": query.urlencode(),
            "show": show,
            "office": office,
            "offices": Office.choices,
            "open_count": dispatch.dispatch_queue(user=request.user, office=office).count(),
            "overdue_count": dispatch.dispatch_overdue_count(user=request.user, office=office),
            "dispatch_days": settings.VEHICLE_DOCUMENTS["dispatch_days"],
            "error": error,
        },
        status=400 if error else 200,
    )
