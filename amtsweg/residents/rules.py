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
