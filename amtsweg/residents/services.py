"""The Bürgerbüro's use of the residents' register: every call goes through here.

``register_self_lookup`` applies BMeldDigiV § 4 before a citizen reads about themselves: the eID at
level "hoch", a main address in the city, and an exact match of name, birth date and main address.
``register_read`` reads only the items asked for and audits the read (``RegisterRead``).
"""

from __future__ import annotations

import datetime
import enum
import logging
import unicodedata
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import formats, timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from amtsweg.applications.references import counter_next, reference_format
from amtsweg.cases.constants import EventKind
from amtsweg.cases.errors import CaseError
from amtsweg.cases.models import Case, CaseEvent
from amtsweg.catalogue.constants import TrustLevel
from amtsweg.catalogue.models import Service
from amtsweg.catalogue.selectors import address_in_city
from amtsweg.core import dates
from amtsweg.core.dates import add_months, parse_iso_date
from amtsweg.core.i18n import language_or_default
from amtsweg.identity.base import Identity
from amtsweg.identity.constants import level_satisfies
from amtsweg.notifications.constants import NotificationKind
from amtsweg.notifications.services import notification_queue
from amtsweg.statistics.services import case_record_create

from .constants import (
    INFORMATION_BLOCK_REMIND_MONTHS,
    INFORMATION_BLOCK_SERVICE,
    INFORMATION_BLOCK_YEARS,
    MELDEBESCHEINIGUNG_SERVICE,
    TRANSFER_OBJECTION_SERVICE,
    WEDDING_OBJECTION_DAYS,
    YOUTH_EXAMINATION_SERVICE,
    BlockAction,
    RegisterFinding,
)
from .errors import ResidentsError
from .models import BlockChange, InformationBlock, RegisterRead, RegisterSubject, WeddingObjection
from .register import fields
from .register.base import (
    Address,
    Block,
    PersonQuery,
    RegisterRecord,
    RegisterRefused,
    RegisterUnavailable,
    ResidentsRegister,
)
from .register.registry import registry

WEDDING = fields.WEDDING_ANNIVERSARIES
if TYPE_CHECKING:
    from amtsweg.documents.services import IssuedDocument

logger = logging.getLogger(__name__)


def register_plugin() -> ResidentsRegister:
    """The configured register (``RESIDENTS_REGISTER_PROVIDER``); RegisterUnavailable when none is."""
    provider = settings.RESIDENTS_REGISTER["provider"]
    if provider not in registry:
        raise RegisterUnavailable("no residents' register is configured")
    return registry.get(provider)


class SelfLookup(enum.StrEnum):
    FOUND = "found"
    LEVEL_TOO_LOW = "level"  # not logged in with the eID at level "hoch"
    NOT_RESIDENT = "not_resident"  # the main address on the eID is outside the city
    MISMATCH = "mismatch"  # name, birth date and main address do not match the register exactly


@dataclass(frozen=True)
class SelfLookupResult:
    outcome: SelfLookup
    person_id: str = ""


def _identity_address(identity: Identity) -> Address:
    return Address(
        street=identity.street or "",
        house_number=identity.house_number or "",
        postcode=identity.postcode or "",
        town=identity.town or "",
    )


def register_person_match(*, family_name: str, given_names: str, birth_date: str, address: Address) -> str | None:
    """The register's id of the person with exactly this name, birth date (ISO) and main address, or None.

    The match of BMeldDigiV § 4; ``register_self_lookup`` makes it with the data of the citizen's ID.
    """
    try:
        born = datetime.date.fromisoformat(birth_date or "")
    except ValueError:
        return None
    query = PersonQuery(family_name=family_name, given_names=given_names, birth_date=born, address=address)
    return register_plugin().person_match(query=query)


def register_self_lookup(*, identity: Identity | None, require_resident: bool = True) -> SelfLookupResult:
    """Who the logged-in citizen is in the register, under BMeldDigiV § 4; nothing is read yet.

    ``require_resident`` False is for a service the city's register offers to a person living elsewhere
    (the Abmeldung einer Nebenwohnung of a secondary residence here): the match stays exact on the main
    address of the ID, which need not be in the city.
    """
    if identity is None or not level_satisfies(identity.trust_level, TrustLevel.HIGH):
        return SelfLookupResult(SelfLookup.LEVEL_TOO_LOW)
    address = _identity_address(identity)
    if require_resident and not address_in_city(address=address.as_dict()):
        return SelfLookupResult(SelfLookup.NOT_RESIDENT)
    person_id = register_person_match(
        family_name=identity.family_name or "",
        given_names=identity.given_names or "",
        birth_date=identity.birth_date or "",
        address=address,
    )
    if person_id is None:
        return SelfLookupResult(SelfLookup.MISMATCH)
    return SelfLookupResult(SelfLookup.FOUND, person_id)


def _actor_label(actor: Any, account: Any) -> str:
    if actor is not None and getattr(actor, "is_authenticated", False):
        return str(actor.get_username())
    if account is not None:
        return f"citizen {account.uuid}"
    return "system"


def register_read(
    *,
    person_id: str,
    items: Iterable[str],
    purpose: str,
    actor: Any = None,
    account: Any = None,
    case_reference: str = "",
) -> RegisterRecord:
    """Read ``items`` (DSMeld numbers) of one person, and audit who read them and why.

    The audit entry is written before the read: a read that fails half-way is still on record.
    """
    wanted = tuple(dict.fromkeys(items))
    RegisterRead.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor, account)[:150],
        person_id=person_id[:64],
        items=",".join(wanted)[:500],
        purpose=purpose[:200],
        case_reference=case_reference[:32],
    )
    return register_plugin().person_read(person_id=person_id, items=wanted)


def register_represented(*, person_id: str) -> list[str]:
    """The persons the citizen may act for (their minor children), as the register says."""
    return register_plugin().represented(person_id=person_id)


def register_block_file(*, person_id: str, kind: str, until: datetime.date | None = None) -> None:
    register_plugin().block_file(person_id=person_id, block=Block(kind=kind, until=until))


def register_block_withdraw(*, person_id: str, kind: str) -> None:
    register_plugin().block_withdraw(person_id=person_id, kind=kind)


def register_secondary_residence_end(*, person_id: str, address: Address, moved_out_on: datetime.date) -> None:
    register_plugin().secondary_residence_end(person_id=person_id, address=address, moved_out_on=moved_out_on)


# --- what the citizen's own pages use ---------------------------------------------------------------------


def register_unavailable_error() -> ResidentsError:
    return ResidentsError(
        _("The register of residents cannot be reached at the moment. Please try again later."),
        status=503,
    )


def citizen_self_lookup(*, identity: Identity | None, require_resident: bool = True) -> SelfLookupResult:
    """``register_self_lookup`` for a citizen's page: a register that cannot be reached is a ``ResidentsError``."""
    try:
        return register_self_lookup(identity=identity, require_resident=require_resident)
    except RegisterUnavailable as error:
        logger.warning("residents' register unavailable: %s", error)
        raise register_unavailable_error() from error


