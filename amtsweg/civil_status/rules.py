"""Rules of the Standesamt's services that a form definition cannot say declaratively.

The certificate orders (Geburts-, Ehe-, Lebenspartnerschafts- and Sterbeurkunde)
share one set of rules, parametrised by the kind of register entry; the legal
decisions are in ``entitlement.py``. A rule that stops an order tells the citizen
why and where to go instead (the registry office of another town, the city
archive, the Standesamt in person): the form engine shows it as the field's error.
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from amtsweg.applications.formengine.base import FieldError
from amtsweg.applications.formengine.hooks import service_rules
from amtsweg.catalogue.selectors import address_in_city
from amtsweg.core import dates

from . import death_notice, entitlement


@service_rules.register("sterbefall-voranzeige")
def sterbefall_voranzeige(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """A death elsewhere goes to that town's Standesamt (§ 28 PStG); the death cannot precede the birth nor lie
    in the future; the place of death must be in the registry district."""
    errors: list[FieldError] = []
    if step_key in ("elsewhere", None) and answers.get("death_in_city") is False:
        errors.append(FieldError(key="death_town", message=death_elsewhere_message(answers.get("death_town"))))
    # "deceased": a draft of version 2 asked the place of death on that step.
    if step_key in ("death", "deceased", None):
        if death_notice.time_in_future(answers):
            errors.append(FieldError(key="death_time", message=_("The time of death must not be in the future")))
        address = answers.get("death_address")
        if address and not address_in_city(address=address):
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
    if step_key in ("deceased", None):
        birth, death = answers.get("deceased_birth_date"), answers.get("death_date")
        if birth and death and str(death) < str(birth):
            errors.append(
                FieldError(
                    key="deceased_birth_date",
                    part="day",
                    message=_("The date of birth must be before the date of death"),
                )
            )
    return errors


def death_elsewhere_message(town: Any) -> str:
    """Why a death outside the city cannot be reported here, and where to go instead (§ 28 PStG)."""
    city = settings.PORTAL["city"]
    place = str(town or "").strip()[:100]
    if place and entitlement.in_registry_district(place):
        return _(
            "%(place)s is in %(city)s. Go back and answer “Yes” to the question whether the person died in %(city)s."
        ) % {"place": place, "city": city}
    return _(
        "A death is reported to the registry office (Standesamt) of the place where the person died. Please "
        "report it to the registry office in %(place)s. You can find it at %(finder)s or by calling %(hotline)s."
    ) % {
        "place": place or _("that town"),
        "finder": settings.CIVIL_STATUS_DEATH_NOTICE["finder_url"],
        "hotline": settings.PORTAL["hotline"],
    }


# --- certificate orders ---------------------------------------------------------

CERTIFICATE_SERVICES = {
    "geburtsurkunde": "birth",
    "eheurkunde": "marriage",
    "lebenspartnerschaftsurkunde": "partnership",
    "sterbeurkunde": "death",
}


def _registry_office_contact(slug: str) -> str:
    """The Standesamt's email and the city's service number, from the catalogue and the portal settings."""
    from amtsweg.catalogue.models import Service

    service = Service.objects.select_related("department").filter(slug=slug).first()
    email = service.department.email if service is not None else ""
    hotline = settings.PORTAL["hotline"]
    if email:
        return _("email %(email)s or phone %(hotline)s") % {"email": email, "hotline": hotline}
    return _("phone %(hotline)s") % {"hotline": hotline}


def _archive_message(kind: str) -> str:
    archive = settings.CIVIL_STATUS_ARCHIVE
    return _(
        "The registry office keeps these entries for %(years)s years. Older entries are kept by the "
        "%(archive)s. Please ask the archive for the certificate: %(address)s, phone %(phone)s, "
        "email %(email)s."
    ) % {
        "years": entitlement.retention_years(kind),
        "archive": archive["name"],
        "address": archive["address"],
        "phone": archive["phone"],
        "email": archive["email"],
    }


def certificate_order_errors(slug: str, kind: str, answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """The errors of a certificate order for one step (``step_key``) or the whole form (None)."""

    def at(*steps: str) -> bool:
        return step_key is None or step_key in steps

    errors: list[FieldError] = []
    if at("adoption", "adoptive_parent") and kind == "birth" and entitlement.adoption_blocks(answers):
        key = "adoptive_parent" if answers.get("relationship") == "ancestor" else "adopted"
        errors.append(
            FieldError(
                key=key,
                message=_(
                    "After an adoption, only the adoptive parents, their parents and the adopted person from the "
                    "age of 16 can get the birth certificate (section 63 of the Civil Status Act). We cannot "
                    "check this online. Please contact the registry office: %(contact)s."
                )
                % {"contact": _registry_office_contact(slug)},
            )
        )
    if at("interest"):
        missing = entitlement.missing_interest(answers, kind=kind)
        if missing == "reason":
            errors.append(
                FieldError(
                    key="reason",
                    message=_(
                        "Tell us what you need the certificate for. Brothers and sisters can only get a "
                        "certificate if they have a legitimate interest."
                    ),
                )
            )
        elif missing == "legal_reason":
            errors.append(
                FieldError(
                    key="legal_reason",
                    message=_(
                        "Tell us your legal interest. Without a legal interest we cannot send you another "
                        "person's certificate."
                    ),
                )
            )
        elif missing == "proof":
            errors.append(FieldError(key="proof", message=_("Upload a proof of your legal interest")))
    if at("applicant") and entitlement.too_young(answers):
        errors.append(
            FieldError(
                key="applicant_birth_date",
                part="day",
                message=_(
                    "You must be at least 16 years old to order a civil-status certificate. A parent or your "
                    "legal representative can order it for you."
                ),
            )
        )
    if at("entry"):
        errors += _entry_errors(kind, answers)
    newborn_order = answers.get("newborn") is True and "extra_copies" in answers
    if at("order") and newborn_order and entitlement.total_copies(answers) < 1:
        errors.append(
            FieldError(
                key="extra_copies",
                message=_("Choose at least one free certificate or order at least one further certificate"),
            )
        )
    return errors


def _entry_errors(kind: str, answers: dict[str, Any]) -> list[FieldError]:
    errors: list[FieldError] = []
    place = answers.get("event_place")
    if not entitlement.in_registry_district(place):
        errors.append(
            FieldError(
                key="event_place",
                message=_(
                    "We can only issue certificates for entries of the registry office in %(city)s. Please "
                    "order the certificate from the registry office (Standesamt) in %(place)s. If %(place)s is "
                    "a part of %(city)s, enter %(city)s."
                )
                % {"city": settings.PORTAL["city"], "place": str(place).strip()[:100]},
            )
        )
    # A death before the birth is refused by the form's declarative check (forms/sterbeurkunde.yaml).
    event = dates.parse_iso_date(answers.get("event_date"))
    if entitlement.in_archive(answers, kind=kind):
        errors.append(FieldError(key="event_date", part="day", message=_archive_message(kind)))
    elif kind == "birth" and answers.get("newborn") is True and event and not entitlement.is_newborn(event):
        errors.append(
            FieldError(
                key="event_date",
                part="day",
                message=_(
                    "The free first certificates are for a child born in the last %(days)s days. For an older "
                    "child, go back and answer “No” to the question about a newborn."
                )
                % {"days": settings.CIVIL_STATUS_NEWBORN_MAX_DAYS},
            )
        )
    return errors


def _register(slug: str, kind: str) -> None:
    def rule(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
        return certificate_order_errors(slug, kind, answers, step_key)

    rule.__qualname__ = f"certificate_order_{kind}"
    service_rules.register(slug)(rule)


for _slug, _kind in CERTIFICATE_SERVICES.items():
    _register(_slug, _kind)


# --- Voranfrage zur Einbürgerung ------------------------------------------------------

NATURALISATION_CONVICTION_STEPS = ("conviction_1", "conviction_2", "conviction_3")


@service_rules.register("einbuergerung-voranfrage")
def einbuergerung_voranfrage(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """A fine needs its daily rates, a prison sentence its months: the self-check adds them up (§ 12a StAG)."""
    errors: list[FieldError] = []
    for step in NATURALISATION_CONVICTION_STEPS:
        if step_key not in (step, None):
            continue
        kind = answers.get(f"{step}_kind")
        if kind == "fine" and not answers.get(f"{step}_daily_rates"):
            errors.append(
                FieldError(key=f"{step}_daily_rates", message=_("Enter the number of daily rates of the fine"))
            )
        if kind in ("suspended", "prison") and not answers.get(f"{step}_months"):
            errors.append(
                FieldError(key=f"{step}_months", message=_("Enter the length of the prison sentence in months"))
            )
    return errors
