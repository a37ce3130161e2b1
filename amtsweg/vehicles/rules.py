"""The rules of the four i-Kfz forms that a form definition cannot say (docs/vehicles.md). Registered in
``apps.VehiclesConfig.ready``.

Each form asks everything that needs no security code first and checks it here, step by step, so that
nothing fails after the citizen has uncovered a code (which makes a document invalid or a plate unstamped,
§ 15d FZV):

- the keeper's address (from the ID) must be in Stadt or Landkreis Kassel, whose joint registration
  authority runs the four offices (``offices.office_for_address``); elsewhere the office of the place of
  residence is responsible;
- the vehicle is asked about at the registry on the step that identifies it (``vehicle_check``): it must be
  known, in the state the service needs, held by the applicant as its keeper (for a change of keeper: by
  somebody else), and last registered on or after 1 January 2015 (``constants.CODES_SINCE``);
- the date of the next main inspection (HU) is required only when the register has none;
- a personalised number must be free (``plate_check``) or reserved for the keeper, and not an H plate; an old
  number used again must be the one reserved for the keeper and the vehicle;
- the vehicle tax is collected by SEPA direct debit, from an account in the SEPA area.

The registry is asked only on the steps, never in the check before sending (``step_key`` None): that one
runs inside the submission's transaction, where an outside call would hold the draft's lock for as long as
the registry takes. Instead the form's gate asks the registry once more right before the submission,
outside any transaction (``vehicle_gate``), and sends the citizen back to the step whose answer no longer
holds. A registry that does not answer is a message on the field ("try again later"); the answers stay
saved. When it does not answer at the moment of sending, the application is sent anyway: the back office
keeps it and sends it again until the registry answers (``services``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from amtsweg.applications.formengine.base import FieldError
from amtsweg.applications.formengine.hooks import service_rules
from amtsweg.applications.gates import service_gates

from . import services
from .constants import (
    CODES_SINCE,
    DEREGISTRATION_SERVICE,
    NEW_REGISTRATION_SERVICE,
    REREGISTRATION_SERVICE,
    TRANSFER_SERVICE,
    TransferVariant,
    VehicleStatus,
)
from .ikfz.base import RegistryRefused, RegistryUnavailable, VehicleInfo
from .offices import office_for_address

logger = logging.getLogger(__name__)

SERVICES = (DEREGISTRATION_SERVICE, NEW_REGISTRATION_SERVICE, TRANSFER_SERVICE, REREGISTRATION_SERVICE)
# Where a citizen finds the registration office of another place: the federal portal's authority finder.
AUTHORITY_FINDER_URL = "https://verwaltung.bund.de"

# The forms' step keys the rules act on.
KEEPER_STEP = "keeper"
VEHICLE_STEP = "vehicle"
INSPECTION_STEP = "inspection"
WISH_STEP = "wish"
OLD_PLATE_STEP = "old_plate"
BANK_STEP = "bank"
ACCOUNT_HOLDER_STEP = "account_holder"

# Countries whose IBANs the SEPA direct debit scheme reaches: the EEA, Switzerland, the United Kingdom and
# the other members of the scheme (French overseas departments and Åland use FR and FI IBANs, Jersey,
# Guernsey and the Isle of Man GB ones). Albania, Moldova, Montenegro and North Macedonia joined in 2025
# (zu prüfen with the Hauptzollamt).
SEPA_COUNTRIES = frozenset(
    "AD AL AT BE BG CH CY CZ DE DK EE ES FI FR GB GI GR HR HU IE IS IT LI LT LU LV MC MD ME MK MT NL NO PL PT "
    "RO SE SI SK SM VA".split()
)


@dataclass(frozen=True)
class VehicleQuestion:
    """How a service identifies its vehicle: the answers it sends to ``vehicle_check`` (the plate and the VIN,
    or the VIN alone), the field its errors stand on, and the state the vehicle must be in."""

    by_plate: bool
    field: str
    status: str


QUESTIONS = {
    DEREGISTRATION_SERVICE: VehicleQuestion(by_plate=True, field="plate", status=VehicleStatus.REGISTERED),
    NEW_REGISTRATION_SERVICE: VehicleQuestion(by_plate=False, field="vin", status=VehicleStatus.NEW),
    TRANSFER_SERVICE: VehicleQuestion(by_plate=True, field="plate", status=VehicleStatus.REGISTERED),
    REREGISTRATION_SERVICE: VehicleQuestion(by_plate=False, field="vin", status=VehicleStatus.OFF_ROAD),
}


# --- messages ------------------------------------------------------------------------------------------------


def outside_district_message() -> str:
    return _(
        "Your address is not in the City or District of Kassel. Vehicles are registered by the registration "
        "office of the place where you live. You can find it at %(finder)s or by calling %(hotline)s."
    ) % {"finder": AUTHORITY_FINDER_URL, "hotline": settings.PORTAL["hotline"]}


def registry_unavailable_message() -> str:
    return _("The vehicle register cannot be reached at the moment. Your answers are saved. Please try again later.")


def _unknown_message(question: VehicleQuestion) -> str:
    if question.by_plate:
        return _(
            "We cannot find a vehicle with this licence plate and vehicle identification number. Check both "
            "against your registration certificate part I"
        )
    return _(
        "We cannot find a vehicle with this vehicle identification number. Check it against field E of your "
        "registration certificate"
    )


def _state_message(service: str, status: str) -> str:
    """Why the vehicle's state does not fit the service, and which service fits instead."""
    if service == DEREGISTRATION_SERVICE:
        if status == VehicleStatus.OFF_ROAD:
            return _("This vehicle is already taken off the road")
        return _("This vehicle has never been registered, so it cannot be taken off the road")
    if status == VehicleStatus.REGISTERED:
        if service == NEW_REGISTRATION_SERVICE:
            return _("This vehicle is already registered. If you have bought it, apply for a transfer (Umschreibung)")
        return _("This vehicle is still registered. Only a vehicle taken off the road can be registered again")
    if status == VehicleStatus.OFF_ROAD:
        return _(
            "This vehicle has been registered before and is taken off the road. Apply for a re-registration "
            "(Wiederzulassung)"
        )
    return _("This vehicle has never been registered. Apply for a new registration (Neuzulassung)")