def register_blocks_read(
    *, person_id: str, purpose: str, actor: Any = None, account: Any = None, case_reference: str = ""
) -> list[Block]:
    """The blockings the register stores for the person (DSMeld 1801), read and audited like every read."""
    record = register_read(
        person_id=person_id,
        items=[fields.BLOCKS],
        purpose=purpose,
        actor=actor,
        account=account,
        case_reference=case_reference,
    )
    blocks = []
    for entry in record.get(fields.BLOCKS) or []:
        if isinstance(entry, dict) and entry.get("kind"):
            blocks.append(Block(kind=str(entry["kind"]), until=parse_iso_date(entry.get("until"))))
    return blocks


def _block_change_record(
    *,
    person_id: str,
    kind: str,
    action: str,
    actor: Any = None,
    account: Any = None,
    until: datetime.date | None = None,
    case_reference: str = "",
) -> BlockChange:
    return BlockChange.objects.create(
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
        actor_label=_actor_label(actor, account)[:150],
        person_id=person_id[:64],
        kind=kind,
        action=action,
        until=until,
        case_reference=case_reference[:32],
    )


def _online_use_count(*, service_slug: str) -> None:
    """One anonymous figure per online use, as retention leaves for a closed case: a completed online use of the
    service today. For what is done at once and keeps no case (an objection filed, a certificate issued)."""
    service = Service.objects.filter(slug=service_slug).only("pk", "department_id").first()
    if service is None:
        return
    today = timezone.localdate()
    case_record_create(
        service_id=service.pk,
        department_id=service.department_id,
        channel="online",
        submitted_on=today,
        closed_on=today,
        final_status="completed",
    )


# --- objections to transfers (Übermittlungssperren, §§ 36(2), 42(3), 50(1)–(3) BMG) ----------------------------


@dataclass(frozen=True)
class ObjectionFiling:
    filed: tuple[str, ...]  # the kinds now in force in the register
    wedding_waits: bool = False  # the wedding anniversaries wait for the spouse's confirmation


def _file_objection(*, person_id: str, kind: str, account: Any) -> None:
    try:
        register_block_file(person_id=person_id, kind=kind)
    except RegisterUnavailable as error:
        logger.warning("residents' register unavailable: %s", error)
        raise register_unavailable_error() from error
    _block_change_record(person_id=person_id, kind=kind, action=BlockAction.FILED, account=account)


NO_SPOUSE = gettext_lazy(
    "The register of residents has no spouse or civil partner for you. If you are married, please contact the "
    "residents' office."
)


def register_spouse(*, person_id: str, account: Any) -> str | None:
    """The register's id of the citizen's spouse or civil partner (an audited read), or None."""
    try:
        record = register_read(
            person_id=person_id,
            items=[fields.SPOUSE],
            purpose="transfer objection: wedding anniversaries, the spouse who must confirm",
            account=account,
        )
    except RegisterUnavailable as error:
        logger.warning("residents' register unavailable: %s", error)
        raise register_unavailable_error() from error
    spouse = record.get(fields.SPOUSE)
    return str(spouse["person"]) if isinstance(spouse, dict) and spouse.get("person") else None


def transfer_objections_file(
    *, person_id: str, kinds: list[str], account: Any, email: str, language: str, spouse: str | None = None
) -> ObjectionFiling:
    """File the citizen's objections in the register at once (BMeldDigiV § 8), and confirm them by email.

    ``person_id`` is the citizen's own, found by ``register_self_lookup``. The wedding anniversaries need both
    spouses (§ 50(2) BMG): this spouse's objection waits for the other's, ``spouse`` as ``register_spouse``
    found them, unless the other objected first; then this is the confirmation and both are written. Every
    other kind is in force as soon as this returns.
    """
    wanted = [kind for kind in fields.TRANSFER_OBJECTIONS if kind in kinds]
    if not wanted or len(wanted) != len(set(kinds)):
        raise ResidentsError(_("Choose at least one of the objections on the page."))
    if WEDDING in wanted and not spouse:
        raise ResidentsError(NO_SPOUSE)
    filed = []
    for kind in wanted:
        if kind != WEDDING:
            _file_objection(person_id=person_id, kind=kind, account=account)
            filed.append(kind)
    waits = False
    if WEDDING in wanted and spouse is not None:
        first = WeddingObjection.objects.filter(
            person_id=spouse, spouse_person_id=person_id, expires_at__gt=timezone.now()
        ).first()
        if first is not None:  # the other spouse objected first: this is the second declaration
            wedding_objection_confirm(objection=first, person_id=person_id, account=account)
            filed.append(WEDDING)
        else:
            WeddingObjection.objects.update_or_create(
                person_id=person_id,
                defaults={
                    "spouse_person_id": spouse,
                    "email": email,
                    "language": language,
                    "expires_at": timezone.now() + datetime.timedelta(days=WEDDING_OBJECTION_DAYS),
                },
            )
            waits = True
    with transaction.atomic():
        _online_use_count(service_slug=TRANSFER_OBJECTION_SERVICE)
        if email:
            transfer_objection_email_queue(
                email=email, language=language, kinds=filed, wedding_waits=waits, spouse_confirmed=False
            )
    return ObjectionFiling(filed=tuple(filed), wedding_waits=waits)


def wedding_objection_confirm(*, objection: WeddingObjection, person_id: str, account: Any) -> None:
    """The second spouse confirms: both spouses' entries are written, the first spouse is told by email."""
    if objection.spouse_person_id != person_id or objection.expires_at <= timezone.now():
        raise ResidentsError(_("There is no objection of your spouse waiting for your confirmation."))
    _file_objection(person_id=person_id, kind=WEDDING, account=account)
    _file_objection(person_id=objection.person_id, kind=WEDDING, account=account)
    with transaction.atomic():
        deleted, _by_model = WeddingObjection.objects.filter(pk=objection.pk).delete()
        if deleted and objection.email:
            transfer_objection_email_queue(
                email=objection.email,
                language=objection.language,
                kinds=[WEDDING],
                wedding_waits=False,
                spouse_confirmed=True,
            )


def transfer_objection_withdraw(*, person_id: str, kind: str, account: Any) -> None:
    """Withdraw one of the citizen's objections (or their wedding objection still waiting for the spouse)."""
    if kind not in fields.TRANSFER_OBJECTIONS:
        raise ResidentsError(_("This objection does not exist."), status=404)
    if kind == WEDDING:
        WeddingObjection.objects.filter(person_id=person_id).delete()
    try:
        register_block_withdraw(person_id=person_id, kind=kind)
    except RegisterUnavailable as error:
        logger.warning("residents' register unavailable: %s", error)
        raise register_unavailable_error() from error
    _block_change_record(person_id=person_id, kind=kind, action=BlockAction.WITHDRAWN, account=account)


def transfer_objection_email_queue(
    *, email: str, language: str, kinds: list[str], wedding_waits: bool, spouse_confirmed: bool
) -> None:
    """Queue the confirmation email. What it says travels sealed; the row goes once it is sent (no case holds it)."""
    notification_queue(
        kind=NotificationKind.TRANSFER_OBJECTION,
        to=email,
        language=language_or_default(language),
        occasion_of=uuid.uuid4(),
        sealed={
            "kinds": ",".join(kinds),
            "wedding_waits": "1" if wedding_waits else "",
            "spouse_confirmed": "1" if spouse_confirmed else "",
            "on": timezone.localdate().isoformat(),
        },
    )


# --- the Auskunftssperre (§ 51 BMG) ------------------------------------------------------------------------


