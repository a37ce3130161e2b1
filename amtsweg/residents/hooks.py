"""What the Bürgerbüro's services add to other apps' pages: the refusal when the register does not know the
citizen (BMeldDigiV § 4), the form gate of the Auskunftssperre, the register panel of its case page and the
objections in Mein Amtsweg. Registered in ``apps.ResidentsConfig.ready``."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode

from amtsweg.applications.gates import service_gates
from amtsweg.appointments.selectors import bookable_open
from amtsweg.cases.hooks import CasePanel, case_hooks
from amtsweg.catalogue.constants import TrustLevel
from amtsweg.catalogue.models import Service
from amtsweg.catalogue.selectors import register_start_resolver
from amtsweg.core.outbox import enqueue_after_commit
from amtsweg.identity.account import AccountSection, account_sections
from amtsweg.identity.base import Identity
from amtsweg.identity.services import citizen_identity

from . import services
from .constants import (
    INFORMATION_BLOCK_SERVICE,
    MELDEBESCHEINIGUNG_SERVICE,
    SECONDARY_RESIDENCE_SERVICE,
    TRANSFER_OBJECTION_SERVICE,
    YOUTH_EXAMINATION_SERVICE,
    RegisterFinding,
)
from .models import RegisterSubject
from .register.base import RegisterUnavailable
from .register.fields import INFORMATION_BLOCK, TRANSFER_OBJECTIONS
from .selectors import transfer_objections_state


def booking_url(*, service: Service) -> str:
    """Where to book the service at the counter: its first place that takes online bookings, else the overview."""
    for location in service.locations.all():
        if bookable_open(location=location.slug, service=service.slug) is not None:
            return reverse("appointments:times", args=[location.slug, service.slug])
    return reverse("appointments:overview")


def register_refusal(request: HttpRequest, *, outcome: str, service_slug: str) -> HttpResponse:
    """The page for a citizen the register does not know under the data of their ID; it shows nothing of it."""
    if outcome == services.SelfLookup.LEVEL_TOO_LOW:
        query = urlencode({"level": TrustLevel.HIGH, "next": request.get_full_path()})
        return redirect(f"{reverse('identity:login')}?{query}")
    service = Service.objects.select_related("department").filter(slug=service_slug).first()
    identity = citizen_identity(request)
    return render(
        request,
        "residents/register_refusal.html",
        {
            "outcome": outcome,
            "service": service,
            "town": identity.town if identity is not None else "",
            "booking_url": booking_url(service=service) if service is not None else reverse("appointments:overview"),
        },
        status=403,
    )


# --- the Auskunftssperre's form: only for the person the register knows -------------------------------------


@service_gates.register(INFORMATION_BLOCK_SERVICE)
def information_block_gate(*, request: HttpRequest, service: Any, draft: Any, submitting: bool) -> HttpResponse | None:
    """The register must know the applicant under the data of their ID; when they send the form, whom it matched
    is recorded with the draft, so that an approval writes the block to that person."""
    found = services.citizen_self_lookup(identity=citizen_identity(request))
    if found.outcome != services.SelfLookup.FOUND:
        return register_refusal(request, outcome=found.outcome, service_slug=service.slug)
    if submitting and draft is not None:
        services.register_subject_record(draft_uuid=draft.uuid, person_id=found.person_id)
    return None


# The services whose form records, when it is sent, whom the register matched (``register_subject_record``).
SUBJECT_RECORDING_SERVICES = frozenset(
    {INFORMATION_BLOCK_SERVICE, SECONDARY_RESIDENCE_SERVICE, MELDEBESCHEINIGUNG_SERVICE}
)


@case_hooks.on_open
def register_subject_link(*, case: Any) -> None:
    """Link the register match recorded with the sent draft to the submission whose case opens: the person an
    approval writes to (Auskunftssperre, Nebenwohnung), the orderer a paper certificate is posted to."""
    if case.service.slug in SUBJECT_RECORDING_SERVICES:
        services.register_subject_attach(submission=case.submission)


@case_hooks.on_status
def information_block_decided(*, case: Any, from_status: str, to_status: str, actor: Any) -> None:
    """An approval (the case completed) writes the block to the register; a rejection writes nothing."""
    from amtsweg.cases.constants import CaseStatus

    if case.service.slug == INFORMATION_BLOCK_SERVICE and to_status == CaseStatus.COMPLETED:
        services.information_block_approve(case=case, actor=actor)


@case_hooks.citizen_status
def information_block_status(*, case: Any) -> str | None:
    """The citizen sees until when the block is in force (on the status page and in the email)."""
    from django.utils import formats
    from django.utils.translation import gettext

    from amtsweg.cases.constants import CaseStatus

    if case.service.slug != INFORMATION_BLOCK_SERVICE or case.status != CaseStatus.COMPLETED:
        return None
    block = getattr(case, "information_block", None)
    if block is None:
        return None
    return gettext("Information block in place until %(date)s") % {
        "date": formats.date_format(block.until, "DATE_FORMAT")
    }


@case_hooks.staff_panel
def register_panel(*, case: Any, user: Any) -> CasePanel | None:
    """What the register says about the applicant's blockings, read for the staff member (audited)."""
    if case.service.slug != INFORMATION_BLOCK_SERVICE:
        return None
    subject = RegisterSubject.objects.filter(submission_id=case.submission_id).first()
    context: dict[str, Any] = {"subject": subject, "blocks": [], "unavailable": False}
    if subject is not None:
        try:
            blocks = services.register_blocks_read(
                person_id=subject.person_id,
                purpose="Auskunftssperre: the case page",
                actor=user,
                case_reference=case.reference,
            )
        except RegisterUnavailable:
            context["unavailable"] = True
        else:
            labels = {INFORMATION_BLOCK: _information_block_label(), **TRANSFER_OBJECTIONS}
            context["blocks"] = [(labels.get(block.kind, block.kind), block.until) for block in blocks]
    return CasePanel(template="residents/_case_register.html", context=context)


