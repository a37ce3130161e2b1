"""The interface every residents'-register plugin implements.

The portal never holds the residents' register; it asks the city's register
(its Einwohnermeldewesen software, through the vendor's interface, in Germany
XMeld over OSCI) for what a service may read, and writes back what a citizen
filed: a blocking, an objection, a move-out. A plugin translates these calls
into its vendor's messages. Data items are named by their DSMeld numbers
(``fields.py``), as XMeld names them, so that a service asks for exactly the
items the law allows it (BMeldDigiV § 5) and the audit says which.

Every call is made through ``residents.services``, which checks the rules
(BMeldDigiV § 4: the eID at level "hoch", an exact match) and audits every
read; a plugin only speaks to its register. See docs/residents.md.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


class RegisterUnavailable(Exception):
    """The register cannot be reached or answered with a server error; try again later."""


class RegisterRefused(Exception):
    """The register refused the call (an unknown person, a change it does not accept)."""


@dataclass(frozen=True)
class Address:
    street: str
    house_number: str
    postcode: str
    town: str

    def as_dict(self) -> dict[str, str]:
        return {"street": self.street, "house_number": self.house_number, "postcode": self.postcode, "town": self.town}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Address:
        return cls(
            street=str(data.get("street", "")),
            house_number=str(data.get("house_number", "")),
            postcode=str(data.get("postcode", "")),
            town=str(data.get("town", "")),
        )


@dataclass(frozen=True)
class PersonQuery:
    """Who is looked for: a name and the items that identify the person (exactly, for a match)."""

    family_name: str
    given_names: str
    birth_date: datetime.date | None = None
    address: Address | None = None
    former_address: Address | None = None


@dataclass(frozen=True)
class RegisterRecord:
    """What the register gave for one person: the requested items by DSMeld number (absent: not stored)."""

    person_id: str
    items: Mapping[str, Any] = field(default_factory=dict)

    def get(self, number: str, default: Any = None) -> Any:
        return self.items.get(number, default)


@dataclass(frozen=True)
class Block:
    """A blocking stored for a person: an Auskunftssperre (§ 51 BMG) or an objection to one kind of
    transfer (an Übermittlungssperre, ``fields.TRANSFER_OBJECTIONS``), until a day or until withdrawn."""

    kind: str
    until: datetime.date | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {"kind": self.kind, "until": self.until.isoformat() if self.until else None}


class ResidentsRegister(ABC):
    """One residents' register. Configured from ``settings.RESIDENTS_REGISTER['providers'][slug]``."""

    slug: str = ""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = dict(config)

    def check_configuration(self, *, production: bool) -> list[str]:
        """What is missing or wrong for this plugin to run (empty when all is well)."""
        return []

    @abstractmethod
    def person_match(self, *, query: PersonQuery) -> str | None:
        """The person whose family name, given names, birth date and main address are exactly those of
        ``query`` (BMeldDigiV § 4, for a citizen reading about themselves), or None."""

    @abstractmethod
    def person_search(self, *, query: PersonQuery) -> list[str]:
        """The persons a request for information (§§ 44, 45 BMG) could mean: none, one, or several."""

    @abstractmethod
    def person_read(self, *, person_id: str, items: Iterable[str]) -> RegisterRecord:
        """The person's data ``items`` (DSMeld numbers); only those."""

    @abstractmethod
    def represented(self, *, person_id: str) -> list[str]:
        """The persons whose legal representative this person is (their minor children)."""

    @abstractmethod
    def block_file(self, *, person_id: str, block: Block) -> None:
        """Store a blocking for the person (a later one of the same kind replaces it)."""

    @abstractmethod
    def block_withdraw(self, *, person_id: str, kind: str) -> None:
        """Remove the person's blocking of this kind (nothing happens if there is none)."""

    @abstractmethod
    def secondary_residence_end(self, *, person_id: str, address: Address, moved_out_on: datetime.date) -> None:
        """Record that the person moved out of this secondary residence on that day (§ 17(2) BMG);
        RegisterRefused if it is not registered to the person.

        Idempotent: the same move-out (address and day) recorded before is answered as done, so that a
        call whose answer was lost, or an approval made again, changes nothing."""
