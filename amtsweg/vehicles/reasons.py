"""The registry's reasons for a refusal or a referral, in the citizen's words.

A registry gives each reason as a code (``constants.ReasonCode``, a vendor plugin maps its own onto them),
the item it concerns (``constants.Item``) and a text of its own (German). The citizen's status page, the
rejection message and staff's pages say them with ``reason_sentences`` in the active language; a code we
do not know is said with the registry's own text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .constants import Item, ReasonCode

SENTENCES: dict[str, Promise] = {
    ReasonCode.CODE_WRONG: _("A security code does not match the one the register holds."),
    ReasonCode.NOT_KEEPER: _("According to the register, you are not the keeper of this vehicle."),
    ReasonCode.BEFORE_2015: _(
        "The vehicle was last registered before 1 January 2015. Its documents have no security codes, so it "
        "cannot be dealt with online."
    ),
    ReasonCode.VEHICLE_STATE: _(
        "The vehicle's state in the register does not allow this application (for example, it is already "
        "taken off the road, or it is still registered)."
    ),
    ReasonCode.EVB_INVALID: _(
        "The insurance confirmation number (eVB) is not valid or has expired. Ask your insurer for a new one."
    ),
    ReasonCode.PLATE_TAKEN: _("The number plate you chose is not available."),
    ReasonCode.UNKNOWN_VEHICLE: _("The register does not know this vehicle."),
    ReasonCode.SEPA: _("The direct debit mandate for the vehicle tax needs to be checked by the registration office."),
    ReasonCode.MANUAL: _("The registration office checks your application itself."),
}
# A code that concerns one item says which: "… does not match: Security code of the front plate seal."
WITH_ITEM: dict[str, Promise] = {
    ReasonCode.CODE_WRONG: _("This security code does not match the one the register holds: %(item)s."),
}
NO_REASON = _("The registry gave no reason.")


def _parts(reason: Any) -> tuple[str, str, str]:
    if isinstance(reason, Mapping):
        return str(reason.get("code", "")), str(reason.get("item", "")), str(reason.get("text", ""))
    return str(getattr(reason, "code", "")), str(getattr(reason, "item", "")), str(getattr(reason, "text", ""))


def reason_sentence(*, reason: Any = None, code: str = "", item: str = "", text: str = "") -> str:
    """One reason (a ``Reason``, its dict, or its parts) as a sentence in the active language; the registry's
    own text for a code we do not know."""
    if reason is not None:
        code, item, text = _parts(reason)
    if code in WITH_ITEM and item in Item.values:
        return str(WITH_ITEM[code]) % {"item": Item(item).label}
    if code in SENTENCES:
        return str(SENTENCES[code])
    return text.strip() or str(NO_REASON)


def reason_sentences(*, reasons: Iterable[Any]) -> list[str]:
    """The reasons (``ikfz.base.Reason`` or their ``as_dict()``, as ``VehicleApplication.reasons`` holds them) as
    sentences in the active language, each once, in the registry's order."""
    sentences: list[str] = []
    for reason in reasons or ():
        sentence = reason_sentence(reason=reason)
        if sentence not in sentences:
            sentences.append(sentence)
    return sentences
