"""Rules of the immigration office's contact form that its definition cannot say declaratively.

- An answer by email or an appointment needs an email address; a phone call does not.
- The office is responsible for the City and the District of Kassel (``IMMIGRATION_POSTCODES``).
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from amtsweg.applications.formengine.base import FieldError
from amtsweg.applications.formengine.hooks import service_rules

from .constants import SERVICE


def in_area(address: object) -> bool:
    """Whether an address answer lies in the office's area (City and District of Kassel, by postcode)."""
    postcodes = settings.IMMIGRATION_POSTCODES
    if not postcodes:  # not configured: the office takes every address
        return True
    return isinstance(address, dict) and str(address.get("postcode", "")) in postcodes


@service_rules.register(SERVICE)
def zuwanderung_kontakt(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    errors: list[FieldError] = []
    email_needed = answers.get("contact_preference") in ("email", "appointment")
    if step_key in ("email_address", None) and email_needed and not answers.get("email"):
        errors.append(
            FieldError(
                key="email",
                message=_("Enter an email address, so that we can answer you or send you an appointment link"),
            )
        )
    if step_key in ("applicant", None):
        address = answers.get("address")
        if address and not in_area(address):
            errors.append(
                FieldError(
                    key="address",
                    part="postcode",
                    message=_(
                        "We are the immigration office for the City and the District of Kassel only. Please "
                        "contact the immigration office of the town or district where you live."
                    ),
                )
            )
    return errors
