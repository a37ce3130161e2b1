"""The Bürgerbüro's own pages in the form engine's journey (``applications.journey``): the Meldebescheinigung's
and the Untersuchungsberechtigungsschein's.

The form (``forms/meldebescheinigung.yaml``) asks for whom, which certificate and how it is wanted; for
paper, how many copies and an email address; then the engine's check page sends the order to payment and
the Bürgerbüro. Two pages need the residents' register, so the Bürgerbüro shows them itself:

- the first step, "for whom": before anything is shown, the citizen is looked up in the register
  (BMeldDigiV § 4). A mismatch of the eID and the register, or a main residence elsewhere, ends here with
  a page that says why and where to go; otherwise the citizen chooses among themselves and the minors
  they represent, by the register;
- the check page of an electronic certificate: it issues the certificate at once (sealed PDF and the
  § 18a record, free) instead of sending an application, and shows the downloads.

The Untersuchungsberechtigungsschein (``forms/untersuchungsberechtigungsschein.yaml``) has the same two: "for
whom" offers only the persons of 14 to 17 (or says that nobody in the household may have one), and the check
page issues a first examination's voucher at once; a follow-up is sent as an application, because the
Bürgerbüro checks its evidence first.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import formats
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from amtsweg.applications import selectors as application_selectors
from amtsweg.applications import services as application_services
from amtsweg.applications.formengine.base import FieldError, FieldInputs
from amtsweg.applications.formengine.definition import visible_fields, visible_steps
from amtsweg.applications.formengine.registry import field_types
from amtsweg.applications.journey import CHECK, journey_pages
from amtsweg.applications.models import Draft
from amtsweg.appointments.selectors import booking_start_url
from amtsweg.core import dates
from amtsweg.identity.services import citizen_account, citizen_identity

from . import youth_examination
from .constants import YOUTH_EXAMINATION_SERVICE
from .hooks import register_refusal
from .services import (
    HouseholdPerson,
    SelfLookup,
    document_issuer,
    household_person_check,
    household_persons,
    meldebescheinigung_issue,
    meldebescheinigung_refusal,
    register_subject_record,
    youth_examination_issue,
    youth_examination_refusal,
)

SLUG = "meldebescheinigung"
PERSON = "person"
# The documents this session issued and may download (uuids), as the session's access to them.
SESSION_KEY = "residents_certificates"


def _token(person_id: str) -> str:
    """What the page says for a person instead of the register's own key (stable, not reversible)."""
    return salted_hmac("amtsweg.residents.household", person_id, algorithm="sha256").hexdigest()[:20]


def _step_url(slug: str, step: str, *, changing: bool = False) -> str:
    url = reverse("applications:step", kwargs={"slug": slug, "step": step})
    return f"{url}?aendern=1" if changing else url


def _person_label(person: HouseholdPerson) -> str:
    if person.relation == "self":
        return _("%(name)s (yourself)") % {"name": person.name}
    try:
        born = formats.date_format(datetime.date.fromisoformat(person.birth_date), "DATE_FORMAT")
    except ValueError:
        return person.name
    return _("%(name)s, born on %(date)s (your child)") % {"name": person.name, "date": born}


def _town(identity: Any) -> str:
    return (getattr(identity, "town", "") or "").strip()


@dataclasses.dataclass(frozen=True)
class PersonChoice:
    """How a register service's first step, "for whom", offers the citizen's household (the ``person`` step,
    a ``register_person`` field): why the register is read, who of the household may be chosen, the error
    when nobody is chosen, the page shown when nobody may be, and the pages of a refused self-lookup."""

    slug: str
    purpose: str
    error: Callable[[], str]
    eligible: Callable[[HouseholdPerson], bool] = lambda person: True
    nobody_template: str = ""
    # The service's own pages for a citizen the register does not know under their ID's data (MISMATCH) or
    # whose main residence is elsewhere (NOT_RESIDENT), by outcome; else the Bürgerbüro's common page.
    refusal_templates: Mapping[str, str] = dataclasses.field(default_factory=dict)


