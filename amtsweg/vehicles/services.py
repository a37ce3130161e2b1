"""The Kfz-Zulassung's writes and its calls to the vehicle registry (docs/vehicles.md)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping, Sequence
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q, QuerySet
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from amtsweg.cases.constants import CLOSED_STATUSES, AuditAction, CaseStatus, EventKind
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import CaseEvent
from amtsweg.cases.selectors import case_department_ids
from amtsweg.core.outbox import enqueue_after_commit

from .constants import (
    BOOLEAN_ITEMS,
    DATE_ITEMS,
    DECIDED_STATES,
    PROVISIONAL_PROOF_DAYS,
    SERVICE_TRANSACTIONS,
    ApplicationState,
    DispatchStatus,
    Item,
    Office,
    Outcome,
    ReasonCode,
    Transaction,
    TransferVariant,
)
from .ikfz.base import (
    Application,
    Decision,
    Keeper,
    Reason,
    RegistryRefused,
    RegistryUnavailable,
    VehicleRegistry,
)
from .ikfz.registry import registry
from .models import VehicleApplication
from .offices import office_for_address
from .reasons import reason_sentence as citizen_reason_sentence

logger = logging.getLogger(__name__)


def registry_plugin() -> VehicleRegistry:
    """The configured vehicle registry (``VEHICLE_REGISTRY_PROVIDER``); RegistryUnavailable when none is."""
    provider = settings.VEHICLE_REGISTRY["provider"]
    if provider not in registry:
        raise RegistryUnavailable("no vehicle registry is configured")
    return registry.get(provider)


def keeper_from_answers(*, answers: Mapping[str, Any]) -> Keeper | None:
    """The keeper from a form's locked answers ``name``, ``birth_date`` and ``address`` (taken from the eID);
    None while one is missing."""
    name, address = answers.get("name"), answers.get("address")
    try:
        birth_date = datetime.date.fromisoformat(str(answers.get("birth_date", "")))
    except ValueError:
        return None
    if not isinstance(name, Mapping) or not isinstance(address, Mapping):
        return None
    return Keeper(
        family_name=str(name.get("family_name", "")),
        given_names=str(name.get("given_names", "")),
        birth_date=birth_date,
        street=str(address.get("street", "")),
        house_number=str(address.get("number", "")),
        postcode=str(address.get("postcode", "")),
        town=str(address.get("town", "")),
    )


# --- the application's way to the registry (docs/vehicles.md, "From the case to the decision") ---------------
#
# A case of the four services opens once its fee is paid; ``vehicle_application_open`` (its ``on_open`` hook)
# records the application as "to send" and queues ``tasks.vehicle_application_send_task``; the citizen's own
# request sends it at once as well (``hooks.vehicle_send_at_once``, after sending). Whoever comes first claims
# it with one conditional UPDATE (``_claim``) and calls the registry with no transaction open: an HTTP call
# must never hold a row lock (SQLite would make every other writer wait). The answer is then recorded under the
# application's row lock (``vehicle_decision_record``), once: a decided application is never changed again.
# A registry that does not answer leaves the application "unavailable": the task tries again after
# ``VEHICLE_REGISTRY['retry_minutes']``, then staff see it, and the periodic sweep sends every application that
# is still to send, unavailable, or claimed by a process that died (``vehicle_applications_sweep``).


class SendOutcome(models.TextChoices):
    """What one call of ``vehicle_application_send`` came to."""

    APPROVED = ApplicationState.APPROVED.value, ApplicationState.APPROVED.label
    REFUSED = ApplicationState.REFUSED.value, ApplicationState.REFUSED.label
    REVIEW = ApplicationState.REVIEW.value, ApplicationState.REVIEW.label
    UNAVAILABLE = ApplicationState.UNAVAILABLE.value, ApplicationState.UNAVAILABLE.label
    # Another process holds the application (a fresh claim), or it was decided before: nothing was sent.
    BUSY = "busy", _("Being sent by another process")
    DECIDED = "decided", _("Decided before")


# A reason of ours for an application that never reached the registry (its data is incomplete, or the registry
# refused the call itself): staff decide, or send it again. Not a ``ReasonCode``: no registry uses it.
NOT_SENT = "not_sent"


def vehicle_application_open(*, case: Any) -> VehicleApplication | None:
    """Record the application of a case of the four i-Kfz services as "to send" and queue its sending.

    Runs in the ``on_open`` hook inside ``case_open``'s transaction: no outside call, nothing that can fail on
    the citizen's data (a raised error would undo the opening and the payment with it). The transaction comes
    from the service, the variant (Umschreibung) from the answers, the office from the keeper's address
    (``offices.office_for_address``; Kassel, the main office, when the address is outside the district, with a
    note for staff). Idempotent: the case's application is returned as it is. The task is queued with the
    transaction (``core.outbox``) and carries the case's UUID only. Returns None for any other service.
    """
    transaction_kind = SERVICE_TRANSACTIONS.get(case.service.slug)
    if transaction_kind is None:
        return None
    existing = VehicleApplication.objects.filter(case=case).first()
    if existing is not None:
        return existing
    answers = case.submission.answers or {}
    address = answers.get("address")
    office = office_for_address(address=address) if isinstance(address, Mapping) else None
    variant = str(answers.get("variant") or "") if transaction_kind == Transaction.TRANSFER else ""
    application = VehicleApplication.objects.create(
        case=case,
        transaction=transaction_kind,
        variant=variant if variant in TransferVariant.values else "",
        office=office or Office.KASSEL,
    )
    if office is None:
        with translation.override(settings.LANGUAGE_CODE):
            text = gettext(
                "The keeper's address is not in the area of the four registration offices, so the application "
                "was given to the office in Kassel. Check whether the registration office is responsible."
            )
        CaseEvent.objects.create(case=case, kind=EventKind.NOTE, text=text)
    from .tasks import vehicle_application_send_task

    enqueue_after_commit(
        vehicle_application_send_task,
        lambda: vehicle_application_send_task.enqueue(case_uuid=str(case.uuid)),
    )
    return application


def _item_value(item: str, value: Any) -> Any:
    """An answer as the registry is sent it: a date as ISO 8601, yes/no as a boolean, anything else as text;
    None for a value that is not one (left out)."""
    if item in DATE_ITEMS:
        if isinstance(value, datetime.date):
            return value.isoformat()
        try:
            return datetime.date.fromisoformat(str(value)).isoformat()
        except ValueError:
            return None
    if item in BOOLEAN_ITEMS:
        if isinstance(value, bool):
            return value
        return {"yes": True, "no": False}.get(str(value).lower())
    if isinstance(value, Mapping | list):
        return None
    return str(value).strip() or None


def application_from_case(*, application: VehicleApplication) -> Application:
    """The application as the registry is sent it (``ikfz.base.Application``): the submission's UUID as the
    key (the registry answers a repeated key with its first decision), our reference, the keeper from the
    eID's locked answers, and the vehicle's items (``constants.Item``) the citizen gave. RegistryRefused when
    the answers have no keeper: there is nothing to send."""
    submission = application.case.submission
    answers = submission.answers or {}
    keeper = keeper_from_answers(answers=answers)
    if keeper is None:
        raise RegistryRefused("the application has no keeper's name, date of birth and address")
    items = {}
    for item in Item.values:
        if answers.get(item) in (None, "", [], {}):
            continue
        value = _item_value(item, answers[item])
        if value is not None:
            items[item] = value
    return Application(
        key=str(submission.uuid),
        reference=submission.reference,
        transaction=application.transaction,
        office=application.office,
        keeper=keeper,
        items=items,
        variant=application.variant,
    )


def _claimable(*, now: datetime.datetime) -> Q:
    stale = now - datetime.timedelta(seconds=settings.VEHICLE_REGISTRY["claim_seconds"])
    return Q(state__in=[ApplicationState.TO_SEND, ApplicationState.UNAVAILABLE]) | Q(
        state=ApplicationState.SENDING, claimed_at__lt=stale
    )


def _claim(application: VehicleApplication) -> datetime.datetime | None:
    """Take the application for one attempt: one conditional UPDATE in its own short transaction, from "to
    send" or "unavailable", or from "sending" when that claim is older than ``claim_seconds`` (its process
    died). Returns the claim's time, or None when someone else holds it or it is decided."""
    now = timezone.now()
    claimed = (
        VehicleApplication.objects.filter(pk=application.pk)
        .filter(_claimable(now=now))
        .update(state=ApplicationState.SENDING, attempts=F("attempts") + 1, claimed_at=now, updated_at=now)
    )
    return now if claimed else None