def _keeper_message(service: str, variant: Any) -> str:
    if service == TRANSFER_SERVICE and variant == TransferVariant.KEEPER_CHANGE:
        return _(
            "You are already this vehicle's keeper. If you have moved, go back and choose the change of address "
            "or moving in from another district"
        )
    return _(
        "The vehicle register does not list you as this vehicle's keeper. Only its keeper can apply online. "
        "Check the details against your registration certificate part I"
    )


def vehicle_problem(*, service: str, answers: Mapping[str, Any], info: VehicleInfo) -> str | None:
    """What speaks against the application, from what the registry knows of the vehicle (None: nothing).

    Checked in this order: a vehicle the registry does not know; whose it is, where the applicant must be its
    keeper (a stranger learns no more than that it is not theirs; a new vehicle has no keeper yet); the
    registration before 2015, whose documents carry no codes, so that nothing can be done online whatever the
    service; its state; a keeper taking over their own vehicle.
    """
    question = QUESTIONS[service]
    variant = answers.get("variant")
    if info.status == VehicleStatus.UNKNOWN or (
        question.by_plate and not _same_plate(info.plate, answers.get("plate"))
    ):
        return _unknown_message(question)
    must_be_keeper = _keeper_wanted(service, variant)
    if must_be_keeper is True and not info.keeper_matches and info.status != VehicleStatus.NEW:
        return _keeper_message(service, variant)
    if info.last_registered_on is not None and info.last_registered_on < CODES_SINCE:
        return _(
            "This vehicle was last registered before 1 January 2015, so its documents have no security codes. "
            "It can only be dealt with at a registration office"
        )
    if info.status != question.status:
        return _state_message(service, info.status)
    if must_be_keeper is False and info.keeper_matches:
        return _keeper_message(service, variant)
    if service == TRANSFER_SERVICE:
        return _district_message(variant, in_district=info.in_district)
    return None


def _district_message(variant: Any, *, in_district: bool) -> str | None:
    """An address change is for a vehicle registered here, a move for one registered elsewhere: said before
    any code is uncovered, since the registry would refuse it only after."""
    if variant == TransferVariant.ADDRESS_CHANGE and not in_district:
        return _(
            "This vehicle is registered in another district. Go back and choose that you have moved here from "
            "another district"
        )
    if variant == TransferVariant.MOVE_IN and in_district:
        return _(
            "This vehicle is already registered in the City or District of Kassel. Go back and choose that you "
            "have moved within the City or District of Kassel"
        )
    return None


def _same_plate(registered: str, given: Any) -> bool:
    """Whether the plate the citizen gave is the vehicle's (a registry may find a vehicle by its VIN alone)."""
    return isinstance(given, str) and _compact(registered) == _compact(given)


def _compact(plate: str) -> str:
    return "".join(character for character in plate.upper() if character.isalnum())


def _keeper_wanted(service: str, variant: Any) -> bool | None:
    """Whether the applicant must be the vehicle's registered keeper (True), must not be (False: they take it
    over from its keeper), or the vehicle has no keeper yet (None: a new registration)."""
    if service == NEW_REGISTRATION_SERVICE:
        return None
    return not (service == TRANSFER_SERVICE and variant == TransferVariant.KEEPER_CHANGE)


