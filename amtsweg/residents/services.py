"""The Bürgerbüro's use of the residents' register: every call goes through here.

``register_self_lookup`` applies BMeldDigiV § 4 before a citizen reads about themselves: the eID at
level "hoch", a main address in the city, and an exact match of name, birth date and main address.
``register_read`` reads only the items asked for and audits the read (``RegisterRead``).
"""

from __future__ import annotations

import datetime
import enum
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from amtsweg.catalogue.constants import TrustLevel
from amtsweg.catalogue.selectors import address_in_city
from amtsweg.identity.base import Identity
from amtsweg.identity.constants import level_satisfies

from .models import RegisterRead
from .register import fields
from .register.base import Address, Block, PersonQuery, RegisterRecord, ResidentsRegister
from .register.registry import registry

logger = logging.getLogger(__name__)


def register_plugin() -> ResidentsRegister:
    """The configured register (``RESIDENTS_REGISTER_PROVIDER``)."""
    return registry.get(settings.RESIDENTS_REGISTER["provider"])


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


def register_self_lookup(*, identity: Identity | None) -> SelfLookupResult:
    """Who the logged-in citizen is in the register, under BMeldDigiV § 4; nothing is read yet."""
    if identity is None or not level_satisfies(identity.trust_level, TrustLevel.HIGH):
        return SelfLookupResult(SelfLookup.LEVEL_TOO_LOW)
    address = _identity_address(identity)
    if not address_in_city(address=address.as_dict()):
        return SelfLookupResult(SelfLookup.NOT_RESIDENT)
    try:
        birth_date = datetime.date.fromisoformat(identity.birth_date or "")
    except ValueError:
        return SelfLookupResult(SelfLookup.MISMATCH)
    query = PersonQuery(
        family_name=identity.family_name or "",
        given_names=identity.given_names or "",
        birth_date=birth_date,
        address=address,
    )
    person_id = register_plugin().person_match(query=query)
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


class InformationOutcome(enum.StrEnum):
    FOUND = "found"
    NONE = "none"  # nobody, or several persons: the request does not identify one person
    BLOCKED = "blocked"  # an Auskunftssperre: answered as NONE, and the person is heard


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
    from amtsweg.cases.constants import CaseStatus
    from amtsweg.cases.services import case_message_send, case_transition

    case_message_send(case=case, actor=actor, text=text)
    case.refresh_from_db()
    if case.status == CaseStatus.RECEIVED:
        case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)
    case_transition(case=case, to_status=CaseStatus.COMPLETED, actor=actor)


def information_request_answer(
    *, case: Any, extended_items: Iterable[str] = (), actor: Any = None
) -> InformationOutcome:
    """Answer a paid Melderegisterauskunft: search the register, read what may be given, and tell the
    requester on the status page and by email; close the case.

    A simple request is answered so, automatically, once it is paid (``information_answer_task``); an
    extended one when staff approve ``extended_items`` (keys of ``INFORMATION_EXTENDED``). No match, several
    matches and a blocked person get the same answer; a blocked person's case for a hearing is opened.
    Every read is audited, naming the service and the request's reference. A closed case is left alone.
    """
    from amtsweg.cases.constants import CLOSED_STATUSES

    if case.status in CLOSED_STATUSES:
        return InformationOutcome.NONE
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
            if outcome == InformationOutcome.BLOCKED:
                _hearing_open(request_case=case, person_id=found[0])
            _information_close(case=case, text=text, actor=actor)
    return outcome


def information_is_request(*, case: Any) -> bool:
    """A requester's Melderegisterauskunft (not the hearing case a blocked person's request opens)."""
    return case.service.slug == INFORMATION_SERVICE and HEARING_PERSON not in (case.submission.answers or {})