def _still_ours(application: VehicleApplication, claimed_at: datetime.datetime) -> QuerySet[VehicleApplication]:
    return VehicleApplication.objects.filter(pk=application.pk, state=ApplicationState.SENDING, claimed_at=claimed_at)


def _error_text(error: Exception) -> str:
    """The error as staff see it and the log keeps it: its kind and the plugin's technical message (a plugin
    puts no personal data in its errors), shortened."""
    return f"{type(error).__name__}: {error}"[:200]


def vehicle_application_send(*, application: VehicleApplication) -> str:
    """Send the application to the registry and record its answer; a ``SendOutcome`` value.

    Must be called outside any transaction: the claim is committed at once, the registry is called with no
    transaction and no row lock held, and the answer is recorded in a short transaction of its own. An
    application someone else is sending (a fresh claim), that is decided, or that waits for staff is left
    alone (BUSY, DECIDED, REVIEW).
    A registry that cannot be reached leaves it "unavailable" with the error (UNAVAILABLE); the caller
    decides when to try again (``tasks.vehicle_application_send_task``, the sweep, staff).
    """
    claimed_at = _claim(application)
    if claimed_at is None:
        state = VehicleApplication.objects.filter(pk=application.pk).values_list("state", flat=True).first()
        if state == ApplicationState.REVIEW:
            return SendOutcome.REVIEW  # the registry has it; staff decide
        return SendOutcome.DECIDED if state in DECIDED_STATES else SendOutcome.BUSY
    application = VehicleApplication.objects.select_related("case__service", "case__submission").get(pk=application.pk)
    try:
        sent = application_from_case(application=application)
        decision = registry_plugin().application_send(application=sent)
    except RegistryUnavailable as error:
        logger.warning(
            "vehicle registry unavailable for application %s (attempt %d): %s",
            application.uuid,
            application.attempts,
            error,
        )
        _still_ours(application, claimed_at).update(
            state=ApplicationState.UNAVAILABLE, last_error=_error_text(error), updated_at=timezone.now()
        )
        return SendOutcome.UNAVAILABLE
    except RegistryRefused as error:
        # The registry did not take the call itself (or the data to send is missing): sending it again as it is
        # would not help. Staff look at it: they refuse it, or send it again once the cause is put right.
        logger.warning("vehicle registry refused application %s: %s", application.uuid, error)
        decision = Decision(
            outcome=Outcome.REVIEW,
            number="",
            reasons=(Reason(code=NOT_SENT, text=_error_text(error)),),
        )
    if not _still_ours(application, claimed_at).exists():
        # Taken over meanwhile (this attempt outlived claim_seconds): the registry answers the same key with
        # the same decision, so recording it is still right, and recording is once only.
        logger.info("vehicle application %s: claim taken over, recording the answer anyway", application.uuid)
    application = vehicle_decision_record(application=application, decision=decision, actor=None)
    return str(application.state)