def _information_block_label() -> str:
    from django.utils.translation import gettext

    return gettext("Information block (§ 51 BMG)")


# --- the objections: the start button and Mein Amtsweg ------------------------------------------------------


@register_start_resolver
def objections_start(service: Service) -> str | None:
    return reverse("residents:objections") if service.slug == TRANSFER_OBJECTION_SERVICE else None


@account_sections.register("residents")
def objections_section(*, request: HttpRequest, identity: Identity, account: Any) -> AccountSection | None:
    """The citizen's objections in Mein Amtsweg, as the register stores them, each with a way to withdraw it.

    Only after a login with the eID at level "hoch" and a match in the register (BMeldDigiV § 4); for any other
    login the section is left out, so Mein Amtsweg reads nothing from the register.
    """
    if not Service.objects.filter(slug=TRANSFER_OBJECTION_SERVICE, published=True).exists():
        return None
    try:
        found = services.register_self_lookup(identity=identity)
        if found.outcome != services.SelfLookup.FOUND:
            return None
        state = transfer_objections_state(
            person_id=found.person_id, account=account, purpose="transfer objections: Mein Amtsweg"
        )
    except RegisterUnavailable:
        return AccountSection(template="residents/_account_objections.html", context={"unavailable": True})
    return AccountSection(template="residents/_account_objections.html", context={"state": state})


# --- the Melderegisterauskunft: answered once paid -----------------------------------------------------------


@case_hooks.on_open
def answer_simple_information(*, case: Any) -> None:
    """A simple Melderegisterauskunft is answered once its case opens, that is once the fee is paid.

    The register is asked by a task after the commit: a hook must not call outside parties. An extended
    request waits for staff to decide on its items.
    """
    from .services import information_is_request
    from .tasks import information_answer_task

    if not information_is_request(case=case) or case.submission.answers.get("kind") != "simple":
        return
    enqueue_after_commit(information_answer_task, lambda: information_answer_task.enqueue(case_uuid=str(case.uuid)))


# --- the Untersuchungsberechtigungsschein: a follow-up's voucher, issued as staff complete its case ----------


@case_hooks.on_open
def youth_examination_finding(*, case: Any) -> None:
    """A follow-up's young person was found in the register when the citizen sent it (the check page's household
    check), which the inbox shows."""
    if case.service.slug != YOUTH_EXAMINATION_SERVICE:
        return
    person = (case.submission.answers or {}).get("person")
    if isinstance(person, dict) and person.get("ref"):
        services.register_finding_record(
            submission=case.submission, person_id=str(person["ref"]), finding=RegisterFinding.FOUND
        )


@case_hooks.on_status
def youth_examination_decided(*, case: Any, from_status: str, to_status: str, actor: Any) -> None:
    """Completing a follow-up examination's case issues the voucher and sends it to the citizen; a rejection
    issues nothing."""
    from amtsweg.cases.constants import CaseStatus

    if case.service.slug == YOUTH_EXAMINATION_SERVICE and to_status == CaseStatus.COMPLETED:
        services.youth_examination_case_issue(case=case, actor=actor)


@case_hooks.staff_panel
def youth_examination_panel(*, case: Any, user: Any) -> CasePanel | None:
    """What completing the case does, and which evidence to check for the kind of examination."""
    if case.service.slug != YOUTH_EXAMINATION_SERVICE:
        return None
    return CasePanel(
        template="residents/_case_youth_examination.html",
        context={"kind": (case.submission.answers or {}).get("kind", "")},
    )
