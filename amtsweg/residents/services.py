"""The Bürgerbüro's use of the residents' register: every call goes through here.

``register_self_lookup`` applies BMeldDigiV § 4 before a citizen reads about themselves: the eID at
level "hoch", a main address in the city, and an exact match of name, birth date and main address.
``register_read`` reads only the items asked for and audits the read (``RegisterRead``).
"""

from __future__ import annotations

import datetime
import enum
import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from amtsweg.applications.references import counter_next, reference_format
from amtsweg.catalogue.constants import TrustLevel
from amtsweg.catalogue.selectors import address_in_city
from amtsweg.identity.base import Identity
from amtsweg.identity.constants import level_satisfies

from .errors import ResidentsError
from .models import RegisterRead
from .register import fields
from .register.base import (
    Address,
    Block,
    PersonQuery,
    RegisterRecord,
    RegisterUnavailable,
    ResidentsRegister,
)
from .register.registry import registry

if TYPE_CHECKING:
    from amtsweg.documents.services import IssuedDocument

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


# --- the Meldebescheinigung (§ 18 BMG) ----------------------------------------------------------------


def _unavailable() -> ResidentsError:
    return ResidentsError(
        gettext("The register of residents cannot be reached at the moment. Please try again later."), status=503
    )


@dataclass(frozen=True)
class HouseholdPerson:
    """A person the citizen may ask a Meldebescheinigung for: themselves or a minor they represent."""

    person_id: str
    name: str
    birth_date: str
    relation: str  # "self" or "child"


def meldebescheinigung_persons(
    *, identity: Identity | None, account: Any
) -> tuple[SelfLookupResult, list[HouseholdPerson]]:
    """The citizen's self-lookup (BMeldDigiV § 4) and, if found, the persons they may ask for, by the register.

    Reads the name and birth date of each (audited), so that the citizen can choose.
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
                purpose="Meldebescheinigung: Auswahl der Person",
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


def meldebescheinigung_person_check(*, identity: Identity | None, person_id: str) -> None:
    """Refuse, with a ResidentsError, unless ``person_id`` is the logged-in citizen or a minor they represent,
    as the register says now (the answers of a draft may be older than a change in the register)."""
    try:
        lookup = register_self_lookup(identity=identity)
        allowed = [lookup.person_id, *register_represented(person_id=lookup.person_id)] if lookup.person_id else []
    except RegisterUnavailable as error:
        logger.warning("the residents' register is unavailable: %s", error)
        raise _unavailable() from error
    if lookup.outcome != SelfLookup.FOUND or not person_id or person_id not in allowed:
        raise ResidentsError(gettext("We cannot issue a registration certificate for this person online."), status=403)


def meldebescheinigung_number() -> str:
    """The next document number of the year (MB-2026-000123-4), in a transaction of its own: a failed issue
    leaves a gap, never holds the counter while the document is made."""
    prefix = settings.MELDEBESCHEINIGUNG["number_prefix"]
    year = timezone.localdate().year
    with transaction.atomic():
        return reference_format(prefix=prefix, year=year, number=counter_next(prefix=prefix, year=year))


def meldebescheinigung_issue(
    *, identity: Identity | None, account: Any, person_id: str, kind: str, issuer: str, issuer_lines: Sequence[str]
) -> IssuedDocument:
    """Issue an electronic Meldebescheinigung at once: sealed PDF and § 18a record, from the register only.

    The citizen must still be found by the self-lookup, and ``person_id`` must be themselves or a minor
    they represent (as the register says now). The read is audited with the document's number. Free of
    charge (§ 18(3) BMG); the document's record (``documents.SealedDocument``) is the record of the issue.
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
    meldebescheinigung_person_check(identity=identity, person_id=person_id)
    try:
        number = meldebescheinigung_number()
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
        return sealed_document_issue(
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
    except SealUnavailable as error:
        logger.error("the seal is not usable: %s", error)
        raise ResidentsError(
            gettext(
                "The electronic registration certificate is not available at the moment. You can order it on "
                "paper, or get it at the counter."
            ),
            status=503,
        ) from error
