"""The office's side: the results dashboard, the ideas with tags, the CSV export and the raffle's winners.

Every view needs a permission on top of the back-office login: ``feedback.view_results``
(a department's own services), ``feedback.view_all_results`` (leadership: all services),
``feedback.tag_ideas`` and ``feedback.manage_raffle``.
"""

from __future__ import annotations

import datetime
import functools
import uuid as uuid_module
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.accounts.decorators import staff_required
from amtsweg.core import dates
from amtsweg.core.forms import error_links
from amtsweg.core.spreadsheet import csv_response

from . import selectors, services
from .models import Campaign, IdeaTag, RaffleEntry, Response

DEFAULT_PERIOD_DAYS = 90
# The dashboard's dates must lie in the portal's own years: responses are anonymous and kept, so there is no
# window around today.
DASHBOARD_DAYS = dates.PORTAL_DAYS


def permission_required(
    permission: str,
) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """The back-office check (login, department, second factor) plus one permission."""

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @functools.wraps(view)
        def checked(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        wrapped = staff_required(checked)
        wrapped.permission_required = permission  # type: ignore[attr-defined]  # checked by tests/feedback
        return wrapped

    return decorate


def _scope(request: HttpRequest) -> dict[str, Any]:
    today = timezone.localdate()
    days = dates.day_range_from_input(
        request.GET.get("von", ""),
        request.GET.get("bis", ""),
        default_first=today - datetime.timedelta(days=DEFAULT_PERIOD_DAYS),
        default_last=today,
        within=DASHBOARD_DAYS,
    )
    date_from, date_to, field_errors = days.first, days.last, days.field_errors
    ok_from, ok_to = days.first_ok, days.last_ok
    errors = error_links(field_errors)
    visible = selectors.feedback_services_visible(user=request.user)
    service = None
    slug = request.GET.get("leistung", "")
    if slug:
        service = visible.filter(slug=slug).first()
        if service is None:
            raise PermissionDenied
    responses = selectors.responses_in_scope(user=request.user, service=service, date_from=date_from, date_to=date_to)
    rate_services = visible.filter(pk=service.pk) if service else (None if selectors.feedback_may_see_all(
        user=request.user) else visible)  # fmt: skip
    return {
        "date_from": date_from,
        "date_to": date_to,
        "raw_from": request.GET.get("von", "") if not ok_from else date_from.isoformat(),
        "raw_to": request.GET.get("bis", "") if not ok_to else date_to.isoformat(),
        "errors": errors,
        "field_errors": field_errors,
        "services": visible,
        "service": service,
        "responses": responses,
        "rate_services": rate_services,
        "sees_all": selectors.feedback_may_see_all(user=request.user),
    }


@permission_required("feedback.view_results")
@require_http_methods(["GET"])
def dashboard(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    tag = request.GET.get("schlagwort", "")
    figures = selectors.dashboard_figures(
        responses=scope["responses"],
        services=scope["rate_services"],
        date_from=scope["date_from"],
        date_to=scope["date_to"],
    )
    ideas = selectors.ideas_of(responses=scope["responses"], tag=tag, open_only=request.GET.get("offen") == "1")
    shown = list(ideas[:200])
    small = selectors.small_groups(responses=scope["responses"])
    for idea in shown:
        year, week, _weekday = idea.submitted_on.isocalendar()
        idea.week_label = _("Week %(week)s/%(year)s") % {"week": week, "year": year}
        idea.rating_hidden = selectors.in_small_group(idea, small)
    query = request.GET.urlencode()
    return render(
        request,
        "feedback/staff/dashboard.html",
        {
            **scope,
            "figures": figures,
            "ideas": shown,
            "min_group": selectors.MIN_GROUP_SIZE,
            "idea_count": ideas.count(),
            "tags": IdeaTag.objects.all(),
            "tag": tag,
            "may_tag": request.user.has_perm("feedback.tag_ideas"),
            "may_raffle": request.user.has_perm("feedback.manage_raffle"),
            "campaigns": Campaign.objects.filter(raffle_enabled=True),
            "query": query,
            "csv_url": reverse("feedback:export") + (f"?{query}" if query else ""),
        },
        status=400 if scope["errors"] else 200,
    )


@permission_required("feedback.view_results")
@require_http_methods(["GET"])
def export(request: HttpRequest) -> HttpResponse:
    """The responses in scope as CSV (semicolons, UTF-8 with BOM, as the other exports)."""
    scope = _scope(request)
    header, rows = selectors.responses_csv_rows(responses=scope["responses"])
    name = f"rueckmeldungen-{scope['date_from'].isoformat()}-{scope['date_to'].isoformat()}.csv"
    return csv_response(rows, header=header, filename=name)


@permission_required("feedback.tag_ideas")
@require_http_methods(["POST"])
def idea_edit(request: HttpRequest, uuid: str) -> HttpResponse:
    response = get_object_or_404(Response, uuid=uuid)
    visible = selectors.feedback_services_visible(user=request.user)
    if not selectors.feedback_may_see_all(user=request.user) and (
        response.service_id is None or not visible.filter(pk=response.service_id).exists()
    ):
        raise PermissionDenied
    tags = list(IdeaTag.objects.filter(slug__in=request.POST.getlist("tags")))
    services.idea_update(response=response, tags=tags, implemented=request.POST.get("implemented") == "yes")
    messages.success(request, _("The idea is saved."))
    back = reverse("feedback:dashboard")
    query = request.POST.get("query", "")
    return HttpResponseRedirect(f"{back}?{query}#idea-{response.uuid}" if query else f"{back}#idea-{response.uuid}")


@permission_required("feedback.manage_raffle")
@require_http_methods(["GET", "POST"])
def winners(request: HttpRequest, uuid: str) -> HttpResponse:
    """The winners of a drawn raffle with their contact data (audited); "prize handed over" deletes it."""
    from amtsweg.cases.constants import AuditAction
    from amtsweg.cases.services import audit_record

    campaign = get_object_or_404(Campaign, uuid=uuid, raffle_enabled=True)
    if request.method == "POST":
        try:
            entry_id = uuid_module.UUID(request.POST.get("entry", ""))
        except ValueError:
            raise Http404("no such entry") from None
        entry = get_object_or_404(RaffleEntry, campaign=campaign, pk=entry_id)
        services.raffle_prize_handed_over(entry=entry, actor=request.user)
        messages.success(request, _("Marked as handed over. The winner's contact data is deleted."))
        return HttpResponseRedirect(request.path)
    if campaign.drawn_at is None:
        raise Http404("not drawn yet")
    audit_record(actor=request.user, action=AuditAction.VIEW_RAFFLE_WINNERS, detail=campaign.slug)
    return render(
        request,
        "feedback/staff/winners.html",
        {"campaign": campaign, "winners": selectors.raffle_winners(campaign=campaign)},
    )


def dashboard_url(**params: str) -> str:
    return reverse("feedback:dashboard") + ("?" + urlencode(params) if params else "")