def _aware(moment: datetime.datetime | None) -> datetime.datetime:
    if moment is None:
        return timezone.now()
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def reason_label(*, code: str, text: str = "") -> str:
    """A reason as staff read it: the label of a known code, else the registry's own text (or the code)."""
    if code in ReasonCode.values:
        return str(ReasonCode(code).label)
    if code == NOT_SENT:
        return gettext("Not sent to the registry")
    return text or code


def reason_sentence(*, reason: Reason) -> str:
    """A reason as the citizen reads it, in the active language (``reasons.reason_sentence``: a sentence per known
    code, with the item it concerns; the registry's own text for a code we do not know)."""
    return citizen_reason_sentence(reason=reason)


def refusal_text(*, application: VehicleApplication, reasons: Sequence[Reason], staff_reason: str = "") -> str:
    """What the citizen reads with the rejection, in the active language: that it was refused, why (the staff
    member's reason, or a sentence per reason of the registry), and what to do: come to the office, with an
    appointment."""
    lines = [gettext("The vehicle registration office could not approve your application online."), ""]
    why = [staff_reason.strip()] if staff_reason.strip() else [reason_sentence(reason=r) for r in reasons]
    why = [sentence for sentence in dict.fromkeys(why) if sentence]
    if why:
        lines.append(gettext("Reason:") if len(why) == 1 else gettext("Reasons:"))
        lines += [f"– {sentence}" for sentence in why]
        lines.append("")
    service_url = settings.PORTAL["base_url"].rstrip("/") + reverse(
        "catalogue:service_detail", kwargs={"slug": application.case.service.slug}
    )
    lines.append(
        gettext(
            "What you can do: come to the vehicle registration office in %(office)s with your ID card and the "
            "vehicle's documents. Please book an appointment first: %(url)s — or call %(phone)s."
        )
        % {"office": Office(application.office).label, "url": service_url, "phone": settings.PORTAL["hotline"]}
    )
    return "\n".join(lines)