def person_step(*, request: HttpRequest, draft: Draft, choice: PersonChoice) -> HttpResponse:
    """The "for whom" step: the citizen is looked up in the register before anything is shown (BMeldDigiV
    § 4), then chooses among themselves and the minors they represent whom ``choice`` admits."""
    identity, account = citizen_identity(request), citizen_account(request)
    lookup, household = household_persons(identity=identity, account=account, purpose=choice.purpose)
    service = draft.service
    if lookup.outcome in (SelfLookup.MISMATCH, SelfLookup.NOT_RESIDENT):
        if lookup.outcome not in choice.refusal_templates:
            return register_refusal(request, outcome=lookup.outcome, service_slug=choice.slug)
        context = {
            "service": service,
            "booking_url": booking_start_url(service=service),
            "town": _town(identity),
            "city": settings.PORTAL["city"],
        }
        return render(request, choice.refusal_templates[lookup.outcome], context)
    if lookup.outcome != SelfLookup.FOUND:  # the gate lets no lower level through; a login that just ended
        return redirect("applications:start", slug=choice.slug)
    persons = [person for person in household if choice.eligible(person)]
    if not persons and choice.nobody_template:
        return render(
            request,
            choice.nobody_template,
            {"service": service, "booking_url": booking_start_url(service=service)},
        )

    definition = application_selectors.definition_of(form_version=draft.form_version)
    by_token = {_token(person.person_id): person for person in persons}
    spec = dataclasses.replace(
        definition.field(PERSON),
        type="choice",
        options={"choices": [{"value": token, "label": _person_label(p)} for token, p in by_token.items()]},
    )
    changing = request.GET.get("aendern") == "1"
    errors: list[FieldError] = []
    chosen = draft.answers.get(PERSON)
    value = _token(chosen["ref"]) if isinstance(chosen, dict) and chosen.get("ref") else ""
    status = 200
    if request.method == "POST":
        cleaned = field_types.get("choice").clean(spec, request.POST, None)
        if cleaned.errors:
            errors = [FieldError(key=PERSON, message=choice.error())]
            status = 400
        else:
            person = by_token[cleaned.value]
            answer = {"ref": person.person_id, "name": person.name, "relation": person.relation}
            draft = application_services.draft_save_step(
                draft=draft, step_key=PERSON, step_answers={PERSON: answer}, complete=True
            )
            if request.POST.get("action") == "save":
                return redirect("applications:save", slug=choice.slug)
            next_key = application_services.next_step_key(draft=draft)
            if changing or next_key is None:
                return redirect("applications:check", slug=choice.slug)
            return redirect(_step_url(choice.slug, next_key))
    return render(
        request,
        "applications/step.html",
        {
            "service": service,
            "definition": definition,
            "step": definition.step(PERSON),
            "fields": [(spec, FieldInputs(PERSON, {PERSON: value}), False)],
            "single": True,
            "errors": errors,
            "back_url": reverse("applications:check", kwargs={"slug": choice.slug})
            if changing
            else reverse("applications:start", kwargs={"slug": choice.slug}),
            "changing": changing,
            "multipart": False,
        },
        status=status,
    )


MELDEBESCHEINIGUNG_PERSON = PersonChoice(
    slug=SLUG,
    purpose="Meldebescheinigung: Auswahl der Person",
    error=lambda: _("Select the person the certificate is for"),
    refusal_templates={
        SelfLookup.MISMATCH: "residents/register_mismatch.html",
        SelfLookup.NOT_RESIDENT: "residents/not_resident.html",
    },
)


@journey_pages.register(f"{SLUG}:{PERSON}")
def choose_person(*, request: HttpRequest, draft: Draft) -> HttpResponse:
    return person_step(request=request, draft=draft, choice=MELDEBESCHEINIGUNG_PERSON)


def _summary(draft: Draft) -> list[dict[str, Any]]:
    definition = application_selectors.definition_of(form_version=draft.form_version)
    rows = []
    for step in visible_steps(definition, draft.answers):
        for spec in visible_fields(step, draft.answers):
            value = draft.answers.get(spec.key)
            shown = field_types.get(spec.type).display(spec, value) if value not in (None, "", {}) else ""
            rows.append({"step": step, "spec": spec, "display": shown})
    return rows


