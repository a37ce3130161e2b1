"""The Standesamt's own pages in the form engine's journey (``applications.journey``): the result of the
Voranfrage zur Einbürgerung's self-check.

The form (``forms/einbuergerung-voranfrage.yaml``) asks the questions; its step ``result`` is this page. It
lists every criterion of ``naturalisation.self_check`` as met, not met or unclear, with the reason and the
legal basis, the fee of the later application, and what happens next. Nothing is refused: with "not met"
the citizen is told plainly that they may still send the Voranfrage. "Weiter" stores the overall result as the
answer ``selfcheck_result``, which the form's documents and outcomes read.

Before the check page and the submission the result is worked out again: when a changed answer changed it,
the new result is stored and shown once more, so the documents and the next step always fit the answers.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from amtsweg.applications import selectors as application_selectors
from amtsweg.applications import services as application_services
from amtsweg.applications.formengine.definition import visible_steps
from amtsweg.applications.journey import CHECK, journey_pages
from amtsweg.applications.models import Draft
from amtsweg.core import dates
from amtsweg.payments.fees import fee_quote

from . import naturalisation

SLUG = naturalisation.SERVICE
RESULT_STEP = "result"
RESULT_KEY = "selfcheck_result"


def _step_url(step: str, *, changing: bool = False) -> str:
    url = reverse("applications:step", kwargs={"slug": SLUG, "step": step})
    return f"{url}?aendern=1" if changing else url


def self_check_of(draft: Draft) -> tuple[list[naturalisation.Criterion], str]:
    criteria = naturalisation.self_check(draft.answers, today=dates.today())
    return criteria, naturalisation.verdict(criteria)


@journey_pages.register(f"{SLUG}:{RESULT_STEP}")
def result_page(*, request: HttpRequest, draft: Draft) -> HttpResponse:
    """The result of the self-check; "Weiter" stores it and goes on to the contact details."""
    criteria, verdict = self_check_of(draft)
    changing = request.GET.get("aendern") == "1"
    if request.method == "POST":
        draft = application_services.draft_save_step(
            draft=draft, step_key=RESULT_STEP, step_answers={RESULT_KEY: verdict}, complete=True
        )
        if request.POST.get("action") == "save":
            return redirect("applications:save", slug=SLUG)
        next_key = application_services.next_step_key(draft=draft)
        if changing or next_key is None:
            return redirect("applications:check", slug=SLUG)
        return redirect(_step_url(next_key))
    definition = application_selectors.definition_of(form_version=draft.form_version)
    steps = [step.key for step in visible_steps(definition, draft.answers)]
    position = steps.index(RESULT_STEP)
    back_url = reverse("applications:check", kwargs={"slug": SLUG}) if changing else _step_url(steps[position - 1])
    quote = fee_quote(service=draft.service, answers={**draft.answers, **naturalisation.fee_units(draft.answers)})
    return render(
        request,
        "civil_status/naturalisation_result.html",
        {
            "service": draft.service,
            "definition": definition,
            "step": definition.step(RESULT_STEP),
            "criteria": criteria,
            "verdict": verdict,
            "fee_quote": quote,
            "back_url": back_url,
            "changing": changing,
            "department": draft.service.department,
        },
    )


@journey_pages.register(f"{SLUG}:{CHECK}")
def result_still_current(*, request: HttpRequest, draft: Draft) -> HttpResponse | None:
    """Before the check page (and the submission): if a changed answer changed the result, store the new one
    and show the result page again; else let the engine show its check page."""
    if RESULT_STEP not in draft.completed_steps:
        return None
    _criteria, verdict = self_check_of(draft)
    if draft.answers.get(RESULT_KEY) == verdict:
        return None
    application_services.draft_save_step(
        draft=draft, step_key=RESULT_STEP, step_answers={RESULT_KEY: verdict}, complete=True
    )
    messages.info(request, _("Your answers have changed the result of the self-check. Please read it again."))
    return redirect(_step_url(RESULT_STEP, changing=True))