def approval_text(*, application: VehicleApplication) -> str:
    """What the citizen reads when a deregistration is approved, in the active language (the case completes
    with it)."""
    return gettext(
        "Your vehicle with the licence plate %(plate)s has been taken off the road (application number "
        "%(number)s, decided on %(date)s)."
    ) % {
        "plate": application.plate or "–",
        "number": application.number or "–",
        "date": formats.date_format(timezone.localtime(application.decided_at), "DATE_FORMAT")
        if application.decided_at
        else "–",
    }


def _case_move(*, case: Any, to_status: str, actor: Any, notify: bool = True, **texts: str) -> Any:
    """Move the case on towards ``to_status`` through "in progress" where needed; a closed case is left."""
    from amtsweg.cases.services import case_transition

    if case.status in CLOSED_STATUSES or case.status == to_status:
        return case
    try:
        if to_status == CaseStatus.COMPLETED and case.status == CaseStatus.RECEIVED:
            case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor, notify=False)
        return case_transition(case=case, to_status=to_status, actor=actor, notify=notify, **texts)
    except CaseError as error:
        # The decision is recorded all the same (it is the registry's); staff move the case on by hand.
        logger.warning("vehicle application of case %s: case not moved to %s: %s", case.uuid, to_status, error)
        with translation.override(settings.LANGUAGE_CODE):
            text = gettext("The registry's decision could not move the case on to “%(status)s”. Please do it here.") % {
                "status": CaseStatus(to_status).label
            }
        CaseEvent.objects.create(case=case, kind=EventKind.NOTE, text=text)
        return case


def vehicle_decision_record(
    *, application: VehicleApplication, decision: Decision, actor: Any, reason: str = ""
) -> VehicleApplication:
    """Record the registry's (or staff's, through the registry) decision on the application, once.

    In one transaction with the application's row locked: an application already approved or refused is
    returned as it is, so a second answer (a repeated send, the task and the citizen's request at once, a
    double click) changes nothing and sends nothing.

    - approved: the number, plate and decision time; the provisional proof valid for
      ``PROVISIONAL_PROOF_DAYS`` days from the decision day (``proof.provisional_proof_issue``); the documents
      and seals queued for posting, except for a deregistration, which completes the case at once; any other
      case moves on to "in progress" (the posting completes it).
    - refused: the reasons; the case is rejected with a text in the citizen's language that says why (``reason``:
      the staff member's own) and what to do.
    - review: the reasons; the case waits in the inbox for staff.

    ``actor``: the staff member who decided, audited; None for the registry's own decision.
    """
    from amtsweg.cases.services import audit_record

    with transaction.atomic():
        locked = (
            VehicleApplication.objects.select_for_update(of=("self",))
            .select_related("case__service", "case__submission")
            .get(pk=application.pk)
        )
        if locked.state in DECIDED_STATES:
            return locked
        before = locked.state
        locked.number = decision.number or locked.number
        locked.reasons = [r.as_dict() for r in decision.reasons]
        locked.answer = decision.as_dict()
        locked.last_error = ""
        case = locked.case
        language = case.submission.language or settings.LANGUAGE_CODE
        if decision.outcome == Outcome.APPROVED:
            locked.state = ApplicationState.APPROVED
            locked.plate = decision.plate or locked.plate
            locked.decided_at = _aware(decision.decided_at)
            deregistration = locked.transaction == Transaction.DEREGISTRATION
            if not deregistration:
                decided_on = timezone.localdate(locked.decided_at)
                locked.valid_until = decided_on + datetime.timedelta(days=PROVISIONAL_PROOF_DAYS)
                locked.dispatch = DispatchStatus.QUEUED
            locked.save()
            from .proof import provisional_proof_issue

            provisional_proof_issue(application=locked)
            if deregistration:
                with translation.override(language):
                    text = approval_text(application=locked)
                _case_move(case=case, to_status=CaseStatus.COMPLETED, actor=actor, message=text)
            else:
                # The proof's message has told the citizen (and emailed them): the move itself sends nothing.
                _case_move(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor, notify=False)
        elif decision.outcome == Outcome.REFUSED:
            locked.state = ApplicationState.REFUSED
            locked.decided_at = _aware(decision.decided_at)
            locked.save()
            with translation.override(language):
                text = refusal_text(application=locked, reasons=decision.reasons, staff_reason=reason)
            _case_move(case=case, to_status=CaseStatus.REJECTED, actor=actor, reason=text)
        else:  # review, or an outcome this portal does not know: a person decides
            if decision.outcome != Outcome.REVIEW:
                logger.warning("vehicle application %s: unknown outcome %r", locked.uuid, decision.outcome)
            locked.state = ApplicationState.REVIEW
            locked.save()
            if before != ApplicationState.REVIEW:
                why = "; ".join(reason_label(code=r.code, text=r.text) for r in decision.reasons) or "–"
                with translation.override(settings.LANGUAGE_CODE):
                    text = gettext("The vehicle registry referred the application to staff: %(why)s") % {"why": why}
                CaseEvent.objects.create(case=case, kind=EventKind.NOTE, text=text)
        if actor is not None:
            audit_record(
                actor=actor,
                action=AuditAction.VEHICLE_REGISTRY,
                case=case,
                detail=f"{before} → {locked.state} {locked.number}".strip(),
            )
        return locked