def register_subject_record(
    *, draft_uuid: Any, person_id: str, finding: str = RegisterFinding.FOUND
) -> RegisterSubject:
    """Remember whom the register matched for the citizen sending this draft (the form's gate, on submitting)
    and what it said (``finding``, "person found" unless the gate checked more), shown in the inbox once the
    case opens."""
    subject, _created = RegisterSubject.objects.update_or_create(
        draft_uuid=draft_uuid,
        defaults={"person_id": person_id, "finding": finding, "checked_at": timezone.now()},
    )
    return subject


def register_subject_attach(*, submission: Any) -> None:
    """Link the match recorded for the submission's draft to the submission (its case just opened)."""
    if submission.draft_uuid is None or RegisterSubject.objects.filter(submission=submission).exists():
        return
    RegisterSubject.objects.filter(draft_uuid=submission.draft_uuid, submission__isnull=True).update(
        submission=submission
    )


def register_finding_record(*, submission: Any, person_id: str, finding: str) -> RegisterSubject:
    """Record what the register said about the person a submission is about, for the Bürgerbüro's inbox.

    Every service that asks the register about a submission's person calls it once it has the answer (the
    inbox shows "Register: <finding>" on the case's row and never asks the register itself):

    - ``submission``: the ``applications.Submission`` (its case shows the note);
    - ``person_id``: the register's id of the person found, or "" when there is none (nobody, several,
      not reachable); "" keeps an id recorded before (e.g. the gate's match);
    - ``finding``: a ``constants.RegisterFinding`` (``FOUND``, ``NOT_FOUND``, ``AMBIGUOUS``, ``BLOCKED``,
      ``UNAVAILABLE``, ``SECONDARY_RESIDENCE``, ``NO_SECONDARY_RESIDENCE``, ``NOT_RESIDENT``, ``MISMATCH``).

    One row per submission (``RegisterSubject``, deleted with it); a later finding replaces the earlier one,
    with the time it was made. Nothing is read from the register here. Call it inside the transaction that
    acts on the finding, or after it.
    """
    if finding not in RegisterFinding.values:
        raise ValueError(f"unknown register finding {finding!r}")
    defaults: dict[str, Any] = {"finding": finding, "checked_at": timezone.now()}
    if person_id:
        defaults["person_id"] = person_id[:64]
    with transaction.atomic():
        register_subject_attach(submission=submission)  # a gate's match for the draft, if the case has not yet
        subject, _created = RegisterSubject.objects.update_or_create(submission=submission, defaults=defaults)
    return subject


def information_block_until(*, approved_on: datetime.date) -> datetime.date:
    return add_months(approved_on, 12 * INFORMATION_BLOCK_YEARS)


def information_block_approve(*, case: Any, actor: Any) -> InformationBlock:
    """Write the approved Auskunftssperre to the register until two years from today.

    Runs as the case moves to "completed" (``cases.hooks.on_status``), inside that transaction: if the register
    refuses or cannot be reached, the case stays where it was and staff see why.
    """
    subject = RegisterSubject.objects.filter(submission_id=case.submission_id).first()
    if subject is None:
        raise CaseError(
            _(
                "This application has no match in the register of residents, so the block cannot be written "
                "from here. Enter it in the register software and close the case there."
            )
        )
    until = information_block_until(approved_on=timezone.localdate())
    try:
        register_block_file(person_id=subject.person_id, kind=fields.INFORMATION_BLOCK, until=until)
    except (RegisterUnavailable, RegisterRefused) as error:
        logger.warning("residents' register did not take the block of %s: %s", case.reference, error)
        raise CaseError(
            _(
                "The register of residents did not take the block (it cannot be reached or refused it). The "
                "case was not completed. Please try again later."
            )
        ) from error
    _block_change_record(
        person_id=subject.person_id,
        kind=fields.INFORMATION_BLOCK,
        action=BlockAction.FILED,
        actor=actor,
        until=until,
        case_reference=case.reference,
    )
    block, _created = InformationBlock.objects.update_or_create(
        case=case,
        defaults={
            "reference": case.reference,
            "person_id": subject.person_id,
            "until": until,
            "remind_on": add_months(until, -INFORMATION_BLOCK_REMIND_MONTHS),
            "email": case.submission.email,
            "language": case.submission.language,
            "citizen_reminded_at": None,
            "staff_reminded_at": None,
        },
    )
    return block


@dataclass(frozen=True)
class RemindersSent:
    citizens: int = 0
    staff: int = 0


def information_block_reminders_send(*, today: datetime.date | None = None) -> RemindersSent:
    """Remind the citizen and the Bürgerbüro, once each, three months before an Auskunftssperre ends that an
    extension needs fresh evidence. Idempotent: a reminder is marked sent in the transaction that queues it."""
    today = today or timezone.localdate()
    citizens = staff = 0
    due = InformationBlock.objects.filter(remind_on__lte=today, until__gte=today).filter(
        Q(citizen_reminded_at__isnull=True) | Q(staff_reminded_at__isnull=True)
    )
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            block = InformationBlock.objects.select_for_update().get(pk=pk)
            case = (
                Case.objects.select_related("submission", "department").filter(pk=block.case_id).first()
                if block.case_id
                else None
            )
            sealed = {"reference": block.reference, "until": block.until.isoformat()}
            now = timezone.now()
            if block.citizen_reminded_at is None:
                if block.email:
                    notification_queue(
                        kind=NotificationKind.BLOCK_REMINDER,
                        to=block.email,
                        language=language_or_default(block.language),
                        occasion_of=block.uuid,
                        case=case,
                        submission=case.submission if case is not None else None,
                        sealed=sealed,
                    )
                    citizens += 1
                block.citizen_reminded_at = now
            if block.staff_reminded_at is None:
                department = case.department if case is not None else _information_block_department()
                if department is not None and department.email:
                    notification_queue(
                        kind=NotificationKind.BLOCK_REMINDER_STAFF,
                        to=department.email,
                        language=settings.LANGUAGE_CODE,
                        occasion_of=block.uuid,
                        case=case,
                        sealed=sealed,
                    )
                if case is not None:
                    with translation.override(settings.LANGUAGE_CODE):
                        text = _(
                            "The information block ends on %(date)s. The citizen was reminded that an extension "
                            "needs fresh evidence."
                        ) % {"date": formats.date_format(block.until, "DATE_FORMAT")}
                    CaseEvent.objects.create(case=case, kind=EventKind.NOTE, text=text)
                staff += 1
                block.staff_reminded_at = now
            block.save(update_fields=["citizen_reminded_at", "staff_reminded_at"])
    return RemindersSent(citizens=citizens, staff=staff)


def _information_block_department() -> Any:
    service = Service.objects.select_related("department").filter(slug=INFORMATION_BLOCK_SERVICE).first()
    return service.department if service is not None else None


