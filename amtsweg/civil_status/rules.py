"""Rules of the Standesamt's services that a form definition cannot say declaratively."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from amtsweg.applications.formengine.base import FieldError
from amtsweg.applications.formengine.hooks import service_rules
from amtsweg.residents.rules import in_city


@service_rules.register("sterbefall-voranzeige")
def sterbefall_voranzeige(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """The death cannot precede the birth; the place of death must be in the registry district."""
    errors: list[FieldError] = []
    if step_key in ("deceased", None):
        birth, death = answers.get("deceased_birth_date"), answers.get("death_date")
        if birth and death and str(death) < str(birth):
            errors.append(
                FieldError(key="death_date", part="day", message=_("The date of death must be after the date of birth"))
            )
        address = answers.get("death_address")
        if address and not in_city(address):
            errors.append(
                FieldError(
                    key="death_address",
                    part="postcode",
                    message=_(
                        "The place of death is not in %(city)s. Please contact the registry office "
                        "(Standesamt) of the town where the person died."
                    )
                    % {"city": settings.PORTAL["city"]},
                )
            )
    return errors