# --- staff: decide a referred application, send one again ----------------------------------------------------

STAFF_REASON_MAX = 2000


def _for_staff(*, application: VehicleApplication, actor: Any) -> VehicleApplication:
    """The application read again, for a staff member of its case's department (CaseError otherwise)."""
    application = VehicleApplication.objects.select_related("case__service", "case__submission").get(pk=application.pk)
    allowed = case_department_ids(user=actor)
    if allowed is not None and application.case.department_id not in allowed:
        raise CaseError(_("You may only work on cases of your own departments."))
    return application


def _already_decided(application: VehicleApplication) -> CaseError:
    return CaseError(
        _("This application has already been decided (%(state)s). Nothing was changed.")
        % {"state": ApplicationState(application.state).label}
    )


def vehicle_application_decide(
    *, application: VehicleApplication, approve: bool, reason: str, actor: Any
) -> VehicleApplication:
    """Staff approve, or refuse with a reason (required; the citizen reads it), an application the registry
    referred to them. The decision is made at the registry (``application_decide``) and then recorded
    (``vehicle_decision_record``, audited). An application the registry never received can only be refused
    (or sent again). CaseError for a decided application, one not under review, a missing reason, and a
    registry that cannot be reached: nothing was changed."""
    reason = (reason or "").strip()
    if not approve and not reason:
        raise CaseError(_("Enter the reason for refusing the application. The citizen will see it."))
    if len(reason) > STAFF_REASON_MAX:
        raise CaseError(_("The reason is too long: at most 2,000 characters."))
    application = _for_staff(application=application, actor=actor)
    if application.state in DECIDED_STATES:
        raise _already_decided(application)
    if application.state != ApplicationState.REVIEW or application.case.status in CLOSED_STATUSES:
        raise CaseError(_("Only an application the registry referred to staff can be approved or refused here."))
    if not application.number:
        if approve:
            raise CaseError(
                _("The registry has not received this application, so it cannot be approved. Send it again first.")
            )
        decision = Decision(
            outcome=Outcome.REFUSED,
            number="",
            decided_at=timezone.now(),
            reasons=(Reason(code=ReasonCode.MANUAL, text=reason),),
        )
    else:
        decision = _decide_at_registry(application=application, approve=approve, reason=reason, actor=actor)
    return vehicle_decision_record(application=application, decision=decision, actor=actor, reason=reason)


