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

from amtsweg.catalogue.constants import TrustLevel
from amtsweg.catalogue.selectors import address_in_city
from amtsweg.identity.base import Identity
from amtsweg.identity.constants import level_satisfies

from .models import RegisterRead
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