def residents_records_prune(*, now: datetime.datetime | None = None) -> dict[str, int]:
    """Delete what the Bürgerbüro's services keep once it is no longer needed: changes of blockings after the
    audit's days, matches of drafts never sent, wedding objections never confirmed, reminded blocks that ended."""
    now = now or timezone.now()
    audit_cutoff = now - datetime.timedelta(days=settings.RESIDENTS_REGISTER["audit_days"])
    draft_cutoff = now - datetime.timedelta(days=settings.DRAFT_RETENTION_DAYS)
    return {
        "block_changes_deleted": BlockChange.objects.filter(at__lt=audit_cutoff).delete()[0],
        "register_subjects_deleted": RegisterSubject.objects.filter(
            submission__isnull=True, created_at__lt=draft_cutoff
        ).delete()[0],
        "wedding_objections_deleted": WeddingObjection.objects.filter(expires_at__lt=now).delete()[0],
        "information_blocks_deleted": InformationBlock.objects.filter(
            until__lt=timezone.localdate(now) - datetime.timedelta(days=30)
        ).delete()[0],
    }


# --- Abmeldung einer Nebenwohnung (§ 17(2) BMG) ----------------------------------------------------------

# The form's fields (forms/nebenwohnung-abmelden.yaml) that the register is asked about and written with.
SECONDARY_ADDRESS = "secondary_address"
MOVED_OUT_ON = "moved_out_on"


def answer_address(value: Any) -> Address | None:
    """An address answer of a form (``street``, ``number``, ``postcode``, ``town``) as the register's, or None."""
    return _form_address(value)


def address_line(address: Address) -> str:
    """An address on one line, as the pages show it: "Wilhelmshöher Allee 19, 34117 Kassel"."""
    return _display_address(address.as_dict())


def _address_key(address: Address) -> tuple[str, ...]:
    """An address as the register compares it: Unicode-normalised, case-folded, single spaces per part."""
    return tuple(
        " ".join(unicodedata.normalize("NFC", part).casefold().split())
        for part in (address.street, address.house_number, address.postcode, address.town)
    )


def secondary_residences_read(
    *, person_id: str, purpose: str, actor: Any = None, account: Any = None, case_reference: str = ""
) -> list[Address]:
    """The secondary residences the register stores for the person (DSMeld 1202), read and audited."""
    record = register_read(
        person_id=person_id,
        items=[fields.SECONDARY_ADDRESSES],
        purpose=purpose,
        actor=actor,
        account=account,
        case_reference=case_reference,
    )
    entries = record.get(fields.SECONDARY_ADDRESSES) or []
    return [Address.from_dict(entry) for entry in entries if isinstance(entry, dict)]


def secondary_residence_held(*, address: Address, residences: Iterable[Address]) -> bool:
    """Whether ``address`` is one of ``residences``, compared as the register compares addresses."""
    wanted = _address_key(address)
    return any(_address_key(held) == wanted for held in residences)


def secondary_residence_registered(*, person_id: str, address: Address, purpose: str, account: Any = None) -> bool:
    """Whether the register holds ``address`` as one of the person's secondary residences (an audited read).

    A register that cannot be reached is a ``ResidentsError`` (503): the citizen's draft stays as it is.
    """
    try:
        residences = secondary_residences_read(person_id=person_id, purpose=purpose, account=account)
    except RegisterUnavailable as error:
        logger.warning("residents' register unavailable: %s", error)
        raise register_unavailable_error() from error
    return secondary_residence_held(address=address, residences=residences)


def secondary_residence_not_registered_message() -> str:
    """The field error for a secondary address the register does not hold for the citizen, with what to do."""
    return gettext(
        "No secondary residence in %(city)s is registered for you at this address. Enter the address as it is on "
        "your registration certificate. If it is right, please come to the residents' office with your ID."
    ) % {"city": settings.PORTAL["city"]}


def secondary_residence_end_approve(*, case: Any, actor: Any) -> None:
    """Write the approved move-out to the register: the secondary residence of the application ends on the day
    the citizen gave (``register_secondary_residence_end``).

    Runs as the case moves to "completed" (``cases.hooks.on_status``), inside that transaction: if the register
    cannot be reached or refuses, ``CaseError`` keeps the case where it was and tells staff why. Writing the
    same move-out again is no error (the interface's promise), so an approval that failed after the write can
    be made again. An application sent before the portal checked the register (no eID, no match recorded) is
    completed without a write, with a note that the move-out is to be entered in the register software.
    """
    submission = case.submission
    subject = RegisterSubject.objects.filter(submission_id=case.submission_id).first()
    if subject is None:
        if submission.trust_level != TrustLevel.HIGH:
            with translation.override(settings.LANGUAGE_CODE):
                text = gettext(
                    "This application was sent before the portal checked the register of residents, so the "
                    "move-out was not written from here. Enter it in the register software."
                )
            CaseEvent.objects.create(case=case, kind=EventKind.NOTE, actor=actor, text=text)
            return
        raise CaseError(
            _(
                "This application has no match in the register of residents, so the move-out cannot be written "
                "from here. Enter it in the register software."
            )
        )
    address = answer_address(submission.answers.get(SECONDARY_ADDRESS))
    moved_out_on = parse_iso_date(submission.answers.get(MOVED_OUT_ON))
    if address is None or moved_out_on is None:
        raise CaseError(_("The application has no address or move-out date to write to the register of residents."))
    try:
        register_secondary_residence_end(person_id=subject.person_id, address=address, moved_out_on=moved_out_on)
    except RegisterUnavailable as error:
        logger.warning("residents' register unavailable for the move-out of %s: %s", case.reference, error)
        raise CaseError(
            _(
                "The register of residents cannot be reached, so the move-out was not written. The case was not "
                "completed. Please try again later."
            )
        ) from error
    except RegisterRefused as error:
        logger.warning("residents' register refused the move-out of %s: %s", case.reference, error)
        raise CaseError(
            _(
                "The register of residents refused the move-out: it does not hold this secondary residence for "
                "the person (any more). The case was not completed. The register's section on this page shows what it "
                "holds."
            )
        ) from error
    with translation.override(settings.LANGUAGE_CODE):
        text = gettext("Move-out from the secondary residence %(address)s on %(date)s written to the register.") % {
            "address": address_line(address),
            "date": formats.date_format(moved_out_on, "DATE_FORMAT"),
        }
    CaseEvent.objects.create(case=case, kind=EventKind.NOTE, actor=actor, text=text)


# --- Melderegisterauskunft (§§ 44, 45 BMG) ------------------------------------------------------------

INFORMATION_SERVICE = "melderegisterauskunft"
# § 44(1) BMG: a simple information gives the names, the doctorate, the current addresses and, if the
# person has died, that fact.
INFORMATION_SIMPLE = (
    fields.FAMILY_NAME,
    fields.GIVEN_NAMES,
    fields.DOCTORATE,
    fields.MAIN_ADDRESS,
    fields.SECONDARY_ADDRESSES,
    fields.DEATH_DATE,
)
# § 45(1) BMG: the further items an extended request may ask for, each with its own legitimate interest.
INFORMATION_EXTENDED = {
    "birth": (fields.BIRTH_DATE, fields.BIRTH_PLACE),
    "nationalities": (fields.NATIONALITIES,),
    "representatives": (fields.LEGAL_REPRESENTATIVES,),
    "moved_in": (fields.MOVED_IN_ON,),
}
# A hearing case (§ 51(3) BMG) carries the register's id of the person to be heard in its answers.
HEARING_PERSON = "register_person_id"
HEARING_REQUEST = "request_reference"


# What the requester asked for beyond the simple information, as staff read it on the case page.
INFORMATION_EXTENDED_LABELS = {
    "birth": gettext_lazy("Date and place of birth"),
    "nationalities": gettext_lazy("Nationalities"),
    "representatives": gettext_lazy("Legal representatives"),
    "moved_in": gettext_lazy("Date of moving in"),
}