def _decide_at_registry(*, application: VehicleApplication, approve: bool, reason: str, actor: Any) -> Decision:
    unreachable = CaseError(
        _("The vehicle registry cannot be reached at the moment. Nothing was decided. Please try again later.")
    )
    plugin = registry_plugin_or_none()
    if plugin is None:
        raise unreachable
    try:
        return plugin.application_decide(
            number=application.number, approve=approve, reason=reason, actor=actor.get_username()
        )
    except RegistryUnavailable as error:
        logger.warning("vehicle registry unavailable for the decision on %s: %s", application.uuid, error)
        raise unreachable from error
    except RegistryRefused as error:
        # Not under review at the registry any more (decided meanwhile, e.g. by a colleague): take its decision.
        logger.warning("vehicle registry refused the decision on %s: %s", application.uuid, error)
        try:
            current = plugin.application_status(number=application.number)
        except (RegistryUnavailable, RegistryRefused) as status_error:
            raise unreachable from status_error
        if current.outcome == Outcome.REVIEW:
            raise CaseError(
                _("The vehicle registry did not accept the decision. Nothing was changed. Please try again later.")
            ) from error
        return current


def registry_plugin_or_none() -> VehicleRegistry | None:
    try:
        return registry_plugin()
    except RegistryUnavailable:
        return None


def vehicle_application_resend(*, application: VehicleApplication, actor: Any) -> str:
    """Staff send an application again now: one the registry could not be reached for, one still waiting to
    be sent, or one that never reached it (its data was refused). Audited; returns the ``SendOutcome``."""
    from amtsweg.cases.services import audit_record

    application = _for_staff(application=application, actor=actor)
    if application.state in DECIDED_STATES:
        raise _already_decided(application)
    if application.case.status in CLOSED_STATUSES:
        raise CaseError(_("This case is closed; its application is not sent again."))
    if application.state == ApplicationState.REVIEW:
        if application.number:
            raise CaseError(_("The registry has this application already: approve or refuse it."))
        VehicleApplication.objects.filter(pk=application.pk, state=ApplicationState.REVIEW, number="").update(
            state=ApplicationState.TO_SEND, updated_at=timezone.now()
        )
    audit_record(actor=actor, action=AuditAction.VEHICLE_REGISTRY, case=application.case, detail="send again")
    return vehicle_application_send(application=application)


# --- the sweep: nothing is ever lost ---------------------------------------------------------------------------


def vehicle_applications_unsent(*, now: datetime.datetime | None = None) -> QuerySet[VehicleApplication]:
    """Applications that wait to be sent: to send, unavailable, or claimed by a process that died."""
    return VehicleApplication.objects.filter(_claimable(now=now or timezone.now()))


def vehicle_applications_sweep(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Send every application that waits (``vehicle_applications_unsent``), oldest first; the periodic job.

    Stops at the first one the registry does not answer for: the registry is down, and each call would wait
    for its timeout; the rest wait for the next run. Also when no worker ran the queued task, an application
    is sent so. Counts: sent (decided now), review, unavailable, busy (someone else was sending it), left.
    """
    counts = {"sent": 0, "review": 0, "unavailable": 0, "busy": 0, "left": 0}
    due = list(vehicle_applications_unsent(now=now).order_by("created_at", "id").values_list("pk", flat=True))
    for index, pk in enumerate(due):
        outcome = vehicle_application_send(application=VehicleApplication(pk=pk))
        if outcome == SendOutcome.UNAVAILABLE:
            counts["unavailable"] += 1
            counts["left"] = len(due) - index - 1
            break
        if outcome in (SendOutcome.APPROVED, SendOutcome.REFUSED):
            counts["sent"] += 1
        elif outcome == SendOutcome.REVIEW:
            counts["review"] += 1
        else:
            counts["busy"] += 1
    return counts


def vehicle_application_unreachable(*, application: VehicleApplication) -> None:
    """After the task's last attempt: an internal note says the registry could not be reached and what happens
    now (the sweep keeps sending it; staff can send it again from the case page)."""
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext(
            "The vehicle registry could not be reached after %(attempts)d attempts. The application is kept and "
            "sent again automatically every few minutes; you can also send it again on this page."
        ) % {"attempts": application.attempts}
    CaseEvent.objects.create(case_id=application.case_id, kind=EventKind.NOTE, text=text)
