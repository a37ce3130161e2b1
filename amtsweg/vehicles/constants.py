"""The Kfz-Zulassung's states, choices and names (docs/vehicles.md)."""

import datetime

from django.db import models
from django.utils.translation import gettext_lazy as _

# The catalogue slugs of the four online services.
DEREGISTRATION_SERVICE = "kfz-ausserbetriebsetzung"
NEW_REGISTRATION_SERVICE = "kfz-neuzulassung"
TRANSFER_SERVICE = "kfz-umschreibung"
REREGISTRATION_SERVICE = "kfz-wiederzulassung"

# i-Kfz is for vehicles whose documents carry the hidden codes: registered on or after this day (FZV § 15d).
CODES_SINCE = datetime.date(2015, 1, 1)
# The provisional proof of registration (§ 32 FZV) is valid this many days from the decision.
PROVISIONAL_PROOF_DAYS = 10


class Transaction(models.TextChoices):
    """The XKfz transactions the portal sends (ABS, Zulassung, Änderung, Wiederzulassung)."""

    DEREGISTRATION = "deregistration", _("Deregistration")
    NEW_REGISTRATION = "new_registration", _("New registration")
    TRANSFER = "transfer", _("Transfer")
    REREGISTRATION = "reregistration", _("Re-registration")


class TransferVariant(models.TextChoices):
    KEEPER_CHANGE = "keeper_change", _("Change of keeper")
    ADDRESS_CHANGE = "address_change", _("Change of address within the district")
    MOVE_IN = "move_in", _("Moving in from another district")


class Office(models.TextChoices):
    """The four registration offices of the joint authority of Stadt and Landkreis Kassel (catalogue
    locations ``kfz-<value>``), chosen by the keeper's address (``offices.py``)."""

    KASSEL = "kassel", "Kassel"
    BAUNATAL = "baunatal", "Baunatal"
    HOFGEISMAR = "hofgeismar", "Hofgeismar"
    WOLFHAGEN = "wolfhagen", "Wolfhagen"


class VehicleStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    OFF_ROAD = "off_road", _("Taken off the road")
    NEW = "new", _("Never registered")
    UNKNOWN = "unknown", _("Not known to the register")


class Outcome(models.TextChoices):
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    REVIEW = "review", _("Referred to staff")


class ApplicationState(models.TextChoices):
    """Where an application stands between the portal and the registry."""

    TO_SEND = "to_send", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    UNAVAILABLE = "unavailable", _("Registry not reachable")
    REVIEW = "review", _("Needs a decision by staff")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")


class DispatchStatus(models.TextChoices):
    """The postal dispatch of the registration certificate and the plate seals after an approval."""

    NONE = "none", _("Nothing to post")
    QUEUED = "queued", _("To be posted")
    SENT = "sent", _("Posted")


class Item(models.TextChoices):
    """The items of an application, our names for the XKfz elements (the answers' keys in the forms)."""

    PLATE = "plate", _("Licence plate")
    ZB1_CODE = "zb1_code", _("Security code of the registration certificate part I")
    SEAL_FRONT = "seal_front", _("Security code of the front plate seal")
    SEAL_REAR = "seal_rear", _("Security code of the rear plate seal")
    VIN = "vin", _("Vehicle identification number")
    ZB2_NUMBER = "zb2_number", _("Number of the registration certificate part II")
    ZB2_CODE = "zb2_code", _("Security code of the registration certificate part II")
    EVB = "evb", _("Insurance confirmation number (eVB)")
    WISH_PLATE = "wish_plate", _("Personalised number")
    KEEP_PLATE = "keep_plate", _("Keep the plate")
    RESERVE_PLATE = "reserve_plate", _("Reserve the plate")
    AREA_CODE = "area_code", _("Area code")
    RECYCLING_DATE = "recycling_date", _("Date of the certificate of destruction")
    RECYCLING_COMPANY = "recycling_company", _("Number of the dismantling company")
    IBAN = "iban", _("IBAN for the vehicle tax")
    ACCOUNT_HOLDER = "account_holder", _("Account holder")
    INSPECTION_DUE = "inspection_due", _("Next main inspection (HU)")


class ReasonCode(models.TextChoices):
    """Why a registry refuses or refers an application; the demo registry uses these, a vendor plugin maps
    its own codes onto them (an unknown code is shown with the registry's own text)."""

    CODE_WRONG = "code_wrong", _("A security code does not match")
    NOT_KEEPER = "not_keeper", _("You are not the vehicle's keeper")
    BEFORE_2015 = "before_2015", _("Registered before 1 January 2015")
    VEHICLE_STATE = "vehicle_state", _("The vehicle's state does not allow this")
    EVB_INVALID = "evb_invalid", _("The insurance confirmation is not valid")
    PLATE_TAKEN = "plate_taken", _("The plate is not available")
    UNKNOWN_VEHICLE = "unknown_vehicle", _("The vehicle is not known")
    SEPA = "sepa", _("The SEPA mandate needs checking")
    MANUAL = "manual", _("The registration office checks it")


# The XKfz transaction of each service's application.
SERVICE_TRANSACTIONS = {
    DEREGISTRATION_SERVICE: Transaction.DEREGISTRATION,
    NEW_REGISTRATION_SERVICE: Transaction.NEW_REGISTRATION,
    TRANSFER_SERVICE: Transaction.TRANSFER,
    REREGISTRATION_SERVICE: Transaction.REREGISTRATION,
}
VEHICLE_SERVICES = frozenset(SERVICE_TRANSACTIONS)
# Items sent as a date (ISO 8601) and as a boolean; every other item is sent as the text entered.
DATE_ITEMS = frozenset({Item.RECYCLING_DATE, Item.INSPECTION_DUE})
BOOLEAN_ITEMS = frozenset({Item.KEEP_PLATE, Item.RESERVE_PLATE})
# The application is decided: nothing is sent again.
DECIDED_STATES = frozenset({ApplicationState.APPROVED, ApplicationState.REFUSED})
