"""The citizen's pages of the Standesamt: the partner's own link of a notice of marriage (``marriage.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.applications.formengine.base import FieldInputs
from amtsweg.applications.formengine.checklist import checklist_items
from amtsweg.applications.formengine.definition import drop_hidden_answers, visible_fields, visible_steps
from amtsweg.applications.formengine.hooks import run_service_rules
from amtsweg.applications.formengine.registry import field_types
from amtsweg.applications.formengine.validation import clean_step, step_raw_inputs
from amtsweg.applications.selectors import definition_of, submission_for_status
from amtsweg.core.trustgate import Gate, public, trust_gate
from amtsweg.identity.services import citizen_identity

from . import marriage


def _applicant(submission: Any) -> str:
    name = submission.answers.get("a_name") or {}
    return " ".join(filter(None, [name.get("given_names"), name.get("family_name")]))


def _inputs(spec: Any, value: Any) -> FieldInputs:
    return FieldInputs(spec.key, field_types.get(spec.type).inputs(spec, value))


SESSION_PREFIX = "marriage_partner:"


def _progress(request: HttpRequest, link: Any) -> dict[str, Any]:
    """The partner's answers so far, kept in their session until they confirm (nothing typed is lost)."""
    return dict(request.session.get(f"{SESSION_PREFIX}{link.uuid}") or {"answers": {}, "done": []})


def _progress_save(request: HttpRequest, link: Any, progress: dict[str, Any]) -> None:
    request.session[f"{SESSION_PREFIX}{link.uuid}"] = progress


def _answers(request: HttpRequest, link: Any) -> dict[str, Any]:
    """The answers the partner's steps are shown and checked with: what is stored, what they gave so far, the
    birth date of a logged-in partner as a prefill, and the wedding date for the age rule."""
    answers = {**marriage.partner_context_answers(link=link), **_progress(request, link)["answers"]}
    identity = citizen_identity(request)
    if identity is not None and identity.birth_date and not answers.get("b_birth_date"):
        answers["b_birth_date"] = identity.birth_date  # a login prefills; the partner can still change it
    return answers


def _visible_steps(definition: Any, answers: dict[str, Any]) -> list[Any]:
    shown = {step.key for step in visible_steps(definition, answers)}
    return [step for step in marriage.partner_steps(definition) if step.key in shown]


def _next_url(request: HttpRequest, link: Any, definition: Any, token: str) -> str:
    done = _progress(request, link)["done"]
    for step in _visible_steps(definition, _answers(request, link)):
        if step.key not in done:
            return reverse("civil_status:partner_step", kwargs={"token": token, "step": step.key})
    return reverse("civil_status:partner_confirm", kwargs={"token": token})


@public
def partner(request: HttpRequest, token: str) -> HttpResponse:
    """The partner's link: the first question not answered yet, or the page saying it is all confirmed."""
    link = marriage.partner_link_for(token=token)
    definition = definition_of(form_version=link.submission.form_version)
    if link.confirmed_at is not None:
        return _done(request, link=link, definition=definition)
    return redirect(_next_url(request, link, definition, token))