class InformationOutcome(enum.StrEnum):
    FOUND = "found"
    NONE = "none"  # nobody, or several persons: the request does not identify one person
    BLOCKED = "blocked"  # an Auskunftssperre: answered as NONE, and the person is heard
    CLOSED = "closed"  # answered (or closed) before: nothing was done
    REFUSED = "refused"  # staff refused the extended information: nothing was searched


def information_no_answer_text() -> str:
    """The one answer for nobody found, several found and a blocked person (§ 51(1) BMG): the requester must
    not learn which it was."""
    return gettext(
        "We cannot give you any information about the person you asked about. The fee is still due, because "
        "we have searched the register of residents."
    )


def _form_address(value: Any) -> Address | None:
    if not isinstance(value, dict) or not value.get("street"):
        return None
    return Address(
        street=str(value.get("street", "")),
        house_number=str(value.get("number", "")),
        postcode=str(value.get("postcode", "")),
        town=str(value.get("town", "")),
    )


def information_query(*, answers: dict[str, Any]) -> PersonQuery:
    """The register query for a request's answers (the form ensures the items needed for a unique match)."""
    name = answers.get("sought_name") or {}
    birth_date = None
    if answers.get("sought_birth_date"):
        try:
            birth_date = datetime.date.fromisoformat(str(answers["sought_birth_date"]))
        except ValueError:
            birth_date = None
    return PersonQuery(
        family_name=str(name.get("family_name", "")),
        given_names=str(name.get("given_names", "")),
        birth_date=birth_date,
        address=_form_address(answers.get("sought_address")),
        former_address=_form_address(answers.get("sought_former_address")),
    )


def _blocked(record: RegisterRecord) -> bool:
    today = timezone.localdate()
    for block in record.get(fields.BLOCKS) or []:
        if not isinstance(block, dict) or block.get("kind") != fields.INFORMATION_BLOCK:
            continue
        until = block.get("until")
        if until is None:
            return True
        try:
            if datetime.date.fromisoformat(str(until)) >= today:
                return True
        except ValueError:
            return True  # a blocking we cannot read counts as in force
    return False


def _display_address(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    street = " ".join(filter(None, [str(value.get("street", "")), str(value.get("house_number", ""))]))
    town = " ".join(filter(None, [str(value.get("postcode", "")), str(value.get("town", ""))]))
    return ", ".join(filter(None, [street, town]))


def _display_value(number: str, value: Any) -> str:
    if number in (fields.MAIN_ADDRESS,):
        return _display_address(value)
    if number == fields.SECONDARY_ADDRESSES:
        return "; ".join(_display_address(address) for address in value or [])
    if number == fields.LEGAL_REPRESENTATIVES:
        return "; ".join(str(item.get("name", "")) if isinstance(item, dict) else str(item) for item in value or [])
    if isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if number in (fields.BIRTH_DATE, fields.MOVED_IN_ON, fields.DEATH_DATE):
        try:
            return date_format(datetime.date.fromisoformat(str(value)), "DATE_FORMAT")
        except ValueError:
            return str(value)
    return str(value)


def information_answer_text(*, record: RegisterRecord, items: Iterable[str]) -> str:
    """The answer of a request that found one person: each item the register holds, by its label."""
    lines = [gettext("Information from the register of residents about the person you asked about:"), ""]
    for number in items:
        value = record.get(number)
        if value in (None, "", []):
            continue
        if number == fields.DEATH_DATE:
            lines.append(gettext("The person has died."))
            continue
        lines.append(f"{fields.LABELS[number]}: {_display_value(number, value)}")
    return "\n".join(lines)


def _hearing_open(*, request_case: Any, person_id: str) -> Any:
    """A case for the Bürgerbüro to hear a blocked person about a request (§ 51(3) BMG), with no email."""
    from amtsweg.applications import references
    from amtsweg.applications.models import Submission
    from amtsweg.cases.services import case_note_add, case_open

    request = request_case.submission
    name = request.answers.get("sought_name") or {}
    person = " ".join(filter(None, [str(name.get("given_names", "")), str(name.get("family_name", ""))]))
    submission = Submission.objects.create(
        reference=references.reference_allocate(year=timezone.localdate().year),
        access_code_hash=references.access_code_hash(references.access_code_new()),
        service=request.service,
        form_version=request.form_version,
        definition=request.definition,
        answers={**request.answers, HEARING_PERSON: person_id, HEARING_REQUEST: request.reference},
        language=settings.LANGUAGE_CODE,
        email="",
        applicant_name=gettext("Hearing: %(person)s") % {"person": person},
        trust_level=TrustLevel.NONE,
    )
    case = case_open(submission=submission)
    case_note_add(
        case=case,
        actor=None,
        text=gettext(
            "The person %(person_id)s in the register has an information block. Request %(reference)s asked "
            "about them and was told that no information can be given. Hear the person (section 51(3) BMG) "
            "before any information is given."
        )
        % {"person_id": person_id, "reference": request.reference},
    )
    return case


def _information_close(*, case: Any, text: str, actor: Any) -> None:
    """Complete the case with the answer: one email to the requester that carries it (with the status page's
    link), not a message, a new state and a completion. The passing "in progress" sends nothing: its email
    is superseded by the completion's before it goes out (``notifications``)."""
    from amtsweg.cases.constants import CaseStatus
    from amtsweg.cases.services import case_transition

    if case.status == CaseStatus.RECEIVED:
        case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=actor, message=text)


def _information_finding(*, found: Sequence[str], outcome: InformationOutcome) -> str:
    if not found:
        return RegisterFinding.NOT_FOUND
    if len(found) > 1:
        return RegisterFinding.AMBIGUOUS
    return RegisterFinding.BLOCKED if outcome == InformationOutcome.BLOCKED else RegisterFinding.FOUND