# --- the registry's answers ------------------------------------------------------------------------------------


def _vehicle_info(service: str, answers: Mapping[str, Any]) -> VehicleInfo | None:
    """What the registry knows of the form's vehicle for its keeper; None while the answers are incomplete.
    Raises RegistryUnavailable when it cannot be asked."""
    keeper = services.keeper_from_answers(answers=answers)
    vin = str(answers.get("vin") or "")
    plate = str(answers.get("plate") or "") if QUESTIONS[service].by_plate else ""
    if keeper is None or not vin or (QUESTIONS[service].by_plate and not plate):
        return None
    try:
        return services.registry_plugin().vehicle_check(keeper=keeper, plate=plate, vin=vin)
    except RegistryRefused as error:
        # Our own call was malformed: nothing the citizen can fix. Said like an outage, logged to be looked at.
        logger.error("vehicle registry refused a vehicle check: %s", error)
        raise RegistryUnavailable(str(error)) from error


def _plate_free(plate: str) -> bool:
    try:
        return services.registry_plugin().plate_check(plate=plate)
    except RegistryRefused as error:
        logger.error("vehicle registry refused a plate check: %s", error)
        raise RegistryUnavailable(str(error)) from error


def _unavailable(key: str, error: Exception) -> list[FieldError]:
    logger.warning("vehicle registry unavailable: %s", error)
    return [FieldError(key=key, message=registry_unavailable_message())]


# --- the rules, step by step ----------------------------------------------------------------------------------


def _keeper_errors(answers: Mapping[str, Any]) -> list[FieldError]:
    address = answers.get("address")
    if not isinstance(address, Mapping) or office_for_address(address=address) is not None:
        return []
    return [FieldError(key="address", part="postcode", message=outside_district_message())]


def _vehicle_errors(service: str, answers: Mapping[str, Any]) -> list[FieldError]:
    question = QUESTIONS[service]
    try:
        info = _vehicle_info(service, answers)
    except RegistryUnavailable as error:
        return _unavailable(question.field, error)
    if info is None:
        return []
    problem = vehicle_problem(service=service, answers=answers, info=info)
    return [FieldError(key=question.field, message=problem)] if problem else []


def _inspection_errors(service: str, answers: Mapping[str, Any]) -> list[FieldError]:
    if answers.get("inspection_due"):
        return []
    try:
        info = _vehicle_info(service, answers)
    except RegistryUnavailable as error:
        logger.warning("vehicle registry unavailable: %s", error)
        return [FieldError(key="inspection_due", part="day", message=registry_unavailable_message())]
    if info is None or not info.inspection_missing:
        return []
    message = _(
        "The central vehicle register has no main inspection for this vehicle. Enter when the next one is due, "
        "as it is in the report of the last inspection"
    )
    return [FieldError(key="inspection_due", part="day", message=message)]


def _historic_plate_errors(key: str, plate: Any) -> list[FieldError]:
    """An H plate is for a vehicle at least 30 years old (§ 9 (1) FZV); i-Kfz is for vehicles registered since
    2015 (their documents carry the codes), so it never fits here."""
    if isinstance(plate, str) and plate.endswith("H"):
        message = _(
            "A number ending in H is only for a historic vehicle at least 30 years old and cannot be applied for "
            "online. Choose a number without H"
        )
        return [FieldError(key=key, message=message)]
    return []


def _wish_plate_problem(service: str, answers: Mapping[str, Any]) -> str | None:
    """Why a personalised number cannot be given out (None: it can): an H plate, or a number that is taken or
    reserved for somebody else. A number reserved for this keeper and vehicle (when it was taken off the
    road) is theirs to choose. Raises RegistryUnavailable."""
    plate = answers.get("wish_plate")
    if not isinstance(plate, str) or not plate:
        return None
    if errors := _historic_plate_errors("wish_plate", plate):
        return errors[0].message
    if _plate_free(plate):
        return None
    if service == REREGISTRATION_SERVICE:
        info = _vehicle_info(service, answers)
        if info is not None and info.reserved_plate and _same_plate(info.reserved_plate, plate):
            return None
    return _("This number is not available. Choose another one")


def _old_plate_problem(service: str, answers: Mapping[str, Any]) -> str | None:
    """Why the old number cannot be used again (None: it can): it must be the one reserved for the keeper and
    the vehicle when it was taken off the road. Raises RegistryUnavailable."""
    plate = answers.get("plate")
    if not isinstance(plate, str) or not plate:
        return None
    info = _vehicle_info(service, answers)
    if info is None or (info.reserved_plate and _same_plate(info.reserved_plate, plate)):
        return None
    if not info.reserved_plate and _same_plate(info.plate, plate):
        return _(
            "Your old number is no longer reserved for you, so it cannot be used again. Go back and choose a new number"
        )
    return _(
        "This is not the number reserved for you and this vehicle. Enter it as it is in the decision on the "
        "deregistration, or go back and choose a new number"
    )


