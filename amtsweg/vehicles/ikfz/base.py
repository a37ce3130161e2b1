"""The interface every vehicle-registration plugin implements.

The portal does not hold the vehicle register. A registration authority's online services (i-Kfz) reach
the Kraftfahrt-Bundesamt's central register (ZFZR) and the authority's own register through a certified
i-Kfz portal; the portal sends each application as one XKfz transaction (message 0707 "Antrag") and gets
the decision back: approved at once, refused with a reason, or referred to the authority's staff.
The KBA's standards for this ("Datenaustausch mit i-Kfz-Portalen") are not public, so this interface is
modelled on the XKfz 5.9 transaction data (domain-facts-wave2.md, section D): a plugin for a real vendor
translates these calls into its messages. See docs/vehicles.md, "The adapter".

Every call is made through ``vehicles.services``, which validates what the citizen entered before anything
is sent, keeps the application when the registry does not answer and sends it again later (never lost),
and records the decision. A plugin only speaks to its registry.

Items of an application are named as in ``vehicles.constants.Item`` (our names for the XKfz elements).
Codes (ZB I, plate seals, ZB II) are sent exactly as entered: the seal codes are case-sensitive.
"""

from __future__ import annotations

import datetime
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any


class RegistryUnavailable(Exception):
    """The registry cannot be reached, timed out or answered with a server error; try again later."""


class RegistryRefused(Exception):
    """The registry did not accept the call itself (a malformed request, an unknown application number)."""


@dataclass(frozen=True)
class Keeper:
    """The keeper (Halter) as the eID gave them: a natural person with their main residence."""

    family_name: str
    given_names: str
    birth_date: datetime.date
    street: str
    house_number: str
    postcode: str
    town: str

    def as_dict(self) -> dict[str, str]:
        return {
            "family_name": self.family_name,
            "given_names": self.given_names,
            "birth_date": self.birth_date.isoformat(),
            "street": self.street,
            "house_number": self.house_number,
            "postcode": self.postcode,
            "town": self.town,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Keeper:
        return cls(
            family_name=str(data.get("family_name", "")),
            given_names=str(data.get("given_names", "")),
            birth_date=datetime.date.fromisoformat(str(data["birth_date"])),
            street=str(data.get("street", "")),
            house_number=str(data.get("house_number", "")),
            postcode=str(data.get("postcode", "")),
            town=str(data.get("town", "")),
        )


@dataclass(frozen=True)
class VehicleInfo:
    """What the registry says about one vehicle before an application (XKfz 08xx "Auskunft").

    ``status``: ``constants.VehicleStatus`` (registered, off_road, new: never registered, unknown).
    ``keeper_matches``: the keeper asked about is the vehicle's registered keeper.
    ``last_registered_on``: the day of the last registration (None for a new vehicle); i-Kfz is only for
    vehicles whose documents carry codes, i.e. registered on or after 1 January 2015.
    ``inspection_missing``: the central register holds no main inspection (HU) for it.
    ``in_district``: it is registered in this authority's district (Stadt und Landkreis Kassel): an address
    change needs it to be, a move from another district needs it not to be (False also for a new vehicle).
    """

    status: str
    keeper_matches: bool = False
    plate: str = ""
    make: str = ""
    last_registered_on: datetime.date | None = None
    inspection_missing: bool = False
    reserved_plate: str = ""
    in_district: bool = False


@dataclass(frozen=True)
class Reason:
    """Why the registry refused or referred an application: a code (``constants.ReasonCode``, or the
    registry's own), the item it concerns (``constants.Item`` or ""), and the registry's text (German)."""

    code: str
    item: str = ""
    text: str = ""

    def as_dict(self) -> dict[str, str]:
        return {"code": self.code, "item": self.item, "text": self.text}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Reason:
        return cls(code=str(data.get("code", "")), item=str(data.get("item", "")), text=str(data.get("text", "")))


@dataclass(frozen=True)
class Decision:
    """The registry's answer to an application.

    ``outcome``: ``constants.Outcome`` (approved, refused, review: referred to the authority's staff).
    ``number``: the registry's application number (Antragsnummer), printed on the provisional proof.
    ``plate``: the plate allotted (approved registrations) or taken off the road (deregistrations).
    ``decided_at``: when it was decided (None while under review).
    """

    outcome: str
    number: str
    plate: str = ""
    decided_at: datetime.datetime | None = None
    reasons: tuple[Reason, ...] = ()
    answer: Mapping[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "outcome": self.outcome,
            "number": self.number,
            "plate": self.plate,
            "decided_at": self.decided_at.isoformat() if self.decided_at else None,
            "reasons": [reason.as_dict() for reason in self.reasons],
            "answer": dict(self.answer),
        }


@dataclass(frozen=True)
class Application:
    """One application (XKfz transaction) as the portal sends it.

    ``key``: the portal's own unique key for it (the submission's UUID). Sending the same key again
    returns the first decision: a call whose answer was lost can be repeated safely.
    ``transaction``: ``constants.Transaction``; ``variant``: ``constants.TransferVariant`` for a transfer.
    ``office``: the registration office by the keeper's address (``constants.Office``).
    ``items``: the vehicle's data by ``constants.Item`` name, only those the transaction needs.
    """

    key: str
    reference: str
    transaction: str
    office: str
    keeper: Keeper
    items: Mapping[str, Any]
    variant: str = ""

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "reference": self.reference,
            "transaction": self.transaction,
            "variant": self.variant,
            "office": self.office,
            "keeper": self.keeper.as_dict(),
            "items": dict(self.items),
        }


class VehicleRegistry(ABC):
    """One vehicle registry (a certified i-Kfz portal). Configured from ``settings.VEHICLE_REGISTRY``."""

    slug: str = ""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.config = dict(config)

    def check_configuration(self, *, production: bool) -> list[str]:
        """What is missing or wrong for this plugin to run (empty when all is well)."""
        return []

    @abstractmethod
    def vehicle_check(self, *, keeper: Keeper, plate: str = "", vin: str = "") -> VehicleInfo:
        """What the registry knows of the vehicle with this plate or this VIN (FIN), for this keeper.
        Read-only; asked before the citizen uncovers a code, so that nothing fails after it."""

    @abstractmethod
    def plate_check(self, *, plate: str) -> bool:
        """Whether this plate (``KS-AB 123``) can be given out now (not taken, not reserved by another)."""

    @abstractmethod
    def application_send(self, *, application: Application) -> Decision:
        """Send the application; the registry decides at once or refers it to staff (outcome review).
        Idempotent by ``application.key``."""

    @abstractmethod
    def application_status(self, *, number: str) -> Decision:
        """The current decision on an application sent before (e.g. after a referral)."""

    @abstractmethod
    def application_decide(self, *, number: str, approve: bool, reason: str, actor: str) -> Decision:
        """Staff's decision on a referred application: approve, or refuse with ``reason`` (German, shown to
        the citizen). ``actor`` names the staff member for the registry's log. Idempotent: the same decision
        again returns the decision made; RegistryRefused for an application not under review."""