def _hand_over(request: HttpRequest, *, draft: Draft, document: Any) -> HttpResponse:
    """After a document was issued at once: this session may download it; the draft is done with."""
    granted = [*request.session.get(SESSION_KEY, []), str(document.uuid)][-20:]
    request.session[SESSION_KEY] = granted
    slug = draft.service.slug
    application_services.draft_discard(draft=draft, session=request.session)
    return redirect("residents:certificate", slug=slug, uuid=document.uuid)


@journey_pages.register(f"{SLUG}:{CHECK}")
def issue_electronic(*, request: HttpRequest, draft: Draft) -> HttpResponse | None:
    """An electronic certificate is issued from the check page at once; a paper one is ordered as usual,
    once the register still says the citizen may ask for that person. Who ordered it is recorded with the
    draft: the Bürgerbüro posts it to their main address (``paper``)."""
    if draft.answers.get("format") != "electronic":
        if request.method == "POST":
            chosen = draft.answers.get(PERSON) or {}
            orderer = household_person_check(
                identity=citizen_identity(request),
                person_id=str(chosen.get("ref", "")),
                refusal=meldebescheinigung_refusal(),
            )
            register_subject_record(draft_uuid=draft.uuid, person_id=orderer)
        return None
    if request.method == "POST":
        person = draft.answers.get(PERSON) or {}
        issuer, lines = document_issuer(service=draft.service)
        issued = meldebescheinigung_issue(
            identity=citizen_identity(request),
            account=citizen_account(request),
            person_id=str(person.get("ref", "")),
            kind=str(draft.answers.get("kind", "")),
            issuer=issuer,
            issuer_lines=lines,
        )
        return _hand_over(request, draft=draft, document=issued.document)
    return render(
        request,
        "residents/meldebescheinigung_check.html",
        {"service": draft.service, "summary": _summary(draft), "city": settings.PORTAL["city"]},
    )


# --- the Untersuchungsberechtigungsschein -------------------------------------------------------------------

YOUTH_EXAMINATION_SLUG = YOUTH_EXAMINATION_SERVICE

YOUTH_EXAMINATION_PERSON = PersonChoice(
    slug=YOUTH_EXAMINATION_SLUG,
    purpose="Untersuchungsberechtigungsschein: Auswahl der Person",
    error=lambda: _("Select the young person the voucher is for"),
    eligible=lambda person: youth_examination.eligible(birth_date=person.birth_date, on=dates.today()),
    nobody_template="residents/youth_examination_nobody.html",
)


@journey_pages.register(f"{YOUTH_EXAMINATION_SLUG}:{PERSON}")
def choose_young_person(*, request: HttpRequest, draft: Draft) -> HttpResponse:
    return person_step(request=request, draft=draft, choice=YOUTH_EXAMINATION_PERSON)


@journey_pages.register(f"{YOUTH_EXAMINATION_SLUG}:{CHECK}")
def issue_voucher(*, request: HttpRequest, draft: Draft) -> HttpResponse | None:
    """A first examination's voucher is issued from the check page at once; a follow-up is sent to the
    Bürgerbüro as usual, once the register still says the citizen may ask for that person."""
    person_id = str((draft.answers.get(PERSON) or {}).get("ref", ""))
    kind = str(draft.answers.get("kind", ""))
    if kind not in youth_examination.AT_ONCE:
        if request.method == "POST":
            household_person_check(
                identity=citizen_identity(request), person_id=person_id, refusal=youth_examination_refusal()
            )
        return None
    if request.method == "POST":
        issued = youth_examination_issue(
            identity=citizen_identity(request),
            account=citizen_account(request),
            person_id=person_id,
            kind=kind,
            employer=str(draft.answers.get("future_employer") or ""),
            service=draft.service,
        )
        return _hand_over(request, draft=draft, document=issued.document)
    return render(
        request,
        "residents/youth_examination_check.html",
        {"service": draft.service, "summary": _summary(draft), "city": settings.PORTAL["city"]},
    )