def information_request_answer(
    *, case: Any, extended_items: Iterable[str] = (), actor: Any = None
) -> InformationOutcome:
    """Answer a paid Melderegisterauskunft: search the register, read what may be given, and tell the
    requester on the status page and by email; close the case.

    A simple request is answered so, automatically, once it is paid (``information_answer_task``); an
    extended one when staff approve ``extended_items`` (keys of ``INFORMATION_EXTENDED``). No match, several
    matches and a blocked person get the same answer; a blocked person's case for a hearing is opened.
    Every read is audited, naming the service and the request's reference. What the register said is
    recorded for the inbox (``register_finding_record``). A closed case is left alone (``CLOSED``), also
    when it was closed while the register was being asked. ``RegisterUnavailable`` from the register is
    raised: nothing was sent.
    """
    from amtsweg.cases.constants import CLOSED_STATUSES

    if case.status in CLOSED_STATUSES:
        return InformationOutcome.CLOSED
    submission = case.submission
    with translation.override(submission.language or settings.LANGUAGE_CODE):
        purpose = f"Melderegisterauskunft {case.reference}"
        found = register_plugin().person_search(query=information_query(answers=submission.answers))
        outcome = InformationOutcome.NONE
        record = None
        items: tuple[str, ...] = INFORMATION_SIMPLE
        for key in extended_items:
            items += INFORMATION_EXTENDED.get(key, ())
        if len(found) == 1:
            blocks = register_read(
                person_id=found[0],
                items=(fields.BLOCKS,),
                purpose=f"{purpose}: blockings",
                actor=actor,
                account=submission.account,
                case_reference=case.reference,
            )
            if _blocked(blocks):
                outcome = InformationOutcome.BLOCKED
            else:
                record = register_read(
                    person_id=found[0],
                    items=items,
                    purpose=purpose,
                    actor=actor,
                    account=submission.account,
                    case_reference=case.reference,
                )
                outcome = InformationOutcome.FOUND
        text = (
            information_answer_text(record=record, items=items) if record is not None else information_no_answer_text()
        )
        with transaction.atomic():
            # The case row locked: a second answer (the task and staff at once, a double submit) sends nothing.
            case = Case.objects.select_for_update(of=("self",)).select_related("service", "submission").get(pk=case.pk)
            if case.status in CLOSED_STATUSES:
                return InformationOutcome.CLOSED
            if outcome == InformationOutcome.BLOCKED:
                hearing = _hearing_open(request_case=case, person_id=found[0])
                register_finding_record(
                    submission=hearing.submission, person_id=found[0], finding=RegisterFinding.BLOCKED
                )
            _information_close(case=case, text=text, actor=actor)
            register_finding_record(
                submission=submission,
                person_id=found[0] if len(found) == 1 else "",
                finding=_information_finding(found=found, outcome=outcome),
            )
    return outcome


def information_requested_items(*, case: Any) -> list[tuple[str, str, str]]:
    """The extended items a request asks for, in the form's order: (key, label, the interest the requester
    stated for it)."""
    answers = case.submission.answers or {}
    if answers.get("kind") != "extended":
        return []
    wanted = answers.get("extended_items") or []
    return [
        (key, str(label), str(answers.get(f"interest_{key}") or ""))
        for key, label in INFORMATION_EXTENDED_LABELS.items()
        if key in wanted
    ]


def _staff_unavailable_error() -> CaseError:
    return CaseError(
        _(
            "The register of residents cannot be reached at the moment. Nothing was sent to the requester. "
            "Please try again later."
        )
    )


def information_request_approve(*, case: Any, items: Iterable[str], actor: Any) -> InformationOutcome:
    """Staff answer a request now: an extended one with the ``items`` they approve (keys the requester asked
    for; none gives the simple information only), a simple one as the task would have. The register's
    reads are audited with the staff member and the reference. A case already closed is left alone
    (``CLOSED``); a register that cannot be reached is a ``CaseError`` (nothing was sent)."""
    approved = list(dict.fromkeys(items))
    requested = {key for key, _label, _interest in information_requested_items(case=case)}
    if not set(approved) <= requested:
        raise CaseError(_("Choose only items that the requester asked for."))
    try:
        return information_request_answer(case=case, extended_items=approved, actor=actor)
    except RegisterUnavailable as error:
        logger.warning("residents' register unavailable for %s: %s", case.reference, error)
        raise _staff_unavailable_error() from error


def information_refused_text(*, reason: str) -> str:
    """What the requester reads when staff refuse an extended request: no information, and why."""
    return "\n\n".join([gettext("We cannot give you the information you asked for about the person."), reason.strip()])


def information_request_refuse(*, case: Any, reason: str, actor: Any) -> InformationOutcome:
    """Staff refuse an extended request as a whole (the legitimate interest was not made credible): nothing
    is searched or read; the case is rejected with the reason, which the requester reads (one email). A case
    already closed is left alone (``CLOSED``)."""
    from amtsweg.cases.constants import CLOSED_STATUSES, CaseStatus
    from amtsweg.cases.services import case_transition

    if not reason.strip():
        raise CaseError(_("Enter the reason for refusing the information. The requester will see it."))
    with transaction.atomic():
        case = Case.objects.select_for_update(of=("self",)).select_related("service", "submission").get(pk=case.pk)
        if case.status in CLOSED_STATUSES:
            return InformationOutcome.CLOSED
        with translation.override(case.submission.language or settings.LANGUAGE_CODE):
            text = information_refused_text(reason=reason)
        case_transition(case=case, to_status=CaseStatus.REJECTED, actor=actor, reason=text)
    return InformationOutcome.REFUSED


def information_answer_unavailable(*, case: Any, attempts: int) -> None:
    """A simple request the register could not answer after every attempt waits for staff: the inbox shows
    "Register: not reachable — please answer", and an internal note says what to do."""
    from amtsweg.cases.services import case_note_add

    with transaction.atomic():
        register_finding_record(submission=case.submission, person_id="", finding=RegisterFinding.UNAVAILABLE)
        with translation.override(settings.LANGUAGE_CODE):
            text = gettext(
                "The register of residents could not be reached after %(attempts)d attempts, so the request "
                "has not been answered. Answer it with the button on this page once the register is back."
            ) % {"attempts": attempts}
        case_note_add(case=case, actor=None, text=text)


def information_is_request(*, case: Any) -> bool:
    """A requester's Melderegisterauskunft (not the hearing case a blocked person's request opens)."""
    return case.service.slug == INFORMATION_SERVICE and HEARING_PERSON not in (case.submission.answers or {})


# --- the Meldebescheinigung (§ 18 BMG) ----------------------------------------------------------------


def _unavailable() -> ResidentsError:
    return ResidentsError(
        gettext("The register of residents cannot be reached at the moment. Please try again later."), status=503
    )


@dataclass(frozen=True)
class HouseholdPerson:
    """A person the citizen may ask a document for: themselves or a minor they represent."""

    person_id: str
    name: str
    birth_date: str
    relation: str  # "self" or "child"


def household_persons(
    *, identity: Identity | None, account: Any, purpose: str
) -> tuple[SelfLookupResult, list[HouseholdPerson]]:
    """The citizen's self-lookup (BMeldDigiV § 4) and, if found, the persons they may ask a document for, by
    the register: themselves and the minors they represent.

    Reads the name and birth date of each (audited with ``purpose``), so that the citizen can choose.
    """
    try:
        lookup = register_self_lookup(identity=identity)
        if lookup.outcome != SelfLookup.FOUND:
            return lookup, []
        ids = [lookup.person_id, *register_represented(person_id=lookup.person_id)]
        persons = []
        for person_id in ids:
            record = register_read(
                person_id=person_id,
                items=(fields.GIVEN_NAMES, fields.FAMILY_NAME, fields.BIRTH_DATE),
                purpose=purpose,
                account=account,
            )
            name = " ".join(filter(None, [record.get(fields.GIVEN_NAMES), record.get(fields.FAMILY_NAME)]))
            persons.append(
                HouseholdPerson(
                    person_id=person_id,
                    name=str(name),
                    birth_date=str(record.get(fields.BIRTH_DATE, "")),
                    relation="self" if person_id == lookup.person_id else "child",
                )
            )
    except RegisterUnavailable as error:
        logger.warning("the residents' register is unavailable: %s", error)
        raise _unavailable() from error
    return lookup, persons


