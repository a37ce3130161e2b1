"""The citizen's side: the survey, the thank-you page, the raffle and the public draw page."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.sessions.backends.base import SessionBase
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from amtsweg.core.clientip import client_ip
from amtsweg.core.forms import error_links
from amtsweg.core.middleware import domain_errors_answered
from amtsweg.core.trustgate import public

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

# Session keys: the tokens travel here, not in query strings that access logs and Referer headers carry.
SESSION_SURVEY = "feedback_survey_token"
SESSION_TICKET = "feedback_raffle_ticket"
SESSION_ENTRY = "feedback_raffle_entry"


def referrer_policy(policy: str) -> Callable[[Callable[..., HttpResponseBase]], Callable[..., HttpResponseBase]]:
    """Pages of the survey and the raffle send no address onwards in the Referer: it could carry a token.

    Pages without a form send ``no-referrer``. Pages with a form send
    ``strict-origin`` (only the portal's origin, never a path or query): under
    ``no-referrer`` browsers send ``Origin: null`` with the form, and Django's
    CSRF check rightly refuses it.
    """

    def decorate(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        # A refusal's page gets the header too: its address may carry ?t=.
        answered = domain_errors_answered(view)

        @functools.wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = answered(request, *args, **kwargs)
            response["Referrer-Policy"] = policy
            return response

        return wrapped

    return decorate


no_referrer = referrer_policy("no-referrer")
origin_only = referrer_policy("strict-origin")


def _client_ip(request: HttpRequest) -> str:
    return client_ip(request)


def _link(token: str, *, session: SessionBase | None = None) -> SurveyLink | None:
    """The survey link of ``token``, None without one; FeedbackError if it is invalid or used.

    A refused token is also dropped from ``session``, so that the next visit starts afresh.
    """
    if not token:
        return None
    link = survey_token_read(token=token)
    if link is None:
        error = FeedbackError(
            _("This survey link is not valid. Please copy the whole link from your email, or use the general survey.")
        )
    elif services.survey_link_used(link=link):
        error = FeedbackError(
            _("This survey has already been answered for this application. Thank you for your feedback!"),
            status=409,
        )
    else:
        return link
    if session is not None:
        session.pop(SESSION_SURVEY, None)
    raise error


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
    choices = question.choices if isinstance(question.choices, list) else []
    return [
        (str(c.get("value")), str(c.get(language) or c.get("de") or c.get("value")))
        for c in choices
        if isinstance(c, dict) and c.get("value")
    ]


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


@public
@origin_only
@never_cache
@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest) -> HttpResponse:
    """The survey: with a one-time link from an application, or the general one from the footer.

    The link from an email or a confirmation page carries its token as ``?t=``. The first GET checks it,
    keeps it in the session and redirects to the clean address, so that no later request carries it.
    """
    if request.method == "GET" and "t" in request.GET:
        token = request.GET.get("t", "")
        link = _link(token)
        if link is not None:
            request.session[SESSION_SURVEY] = token
        else:
            request.session.pop(SESSION_SURVEY, None)
        return HttpResponseRedirect(request.path)
    token = (request.POST.get("t") if request.method == "POST" else "") or request.session.get(SESSION_SURVEY, "")
    link = _link(token, session=request.session)
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
            request.session.pop(SESSION_SURVEY, None)
            request.session[SESSION_TICKET] = ticket
            return HttpResponseRedirect(reverse("feedback:thanks"))
    service = None
    if link is not None and link.service_id:
        from amtsweg.catalogue.models import Service

        service = Service.objects.filter(pk=link.service_id).first()
    return render(
        request,
        "feedback/survey.html",
        {
            "campaign": campaign,
            # The raffle is announced only where these answers can take part, with its conditions.
            "raffle_offered": campaign.raffle_enabled
            and not services.raffle_exclusion(campaign=campaign, link=link, idea=None),
            "service": service,
            "fields": _fields(questions, values, errors),
            "errors": error_links(errors),
        },
        status=400 if errors else 200,
    )


@public
@no_referrer
@never_cache
def thanks(request: HttpRequest) -> HttpResponse:
    ticket_value = request.session.get(SESSION_TICKET, "")
    ticket = raffle_ticket_read(ticket=ticket_value) if ticket_value else None
    campaign = Campaign.objects.filter(pk=ticket.campaign_id).first() if ticket else None
    return render(
        request,
        "feedback/thanks.html",
        {
            "campaign": campaign,
            "raffle_open": bool(campaign and campaign.raffle_open()),
            "eligible": bool(ticket and ticket.eligible),
            "refusal": services.raffle_refusal_message(reason=ticket.reason) if ticket and not ticket.eligible else "",
        },
    )


@public
@origin_only
@never_cache
@require_http_methods(["GET", "POST"])
def raffle(request: HttpRequest) -> HttpResponse:
    """The raffle, a separate and voluntary step after the survey; the address is stored apart from the answers.

    The ticket is in the session (put there by the survey), never in the address.
    """
    ticket_value = request.session.get(SESSION_TICKET, "")
    ticket = raffle_ticket_read(ticket=ticket_value) if ticket_value else None
    campaign = services.raffle_check_ticket(ticket=ticket)
    values: dict[str, str] = {"contact_kind": "", "email": "", "postal_address": "", "consent": ""}
    errors: dict[str, str] = {}
    if request.method == "POST":
        services.feedback_rate_limit(ip=_client_ip(request), tokened=True, action="raffle")
        result = services.raffle_enter(ticket=ticket, data=request.POST, language=get_language() or "de")
        if result.entry is not None:
            request.session.pop(SESSION_TICKET, None)
            request.session[SESSION_ENTRY] = entry_number_sign(code=f"{campaign.uuid}:{result.entry.code}")
            return HttpResponseRedirect(reverse("feedback:raffle_done"))
        values, errors = result.values, result.errors
    anchors = {"contact_kind": "id_contact_kind", "consent": "id_consent"}
    return render(
        request,
        "feedback/raffle.html",
        {
            "campaign": campaign,
            "values": values,
            "field_errors": errors,
            "errors": [
                {"anchor": anchors.get(key, f"id_{key}"), "message": message} for key, message in errors.items()
            ],
            "kinds": ContactKind,
        },
        status=400 if errors else 200,
    )


@public
@no_referrer
@never_cache
def raffle_done(request: HttpRequest) -> HttpResponse:
    signed = entry_number_read(value=request.session.get(SESSION_ENTRY, "")) or ""
    campaign_uuid, _sep, code = signed.partition(":")
    if not code:
        raise FeedbackError(_("This page can only be shown right after entering the raffle."))
    from .models import RaffleEntry

    entry = get_object_or_404(RaffleEntry.objects.select_related("campaign"), campaign__uuid=campaign_uuid, code=code)
    return render(request, "feedback/raffle_done.html", {"entry": entry, "campaign": entry.campaign})


@public
def draw_public(request: HttpRequest, uuid: str) -> HttpResponse:
    """The public page of a draw: the commitment first, then the seed, every entry number and the winners."""
    campaign = get_object_or_404(Campaign, uuid=uuid, raffle_enabled=True)
    return render(request, "feedback/draw.html", selectors.campaign_public(campaign=campaign))
