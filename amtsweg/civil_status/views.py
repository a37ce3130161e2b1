"""The citizen's pages of the Standesamt: the partner's own link of a notice of marriage (``marriage.py``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from amtsweg.applications.formengine.base import FieldInputs
from amtsweg.applications.formengine.checklist import checklist_items
from amtsweg.applications.formengine.definition import visible_fields
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


@public
@require_http_methods(["GET", "POST"])
def partner(request: HttpRequest, token: str) -> HttpResponse:
    """The partner's own part: Person 2's questions, prefilled with what is known (and the birth date from a
    login), then the confirmation. Nothing of the applicant's answers is shown but their name."""
    link = marriage.partner_link_for(token=token)
    submission = link.submission
    definition = definition_of(form_version=submission.form_version)
    if link.confirmed_at is not None:
        return _done(request, link=link, definition=definition, status=200)
    answers = marriage.partner_context_answers(link=link)
    identity = citizen_identity(request)
    if identity is not None and identity.birth_date and not answers.get("b_birth_date"):
        answers["b_birth_date"] = identity.birth_date  # a login prefills; the partner can still change it
    errors: list[Any] = []
    steps = marriage.partner_steps(definition)
    if request.method == "POST":
        given: dict[str, Any] = {}
        raws: dict[str, dict[str, Any]] = {}
        working = dict(answers)
        for step in steps:
            step_answers, step_errors = clean_step(definition, step, request.POST, request.FILES, working)
            working.update(step_answers)
            given.update(step_answers)
            errors += step_errors
            raws.update(step_raw_inputs(step, request.POST))
        if not errors:
            marriage.partner_confirm(link=link, answers=given)
            link.refresh_from_db()
            return _done(request, link=link, definition=definition, status=200)
        shown = [(step, visible_fields(step, working)) for step in steps]
        fields = [
            (step, [(spec, FieldInputs(spec.key, raws.get(spec.key, {}))) for spec in specs]) for step, specs in shown
        ]
        status = 400
    else:
        fields = [
            (step, [(spec, _inputs(spec, answers.get(spec.key))) for spec in visible_fields(step, answers)])
            for step in steps
        ]
        status = 200
    return render(
        request,
        "civil_status/partner/step.html",
        {"service": submission.service, "steps": fields, "errors": errors, "applicant": _applicant(submission)},
        status=status,
    )


def _done(request: HttpRequest, *, link: Any, definition: Any, status: int) -> HttpResponse:
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
        status=status,
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