def household_person_check(*, identity: Identity | None, person_id: str, refusal: str) -> str:
    """Refuse, with a ResidentsError saying ``refusal``, unless ``person_id`` is the logged-in citizen or a minor
    they represent, as the register says now (the answers of a draft may be older than a change in the
    register). Returns the citizen's own key in the register."""
    try:
        lookup = register_self_lookup(identity=identity)
        allowed = [lookup.person_id, *register_represented(person_id=lookup.person_id)] if lookup.person_id else []
    except RegisterUnavailable as error:
        logger.warning("the residents' register is unavailable: %s", error)
        raise _unavailable() from error
    if lookup.outcome != SelfLookup.FOUND or not person_id or person_id not in allowed:
        raise ResidentsError(refusal, status=403)
    return lookup.person_id


def meldebescheinigung_refusal() -> str:
    return gettext("We cannot issue a registration certificate for this person online.")


def document_number(*, prefix: str) -> str:
    """The next document number of the year with ``prefix`` (MB-2026-000123-4), in a transaction of its own: a
    failed issue leaves a gap, never holds the counter while the document is made."""
    year = timezone.localdate().year
    with transaction.atomic():
        return reference_format(prefix=prefix, year=year, number=counter_next(prefix=prefix, year=year))


def document_issuer(*, service: Any) -> tuple[str, list[str]]:
    """Who issues a document of ``service``: the authority's name and the address lines printed in its head."""
    department = service.department
    location = getattr(department, "main_location", None)
    lines = [department.name]
    if location is not None:
        lines += [location.street, " ".join(filter(None, [location.postcode, location.city]))]
    return f"Stadt {settings.PORTAL['city']}, {department.name}", [line for line in lines if line]


def meldebescheinigung_issue(
    *, identity: Identity | None, account: Any, person_id: str, kind: str, issuer: str, issuer_lines: Sequence[str]
) -> IssuedDocument:
    """Issue an electronic Meldebescheinigung at once: sealed PDF and § 18a record, from the register only.

    The citizen must still be found by the self-lookup, and ``person_id`` must be themselves or a minor
    they represent (as the register says now). The read is audited with the document's number. Free of
    charge (§ 18(3) BMG); the document's record (``documents.SealedDocument``) is the record of the issue, and
    it counts as one completed online use in the anonymous statistics, in the same transaction.
    """
    from amtsweg.documents.seal import SealUnavailable, seal_available
    from amtsweg.documents.services import sealed_document_check_url, sealed_document_issue

    from . import meldebescheinigung as certificate

    if kind not in certificate.KINDS:
        raise ResidentsError(gettext("Choose which registration certificate you need."))
    if not seal_available():
        raise ResidentsError(
            gettext(
                "The electronic registration certificate is not available at the moment. You can order it on "
                "paper, or get it at the counter."
            ),
            status=503,
        )
    household_person_check(identity=identity, person_id=person_id, refusal=meldebescheinigung_refusal())
    try:
        number = document_number(prefix=settings.MELDEBESCHEINIGUNG["number_prefix"])
        read_at = timezone.now()
        record = register_read(
            person_id=person_id,
            items=certificate.ITEMS[kind],
            purpose=f"Meldebescheinigung ({'erweitert' if kind == certificate.EXTENDED else 'einfach'}, elektronisch)",
            account=account,
            case_reference=number,
        )
    except RegisterUnavailable as error:
        logger.warning("the residents' register is unavailable: %s", error)
        raise _unavailable() from error
    rows = certificate.rows(record=record, kind=kind)
    try:
        with transaction.atomic():
            issued = sealed_document_issue(
                number=number,
                title=certificate.title(kind),
                issuer=issuer,
                render_pdf=lambda document: certificate.pdf(
                    document=document, rows_=rows, kind=kind, issuer_lines=issuer_lines, read_at=read_at
                ),
                render_data=lambda document: certificate.record_json(
                    record=record,
                    kind=kind,
                    number=number,
                    issuer=issuer,
                    read_at=read_at,
                    check_url=sealed_document_check_url(document=document),
                ),
                check_days=settings.MELDEBESCHEINIGUNG["check_days"],
                seal_reason=f"{certificate.title(kind)} {number}",
                seal_location=settings.PORTAL["city"],
            )
            # An issue without a case counts as one completed online use, as a case does when it closes.
            _online_use_count(service_slug=MELDEBESCHEINIGUNG_SERVICE)
        return issued
    except SealUnavailable as error:
        logger.error("the seal is not usable: %s", error)
        raise ResidentsError(
            gettext(
                "The electronic registration certificate is not available at the moment. You can order it on "
                "paper, or get it at the counter."
            ),
            status=503,
        ) from error


# --- the Untersuchungsberechtigungsschein (§§ 32–35 JArbSchG) ----------------------------------------------


def youth_examination_refusal() -> str:
    return gettext("We cannot issue an examination voucher for this person online.")


def youth_examination_issue(
    *,
    person_id: str,
    kind: str,
    employer: str,
    service: Any,
    identity: Identity | None = None,
    account: Any = None,
    actor: Any = None,
    case_reference: str = "",
) -> IssuedDocument:
    """Issue an Untersuchungsberechtigungsschein: the sealed voucher, from the register only, free.

    A citizen (``identity``, ``account``) gets a first examination's voucher at once, for themselves or a
    minor they represent, as the register says now. Staff (``actor``) issue a follow-up's voucher when they
    complete its case (``case_reference``), after checking the evidence. Either way the person must be 14 to
    17 today, and the read is audited with the document's number and the case's reference. A voucher issued at
    once counts as one completed online use in the anonymous statistics (a case's is counted with the case).
    """
    from amtsweg.documents.seal import SealUnavailable, seal_available
    from amtsweg.documents.services import sealed_document_issue

    from . import youth_examination as voucher

    unavailable = gettext(
        "The examination voucher cannot be issued online at the moment. Please try again later, or get it "
        "at the counter."
    )
    if kind not in voucher.KINDS:
        raise ResidentsError(gettext("Select which examination is due."))
    if not seal_available():
        raise ResidentsError(unavailable, status=503)
    if actor is None:
        household_person_check(identity=identity, person_id=person_id, refusal=youth_examination_refusal())
    settings_ = settings.YOUTH_EXAMINATION
    try:
        number = document_number(prefix=settings_["number_prefix"])
        record = register_read(
            person_id=person_id,
            items=voucher.ITEMS,
            purpose=f"Untersuchungsberechtigungsschein {number} ({voucher.KINDS[kind][0]})",
            actor=actor,
            account=account,
            case_reference=case_reference or number,
        )
    except RegisterUnavailable as error:
        logger.warning("the residents' register is unavailable: %s", error)
        raise _unavailable() from error
    if not voucher.eligible(birth_date=str(record.get(fields.BIRTH_DATE, "")), on=dates.today()):
        raise ResidentsError(
            gettext("The voucher is for young people from 14 to 17 years of age. This person is not of that age."),
            status=403,
        )
    rows = voucher.rows(record=record, kind=kind, employer=employer)
    issuer, lines = document_issuer(service=service)
    try:
        with transaction.atomic():
            issued = sealed_document_issue(
                number=number,
                title=voucher.TITLE,
                issuer=issuer,
                render_pdf=lambda document: voucher.pdf(document=document, rows_=rows, issuer_lines=lines),
                check_days=settings_["check_days"],
                seal_reason=f"{voucher.TITLE} {number}",
                seal_location=settings.PORTAL["city"],
            )
            if not case_reference:  # issued at once, without a case: count it as one completed online use
                _online_use_count(service_slug=YOUTH_EXAMINATION_SERVICE)
        return issued
    except SealUnavailable as error:
        logger.error("the seal is not usable: %s", error)
        raise ResidentsError(unavailable, status=503) from error


