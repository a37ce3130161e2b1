"""Rules of the Bürgerbüro's services that a form definition cannot say declaratively."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from amtsweg.applications.formengine.base import FieldError
from amtsweg.applications.formengine.hooks import service_rules
from amtsweg.catalogue.selectors import address_in_city


@service_rules.register("nebenwohnung-abmelden")
def nebenwohnung_abmelden(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """§ 17(2) BMG: the office of the secondary or of the main residence takes the deregistration.

    So one of the two addresses must be in the city; otherwise the citizen is
    told which office to contact instead.
    """
    if step_key not in ("main", None):
        return []
    secondary, main = answers.get("secondary_address"), answers.get("main_address")
    if secondary is None or main is None:
        return []
    if address_in_city(address=secondary) or address_in_city(address=main):
        return []
    return [
        FieldError(
            key="main_address",
            part="postcode",
            message=_(
                "Neither address is in %(city)s. Please deregister with the registration office "
                "of your main residence or of the secondary residence."
            )
            % {"city": settings.PORTAL["city"]},
        )
    ]


@service_rules.register("melderegisterauskunft")
def melderegisterauskunft(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """§ 44 BMG: the person must be identifiable unambiguously, as in the portal query (§ 49 BMG, PortalV § 3).

    The family name and one given name, and either the address or two more items: the date of birth and a
    former address. The name itself is required by the form.
    """
    if step_key not in ("person", None):
        return []
    if answers.get("sought_address"):
        return []
    if answers.get("sought_birth_date") and answers.get("sought_former_address"):
        return []
    if answers.get("sought_birth_date"):
        key, message = (
            "sought_former_address",
            _("Enter a former address of the person, or their current address"),
        )
    elif answers.get("sought_former_address"):
        key, message = ("sought_birth_date", _("Enter the person's date of birth, or their current address"))
    else:
        key, message = (
            "sought_address",
            _("Enter the person's address, or their date of birth and a former address"),
        )
    return [FieldError(key=key, part="day" if key == "sought_birth_date" else "street", message=message)]
