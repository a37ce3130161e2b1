"""The registry's reasons for a refusal or a referral, in the citizen's words.

A registry gives each reason as a code (``constants.ReasonCode``, a vendor plugin maps its own onto them),
the item it concerns (``constants.Item``) and a text of its own (German). The rejection's text
(``services.refusal_text``) and the citizen's status page say them with ``reason_sentence`` and
``reason_sentences``, in the active language; a code we do not know is said with the registry's own text.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from .constants import Item, ReasonCode

SENTENCES: dict[str, Promise] = {
    ReasonCode.CODE_WRONG: _("A security code you entered does not match."),
    ReasonCode.NOT_KEEPER: _("According to the vehicle register, you are not the vehicle's keeper."),
    ReasonCode.BEFORE_2015: _(
        "The vehicle was last registered before 1 January 2015. Its documents have no security codes, so this "
        "cannot be done online."
    ),
    ReasonCode.VEHICLE_STATE: _("The vehicle's state in the register does not allow this application."),
    ReasonCode.EVB_INVALID: _(
        "The insurance confirmation number (eVB) is not valid for this vehicle. Your insurer can give you a valid one."
    ),
    ReasonCode.PLATE_TAKEN: _("The licence plate you chose is not available."),
    ReasonCode.UNKNOWN_VEHICLE: _("The vehicle register does not know the vehicle you entered."),
    ReasonCode.SEPA: _("The SEPA direct debit mandate for the vehicle tax could not be accepted."),
    ReasonCode.MANUAL: _("The registration office has to check the application in person."),
}
# A code that concerns one item says which: "… does not match: Security code of the front plate seal."
WITH_ITEM: dict[str, Promise] = {
    ReasonCode.CODE_WRONG: _("A security code you entered does not match: %(item)s."),
}
NO_REASON = _("The registration office could not approve the application online.")


def _parts(reason: Any) -> tuple[str, str, str]:
    if isinstance(reason, Mapping):
        return str(reason.get("code", "")), str(reason.get("item", "")), str(reason.get("text", ""))
    return str(getattr(reason, "code", "")), str(getattr(reason, "item", "")), str(getattr(reason, "text", ""))


def reason_sentence(*, reason: Any = None, code: str = "", item: str = "", text: str = "") -> str:
    """One reason (an ``ikfz.base.Reason``, its ``as_dict()``, or its parts) as the citizen reads it, in the active
    language: a sentence per known code (with the item it concerns), the registry's own text for a code we do
    not know."""
    if reason is not None:
        code, item, text = _parts(reason)
    if code in WITH_ITEM and item in Item.values:
        return str(WITH_ITEM[code]) % {"item": Item(item).label}
    if code in SENTENCES:
        return str(SENTENCES[code])
    return text.strip() or str(NO_REASON)


def reason_sentences(*, reasons: Iterable[Any] | None) -> list[str]:
    """The reasons (as ``VehicleApplication.reasons`` holds them, or ``Reason`` objects) as sentences in the active
    language, each once, in the registry's order."""
    sentences: list[str] = []
    for reason in reasons or ():
        sentence = reason_sentence(reason=reason)
        if sentence not in sentences:
            sentences.append(sentence)
    return sentences