def youth_examination_case_issue(*, case: Any, actor: Any) -> None:
    """Issue the voucher of a follow-up examination's case as staff complete it, after checking its evidence:
    the sealed voucher and the questionnaire go to the citizen as a message (status page and email).

    Runs as the case moves to "completed" (``cases.hooks.on_status``), inside that transaction: if the
    register or the seal is not available, or the young person is no longer of age, the case stays where it
    was and staff see why.
    """
    from django.core.files.uploadedfile import SimpleUploadedFile

    from amtsweg.cases.services import case_message_send

    from . import youth_examination as voucher

    answers = case.submission.answers or {}
    person = answers.get("person")
    if not isinstance(person, dict):
        person = {}
    try:
        issued = youth_examination_issue(
            person_id=str(person.get("ref", "")),
            kind=str(answers.get("kind", "")),
            employer=str(answers.get("employer") or ""),
            service=case.service,
            actor=actor,
            case_reference=case.reference,
        )
    except ResidentsError as error:
        raise CaseError(
            _("The voucher could not be issued, so the case was not completed: %(reason)s") % {"reason": error.message}
        ) from error
    with translation.override(case.submission.language or settings.LANGUAGE_CODE):
        text = gettext(
            "Your examination voucher (%(number)s) is ready. Download it below with the questionnaire for the "
            "doctor, make an appointment with a doctor of your choice and bring both. The examination is free "
            "of charge."
        ) % {"number": issued.document.number}
    files = [
        SimpleUploadedFile(f"{issued.document.number}.pdf", issued.pdf, content_type="application/pdf"),
        SimpleUploadedFile("erhebungsbogen.pdf", voucher.questionnaire_pdf(), content_type="application/pdf"),
    ]
    case_message_send(case=case, actor=actor, text=text, files=files)


# --- the Meldebescheinigung on paper: printed, signed and posted by the Bürgerbüro --------------------------

PAPER_COPIES_MOST = 5  # the form's limit (forms/meldebescheinigung.yaml)


@dataclass(frozen=True)
class PaperOrder:
    """A Meldebescheinigung ordered on paper: for whom, which, how many copies, and to whom it is posted."""

    person_id: str  # the register's key of the person the certificate is for
    kind: str  # meldebescheinigung.SIMPLE or EXTENDED
    copies: int
    orderer_id: str  # the register's key of the person who ordered it: it is posted to their main address


def meldebescheinigung_paper_order(*, case: Any) -> PaperOrder | None:
    """The paper order behind ``case``, or None when the case is none (another service, an electronic or a
    malformed order).

    The person who ordered is whom the register matched when the order was sent (``RegisterSubject``); an order
    sent before that was recorded is posted to the person the certificate is for.
    """
    from . import meldebescheinigung as certificate

    if case.service.slug != MELDEBESCHEINIGUNG_SERVICE:
        return None
    answers = case.submission.answers or {}
    person = answers.get("person")
    kind = answers.get("kind")
    if answers.get("format") != "paper" or not isinstance(person, dict) or not person.get("ref"):
        return None
    if kind not in certificate.KINDS:
        return None
    try:
        copies = min(max(int(answers.get("copies") or 1), 1), PAPER_COPIES_MOST)
    except (TypeError, ValueError):
        copies = 1
    subject = RegisterSubject.objects.filter(submission_id=case.submission_id).first()
    person_id = str(person["ref"])
    return PaperOrder(
        person_id=person_id,
        kind=str(kind),
        copies=copies,
        orderer_id=subject.person_id if subject is not None else person_id,
    )


@dataclass(frozen=True)
class PaperCertificate:
    number: str
    pdf: bytes


def meldebescheinigung_print(*, case: Any, actor: Any, issuer_lines: Sequence[str]) -> PaperCertificate:
    """Print the Meldebescheinigung of a paper order for the Bürgerbüro to sign, stamp and post: one PDF with
    each copy ordered, numbered like the electronic ones, from the register as it is now.

    Reads the certificate's items of the person and the postal address of the person who ordered it, both
    audited with the staff member and the case's reference; records the print in the case's audit log and as
    a note in its history. A closed case is not printed. A refusal (closed case, register unreachable, person
    unknown, no main address) is a ``CaseError``, which staff see on the case page.
    """
    from amtsweg.cases.constants import CLOSED_STATUSES, AuditAction
    from amtsweg.cases.services import audit_record

    from . import meldebescheinigung as certificate

    order = meldebescheinigung_paper_order(case=case)
    if order is None:
        raise CaseError(_("This case is not an order of a registration certificate on paper."))
    if case.status in CLOSED_STATUSES:
        raise CaseError(_("This case is closed, so its registration certificate is no longer printed."))
    number = document_number(prefix=settings.MELDEBESCHEINIGUNG["number_prefix"])
    kind_label = "erweitert" if order.kind == certificate.EXTENDED else "einfach"
    read_at = timezone.now()
    try:
        record = register_read(
            person_id=order.person_id,
            items=certificate.ITEMS[order.kind],
            purpose=f"Meldebescheinigung {number} ({kind_label}, Papier)",
            actor=actor,
            case_reference=case.reference,
        )
        recipient = record
        if order.orderer_id != order.person_id:
            recipient = register_read(
                person_id=order.orderer_id,
                items=certificate.RECIPIENT_ITEMS,
                purpose=f"Meldebescheinigung {number}: Versandanschrift",
                actor=actor,
                case_reference=case.reference,
            )
    except RegisterUnavailable as error:
        logger.warning("the residents' register is unavailable: %s", error)
        raise CaseError(
            _(
                "The register of residents cannot be reached at the moment, so the registration certificate "
                "cannot be printed. Please try again later."
            ),
            status=503,
        ) from error
    except RegisterRefused as error:
        logger.warning("the residents' register refused the read for %s: %s", case.reference, error)
        raise CaseError(
            _(
                "The register of residents no longer knows the person of this order. Check the order in the "
                "register software."
            )
        ) from error
    recipient_lines = certificate.recipient_lines(record=recipient)
    if not recipient_lines:
        raise CaseError(
            _(
                "The register of residents has no main address for the person who ordered the certificate, so it "
                "cannot be posted. Check the order in the register software."
            )
        )
    data = certificate.paper_pdf(
        number=number,
        rows_=certificate.rows(record=record, kind=order.kind),
        kind=order.kind,
        issuer_lines=issuer_lines,
        read_at=read_at,
        copies=order.copies,
        recipient_lines=recipient_lines,
    )
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.PRINT_DOCUMENT,
            case=case,
            detail=f"Meldebescheinigung {number} ({kind_label}, {order.copies} Exemplar(e))",
        )
        with translation.override(settings.LANGUAGE_CODE):
            text = ngettext(
                "Registration certificate %(number)s printed (%(copies)d copy), to be signed and posted.",
                "Registration certificate %(number)s printed (%(copies)d copies), to be signed and posted.",
                order.copies,
            ) % {"number": number, "copies": order.copies}
        CaseEvent.objects.create(case=case, kind=EventKind.NOTE, actor=actor, text=text)
    return PaperCertificate(number=number, pdf=data)
