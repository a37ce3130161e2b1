"""The citizen's side: the survey, the thank-you page, the raffle and the public draw page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amtsweg.core.clientip import client_ip

from . import selectors, services
from .constants import TEXT_MAX_LENGTH, ContactKind, QuestionKind
from .errors import FeedbackError
from .models import Campaign, Question
from .tokens import (
    SurveyLink,
    entry_number_read,
    entry_number_sign,
    raffle_ticket_read,
    survey_token_read,
)


def _client_ip(request: HttpRequest) -> str:
    return client_ip(request)


def _link(token: str) -> SurveyLink | None:
    if not token:
        return None
    link = survey_token_read(token=token)
    if link is None:
        raise FeedbackError(
            _("This survey link is not valid. Please copy the whole link from your email, or use the general survey.")
        )
    if services.survey_link_used(link=link):
        raise FeedbackError(
            _("This survey has already been answered for this application. Thank you for your feedback!"),
            status=409,
        )
    return link


def _choices(question: Question) -> list[tuple[str, str]]:
    if question.kind == QuestionKind.RATING:
        return [
            ("1", _("1 – very dissatisfied")),
            ("2", "2"),
            ("3", "3"),
            ("4", "4"),
            ("5", _("5 – very satisfied")),
        ]
    if question.kind == QuestionKind.YES_NO:
        return [("yes", _("Yes")), ("no", _("No"))]
    language = (get_language() or "de")[:2]
    return [(str(c.get("value")), str(c.get(language) or c.get("de") or c.get("value"))) for c in question.choices]


def _fields(questions: list[Question], values: dict[str, str], errors: dict[str, str]) -> list[dict[str, Any]]:
    fields = []
    for question in questions:
        error = errors.get(question.key)
        fields.append(
            {
                "field": {"key": question.key, "required": question.required},
                "label": question.text,
                "hint": question.hint
                or (
                    _("Up to %(max)s characters.") % {"max": TEXT_MAX_LENGTH}
                    if question.kind == QuestionKind.TEXT
                    else ""
                ),
                "errors": [{"message": error}] if error else [],
                "inputs": {"value": values.get(question.key, "")},
                "is_text": question.kind == QuestionKind.TEXT,
                "choices": [] if question.kind == QuestionKind.TEXT else _choices(question),
            }
        )
    return fields


@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest) -> HttpResponse:
    """The survey: with a one-time link from an application, or the general one from the footer."""
    token = (request.POST.get("t") if request.method == "POST" else request.GET.get("t")) or ""
    link = _link(token)
    campaign = selectors.campaign_active(service_id=link.service_id if link else None)
    if campaign is None:
        return render(request, "feedback/no_survey.html")
    questions = selectors.campaign_questions(campaign=campaign)
    values: dict[str, str] = {}
    errors: dict[str, str] = {}
    if request.method == "POST":
        result = services.survey_validate(questions=questions, data=request.POST)
        values, errors = result.values, result.errors
        if not errors:
            services.feedback_rate_limit(ip=_client_ip(request), tokened=link is not None)
            _response, ticket = services.response_submit(
                campaign=campaign, questions=questions, values=values, link=link
            )
            return HttpResponseRedirect(reverse("feedback:thanks") + "?" + urlencode({"los": ticket}))
    service = None
    if link is not None and link.service_id:
        from amtsweg.catalogue.models import Service

        service = Service.objects.filter(pk=link.service_id).first()
    return render(
        request,
        "feedback/survey.html",
        {
            "campaign": campaign,
            "service": service,
            "token": token,
            "fields": _fields(questions, values, errors),
            "errors": [{"anchor": f"id_{key}", "message": message} for key, message in errors.items()],
        },
        status=400 if errors else 200,
    )


@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    ticket_value = request.GET.get("los", "")
    ticket = raffle_ticket_read(ticket=ticket_value) if ticket_value else None
    campaign = Campaign.objects.filter(pk=ticket.campaign_id).first() if ticket else None
    return render(
        request,
        "feedback/thanks.html",
        {
            "campaign": campaign,
            "raffle_open": bool(campaign and campaign.raffle_open()),
            "eligible": bool(ticket and ticket.eligible),
            "ticket": ticket_value,
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def raffle(request: HttpRequest) -> HttpResponse:
    """The raffle, a separate and voluntary step after the survey; the address is stored apart from the answers."""
    ticket_value = (request.POST.get("los") if request.method == "POST" else request.GET.get("los")) or ""
    ticket = raffle_ticket_read(ticket=ticket_value) if ticket_value else None
    campaign = services.raffle_check_ticket(ticket=ticket)
    values: dict[str, str] = {"contact_kind": "", "email": "", "postal_address": "", "consent": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        services.feedback_rate_limit(ip=_client_ip(request), tokened=True, action="raffle")
        result = services.raffle_enter(ticket=ticket, data=request.POST, language=get_language() or "de")
        if result.entry is not None:
            return HttpResponseRedirect(
                reverse("feedback:raffle_done")
                + "?"
                + urlencode({"nr": entry_number_sign(code=f"{campaign.uuid}:{result.entry.code}")})
            )
        values, errors = result.values, result.errors
    anchors = {"contact_kind": "id_contact_kind", "consent": "id_consent"}
    return render(
        request,
        "feedback/raffle.html",
        {
            "campaign": campaign,
            "ticket": ticket_value,
            "values": values,
            "field_errors": errors,
            "errors": [
                {"anchor": anchors.get(key, f"id_{key}"), "message": message} for key, message in errors.items()
            ],
            "kinds": ContactKind,
        },
        status=400 if errors else 200,
    )


@never_cache
def raffle_done(request: HttpRequest) -> HttpResponse:
    signed = entry_number_read(value=request.GET.get("nr", "")) or ""
    campaign_uuid, _sep, code = signed.partition(":")
    if not code:
        raise FeedbackError(_("This page can only be shown right after entering the raffle."))
    from .models import RaffleEntry

    entry = get_object_or_404(RaffleEntry.objects.select_related("campaign"), campaign__uuid=campaign_uuid, code=code)
    return render(request, "feedback/raffle_done.html", {"entry": entry, "campaign": entry.campaign})


def draw_public(request: HttpRequest, uuid: str) -> HttpResponse:
    """The public page of a draw: the commitment first, then the seed, every entry number and the winners."""
    campaign = get_object_or_404(Campaign, uuid=uuid, raffle_enabled=True)
    return render(request, "feedback/draw.html", selectors.campaign_public(campaign=campaign))