def _registry_errors(key: str, problem: Callable[[], str | None]) -> list[FieldError]:
    """The problem the registry's answer shows, as an error on the field; "try again later" when it is down."""
    try:
        found = problem()
    except RegistryUnavailable as error:
        return _unavailable(key, error)
    return [FieldError(key=key, message=found)] if found else []


def _bank_errors(answers: Mapping[str, Any]) -> list[FieldError]:
    iban = answers.get("iban")
    if not isinstance(iban, str) or iban[:2] in SEPA_COUNTRIES:
        return []
    message = _(
        "The vehicle tax can only be collected from an account in the SEPA area. Enter the IBAN of such an account"
    )
    return [FieldError(key="iban", message=message)]


def _account_holder_errors(answers: Mapping[str, Any]) -> list[FieldError]:
    """A keeper who says the account is somebody else's and then names themselves has misread the question."""
    holder, name = answers.get("account_holder"), answers.get("name")
    if answers.get("holder_is_keeper") is not False or not isinstance(holder, str) or not isinstance(name, Mapping):
        return []
    own = " ".join(filter(None, [str(name.get("given_names", "")), str(name.get("family_name", ""))]))
    if own and " ".join(holder.split()).casefold() == " ".join(own.split()).casefold():
        message = _("This is your own name. If the account is yours, go back and answer “Yes”")
        return [FieldError(key="account_holder", message=message)]
    return []


def vehicle_rules(service: str) -> Callable[[dict[str, Any], str | None], list[FieldError]]:
    """The rule function of one of the four services (registered below for each)."""

    def rules(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
        if step_key is None:  # before sending: only what needs no outside call (see the module's docstring)
            return (
                _keeper_errors(answers)
                + _historic_plate_errors("wish_plate", answers.get("wish_plate"))
                + _bank_errors(answers)
                + _account_holder_errors(answers)
            )
        if step_key == KEEPER_STEP:
            return _keeper_errors(answers)
        if step_key == VEHICLE_STEP:
            return _vehicle_errors(service, answers)
        if step_key == INSPECTION_STEP:
            return _inspection_errors(service, answers)
        if step_key == WISH_STEP:
            return _registry_errors("wish_plate", lambda: _wish_plate_problem(service, answers))
        if step_key == OLD_PLATE_STEP:
            return _registry_errors("plate", lambda: _old_plate_problem(service, answers))
        if step_key == BANK_STEP:
            return _bank_errors(answers)
        if step_key == ACCOUNT_HOLDER_STEP:
            return _account_holder_errors(answers)
        return []

    rules.__name__ = rules.__qualname__ = f"vehicle_rules_{service.replace('-', '_')}"
    return rules


for _service in SERVICES:
    service_rules.register(_service)(vehicle_rules(_service))


# --- right before sending: the registry once more, outside the submission's transaction --------------------


def _registry_recheck(service: str, answers: Mapping[str, Any]) -> tuple[str, str] | None:
    """The step to go back to and why, when the registry's answer no longer fits; None when all is well."""
    info = _vehicle_info(service, answers)
    if info is not None:
        problem = vehicle_problem(service=service, answers=answers, info=info)
        if problem:
            return VEHICLE_STEP, problem
    if problem := _wish_plate_problem(service, answers):
        return WISH_STEP, problem
    if service == REREGISTRATION_SERVICE and (problem := _old_plate_problem(service, answers)):
        return OLD_PLATE_STEP, problem
    return None


def vehicle_gate(*, request: HttpRequest, service: Any, draft: Any, submitting: bool) -> HttpResponse | None:
    """Right before the submission (and the payment), the registry checks the vehicle and a new number again:
    it may have changed since the step. A registry that does not answer does not stop the citizen: the
    application is kept and sent when it answers again."""
    if not submitting or draft is None:
        return None
    answers = dict(draft.answers)
    try:
        found = _registry_recheck(service.slug, answers)
    except RegistryUnavailable as error:
        logger.warning("vehicle registry unavailable before sending, the application is sent later: %s", error)
        return None
    if found is None:
        return None
    step, message = found
    messages.error(request, message)
    url = reverse("applications:step", kwargs={"slug": service.slug, "step": step})
    return redirect(f"{url}?aendern=1")


for _service in SERVICES:
    service_gates.register(_service)(vehicle_gate)
