"""Rules of the Bürgerbüro's services that a form definition cannot say declaratively."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from amtsweg.applications.formengine.base import FieldError
from amtsweg.applications.formengine.hooks import service_rules
from amtsweg.catalogue.selectors import address_in_city
from amtsweg.core import dates

from .constants import YOUTH_EXAMINATION_SERVICE


@service_rules.register("nebenwohnung-abmelden")
def nebenwohnung_abmelden(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """§ 17(2) BMG: the office of the secondary or of the main residence takes the deregistration.

    So one of the two addresses must be in the city; otherwise the citizen is
    told which office to contact instead. The main address comes from the ID
    (an earlier step), so the error stands on the secondary address. Whether the
    register holds that secondary residence is ``nebenwohnung.secondary_residence_in_register``.
    """
    if step_key not in ("secondary", None):
        return []
    secondary, main = answers.get("secondary_address"), answers.get("main_address")
    if secondary is None or main is None:
        return []
    if address_in_city(address=secondary) or address_in_city(address=main):
        return []
    return [
        FieldError(
            key="secondary_address",
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


def _youth_examination_dates() -> dict[str, tuple[str, str, int, str]]:
    """By kind of examination: the step and the answer that set when it may be done, the months from that
    date (negative: before it), and what to say when it is too early ("%(date)s": from when)."""
    from . import youth_examination as voucher

    return {
        voucher.FIRST: (
            "job",
            "job_start",
            -voucher.FIRST_MONTHS_BEFORE_START,
            _("The examination may be at most 14 months old when you start. Please apply from %(date)s."),
        ),
        voucher.FIRST_FOLLOW_UP: (
            "employment",
            "employment_start",
            voucher.FIRST_FOLLOW_UP_MONTHS_AFTER_START,
            _(
                "The first follow-up examination is done from 9 months after the employment started, that is "
                "from %(date)s. Please apply then."
            ),
        ),
        voucher.FURTHER: (
            "employment",
            "last_examination",
            voucher.FURTHER_MONTHS_AFTER_LAST,
            _(
                "A further follow-up examination is done a year after the last one, that is from %(date)s. "
                "Please apply then."
            ),
        ),
    }


@service_rules.register(YOUTH_EXAMINATION_SERVICE)
def untersuchungsberechtigungsschein(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """The dates of §§ 32–34 JArbSchG: a first examination at most 14 months before the start, the first
    follow-up from nine months after the start, a further one a year after the last."""
    rule = _youth_examination_dates().get(str(answers.get("kind")))
    if rule is None or step_key not in (rule[0], None):
        return []
    _step, key, months, message = rule
    day = dates.parse_iso_date(answers.get(key))
    if day is None:
        return []
    earliest = dates.add_months(day, months)
    if earliest <= dates.today():
        return []
    return [FieldError(key=key, part="day", message=message % {"date": dates.format_day(earliest)})]
