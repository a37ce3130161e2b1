"""The Abmeldung einer Nebenwohnung (§ 17(2) BMG) on the residents' register. Registered in
``apps.ResidentsConfig.ready``.

The form (``forms/nebenwohnung-abmelden.yaml``) needs the eID at level "hoch"; name, birth date and main
address come from the ID and are locked. Two checks stand before a case opens:

- the form's **gate** (``applications.gates``) finds the citizen in the register under the data of their
  ID on every page (BMeldDigiV § 4, without asking for a main residence in the city: the person may live
  elsewhere and keep a secondary residence here); a mismatch shows the refusal with the appointment link.
  Right before the submission it checks the secondary address once more and records whom it matched;
- a **service rule** on the address step tells the citizen, as an error on the address field, when the
  register holds no such secondary residence for them. Only a rule can put an error on a field (with the
  error summary and the input kept); the gate can only show a page instead of the form. The rule has no
  request, so it finds the person from the answers: the name, birth date and main address the form took
  locked from the ID, which the gate has just matched. It runs on the step only, outside any transaction:
  the final check before sending is the gate's (a rule also runs inside the submission's transaction, where
  an audited read would be undone with it).

On approval (the case completed) the move-out is written to the register (``services.
secondary_residence_end_approve``); the citizen's status and email say from when, and the case page shows
what the register holds for the person's secondary residences (an audited read for the staff member).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext

from amtsweg.applications.formengine.base import FieldError
from amtsweg.applications.formengine.hooks import service_rules
from amtsweg.applications.gates import service_gates
from amtsweg.cases.hooks import CasePanel, case_hooks
from amtsweg.catalogue.selectors import address_in_city
from amtsweg.core.dates import parse_iso_date
from amtsweg.identity.services import citizen_account, citizen_identity

from . import services
from .constants import SECONDARY_RESIDENCE_SERVICE, RegisterFinding
from .hooks import register_refusal
from .models import RegisterSubject
from .register.base import RegisterUnavailable

ADDRESS_STEP = "secondary"


@service_gates.register(SECONDARY_RESIDENCE_SERVICE)
def secondary_residence_gate(
    *, request: HttpRequest, service: Any, draft: Any, submitting: bool
) -> HttpResponse | None:
    """The register must know the citizen under the data of their ID (their main residence may be elsewhere).

    Right before the submission the secondary address is checked again, outside the submission's
    transaction (the register may have changed since the step), and whom the register matched is recorded
    with the draft, so that an approval writes the move-out to that person.
    """
    found = services.citizen_self_lookup(identity=citizen_identity(request), require_resident=False)
    if found.outcome != services.SelfLookup.FOUND:
        return register_refusal(request, outcome=found.outcome, service_slug=service.slug)
    if not submitting or draft is None:
        return None
    address = services.answer_address(draft.answers.get(services.SECONDARY_ADDRESS))
    registered = address is not None and services.secondary_residence_registered(
        person_id=found.person_id,
        address=address,
        purpose="Abmeldung einer Nebenwohnung: check before sending",
        account=citizen_account(request),
    )
    if not registered:
        messages.error(request, services.secondary_residence_not_registered_message())
        step = reverse("applications:step", kwargs={"slug": service.slug, "step": ADDRESS_STEP})
        return redirect(f"{step}?aendern=1")
    services.register_subject_record(
        draft_uuid=draft.uuid, person_id=found.person_id, finding=RegisterFinding.SECONDARY_RESIDENCE
    )
    return None


@service_rules.register(SECONDARY_RESIDENCE_SERVICE)
def secondary_residence_in_register(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """The secondary address must be one the register holds for the citizen (DSMeld 1202, an audited read).

    Left to ``rules.nebenwohnung_abmelden`` when neither address is in the city: it names the office to go to.
    """
    if step_key != ADDRESS_STEP:
        return []
    secondary, main = answers.get(services.SECONDARY_ADDRESS), answers.get("main_address")
    address, main_address = services.answer_address(secondary), services.answer_address(main)
    if address is None or main_address is None:
        return []  # the field's own checks speak; a draft of the form's first version has no main address yet
    if not (address_in_city(address=secondary) or address_in_city(address=main)):
        return []
    name = answers.get("name")
    if not isinstance(name, dict):
        name = {}
    try:
        person_id = services.register_person_match(
            family_name=str(name.get("family_name", "")),
            given_names=str(name.get("given_names", "")),
            birth_date=str(answers.get("birth_date", "")),
            address=main_address,
        )
    except RegisterUnavailable as error:
        raise services.register_unavailable_error() from error
    registered = person_id is not None and services.secondary_residence_registered(
        person_id=person_id, address=address, purpose="Abmeldung einer Nebenwohnung: the address step of the form"
    )
    if registered:
        return []
    message = services.secondary_residence_not_registered_message()
    return [FieldError(key=services.SECONDARY_ADDRESS, part="street", message=message)]


@case_hooks.on_status
def secondary_residence_decided(*, case: Any, from_status: str, to_status: str, actor: Any) -> None:
    """An approval (the case completed) writes the move-out to the register; a rejection writes nothing."""
    from amtsweg.cases.constants import CaseStatus

    if case.service.slug == SECONDARY_RESIDENCE_SERVICE and to_status == CaseStatus.COMPLETED:
        services.secondary_residence_end_approve(case=case, actor=actor)


def _moved_out_on(case: Any) -> datetime.date | None:
    return parse_iso_date((case.submission.answers or {}).get(services.MOVED_OUT_ON))


@case_hooks.citizen_status
def secondary_residence_status(*, case: Any) -> str | None:
    """The citizen sees from when the secondary residence is deregistered (status page and email)."""
    from amtsweg.cases.constants import CaseStatus

    if case.service.slug != SECONDARY_RESIDENCE_SERVICE or case.status != CaseStatus.COMPLETED:
        return None
    moved_out_on = _moved_out_on(case)
    if moved_out_on is None:
        return None
    return gettext("Secondary residence deregistered as of %(date)s") % {
        "date": formats.date_format(moved_out_on, "DATE_FORMAT")
    }


@case_hooks.staff_panel
def secondary_residence_panel(*, case: Any, user: Any) -> CasePanel | None:
    """What the register holds for the applicant's secondary residences, read for the staff member (audited)."""
    from amtsweg.cases.constants import CaseStatus

    if case.service.slug != SECONDARY_RESIDENCE_SERVICE:
        return None
    subject = RegisterSubject.objects.filter(submission_id=case.submission_id).first()
    applied = services.answer_address((case.submission.answers or {}).get(services.SECONDARY_ADDRESS))
    context: dict[str, Any] = {
        "subject": subject,
        "residences": [],
        "held": False,
        "unavailable": False,
        "moved_out_on": _moved_out_on(case),
        "completed": case.status == CaseStatus.COMPLETED,
    }
    if subject is not None:
        try:
            residences = services.secondary_residences_read(
                person_id=subject.person_id,
                purpose="Abmeldung einer Nebenwohnung: the case page",
                actor=user,
                case_reference=case.reference,
            )
        except RegisterUnavailable:
            context["unavailable"] = True
        else:
            context["residences"] = [
                (
                    services.address_line(residence),
                    applied is not None and services.secondary_residence_held(address=applied, residences=[residence]),
                )
                for residence in residences
            ]
            context["held"] = any(this for _shown, this in context["residences"])
    return CasePanel(template="residents/_case_secondary_residence.html", context=context)