@public
@require_http_methods(["GET", "POST"])
def partner_step(request: HttpRequest, token: str, step: str) -> HttpResponse:
    """One step of Person 2's questions, as in the form, without the applicant's answers."""
    link = marriage.partner_link_for(token=token)
    submission = link.submission
    definition = definition_of(form_version=submission.form_version)
    if link.confirmed_at is not None:
        return redirect("civil_status:partner", token=token)
    answers = _answers(request, link)
    steps = _visible_steps(definition, answers)
    current = next((candidate for candidate in steps if candidate.key == step), None)
    if current is None:
        return redirect(_next_url(request, link, definition, token))
    errors: list[Any] = []
    fields = visible_fields(current, answers)
    if request.method == "POST":
        step_answers, errors = clean_step(definition, current, request.POST, request.FILES, answers)
        if not errors:
            errors = run_service_rules(submission.service.slug, {**answers, **step_answers}, current.key)
        if not errors:
            progress = _progress(request, link)
            merged = drop_hidden_answers(definition, {**answers, **step_answers})
            keys = {spec.key for candidate in marriage.partner_steps(definition) for spec in candidate.fields}
            progress["answers"] = {key: value for key, value in merged.items() if key in keys}
            progress["done"] = sorted(set(progress["done"]) | {current.key})
            _progress_save(request, link, progress)
            return redirect(_next_url(request, link, definition, token))
        raw = step_raw_inputs(current, request.POST)
        fields = visible_fields(current, {**answers, **step_answers})
        inputs = {spec.key: FieldInputs(spec.key, raw.get(spec.key, {})) for spec in fields}
    else:
        inputs = {spec.key: _inputs(spec, answers.get(spec.key)) for spec in fields}
    position = [candidate.key for candidate in steps].index(current.key)
    back_url = (
        reverse("civil_status:partner_step", kwargs={"token": token, "step": steps[position - 1].key})
        if position
        else ""
    )
    return render(
        request,
        "civil_status/partner/step.html",
        {
            "service": submission.service,
            "step": current,
            "fields": [(spec, inputs[spec.key]) for spec in fields],
            "single": len(fields) == 1,
            "errors": errors,
            "applicant": _applicant(submission),
            "first": position == 0,
            "back_url": back_url,
        },
        status=400 if errors else 200,
    )


@public
@require_http_methods(["GET", "POST"])
def partner_confirm(request: HttpRequest, token: str) -> HttpResponse:
    """The partner's answers to check, with "Ändern" links, and the confirmation."""
    link = marriage.partner_link_for(token=token)
    submission = link.submission
    definition = definition_of(form_version=submission.form_version)
    if link.confirmed_at is not None:
        return redirect("civil_status:partner", token=token)
    next_url = _next_url(request, link, definition, token)
    if next_url != request.path:
        return redirect(next_url)
    answers = _answers(request, link)
    if request.method == "POST":
        marriage.partner_confirm(link=link, answers=_progress(request, link)["answers"])
        request.session.pop(f"{SESSION_PREFIX}{link.uuid}", None)
        return redirect("civil_status:partner", token=token)
    rows = []
    for step in _visible_steps(definition, answers):
        for spec in visible_fields(step, answers):
            if spec.key in answers:
                rows.append(
                    {
                        "label": spec.label,
                        "value": field_types.get(spec.type).display(spec, answers[spec.key]),
                        "url": reverse("civil_status:partner_step", kwargs={"token": token, "step": step.key}),
                    }
                )
    return render(
        request,
        "civil_status/partner/confirm.html",
        {"service": submission.service, "rows": rows, "applicant": _applicant(submission)},
    )


def _done(request: HttpRequest, *, link: Any, definition: Any) -> HttpResponse:
    submission = link.submission
    items = [
        item
        for item in checklist_items(definition, submission.answers)
        if item.key.startswith("b_")  # the partner's own documents only
    ]
    return render(
        request,
        "civil_status/partner/done.html",
        {"service": submission.service, "applicant": _applicant(submission), "items": items},
    )


@trust_gate(Gate.SUBMISSION)
@require_http_methods(["POST"])
def partner_resend(request: HttpRequest, uuid: str) -> HttpResponse:
    """The applicant sends the partner a new link from the status page (the old one stops working)."""
    submission = submission_for_status(session=request.session, uuid=uuid)
    if marriage.partner_state(submission=submission) != "pending":
        raise Http404("no partner link to send")
    case = getattr(submission, "case", None)
    if case is not None and case.closed_at:
        raise Http404("the case is closed")
    marriage.partner_link_send(submission=submission, by_citizen=True)
    messages.success(request, _("We have sent your partner a new link. The earlier link no longer works."))
    return redirect("applications:status", uuid=submission.uuid)
