"""Kirchenaustritt: the online preparation of a declaration of leaving a religious community.

The citizen prepares the declaration online (``forms/kirchenaustritt.yaml``), pays the fee and books the
appointment in the same flow (the form's outcome ``book_at_once``); the declaration itself is made in person at
the Standesamt, where it is signed on the prepared declaration (``church_leaving_declaration_pdf``). Staff then
record the day of the declaration on the case page (``church_leaving_record``): that completes the case and
issues the certificate with the effective date, which the citizen gets on the status page and by email.

The rules a form cannot say are here too (``service_rules``): the person who leaves must live in Kassel (in
Hesse the municipality of the main residence is responsible since 1 March 2017), and the declaration is
personal: from 14 a child declares alone, under 14 all who have custody declare, from 12 only with the child's
consent (§ 5 KErzG); nobody declares for someone else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amtsweg.applications.formengine.base import FieldError
from amtsweg.applications.formengine.hooks import service_rules
from amtsweg.applications.journey import CitizenDocument, citizen_documents
from amtsweg.cases.constants import CLOSED_STATUSES, AuditAction, CaseStatus
from amtsweg.cases.errors import CaseError
from amtsweg.cases.hooks import CasePanel, case_hooks
from amtsweg.cases.services import audit_record, case_transition
from amtsweg.catalogue.selectors import address_in_city
from amtsweg.core import dates
from amtsweg.documents.pdf import render_pdf

SLUG = "kirchenaustritt"
ADULT_AGE = 14  # from 14 a child declares alone (§ 5 sentence 1 KErzG)
CONSENT_AGE = 12  # from 12 not against the child's will (§ 5 sentence 2 KErzG)

COMMUNITIES = {
    "roman_catholic": "Römisch-katholische Kirche",
    "protestant_ekkw": "Evangelische Kirche von Kurhessen-Waldeck",
    "protestant_ekhn": "Evangelische Kirche in Hessen und Nassau",
    "old_catholic": "Alt-Katholische Kirche",
    "jewish": "Jüdische Gemeinde",
}


# --- the rules ---------------------------------------------------------------------------------------------


def _age(value: Any) -> int | None:
    birth = dates.parse_iso_date(value)
    return dates.age_on(birth, dates.today()) if birth else None


def _not_resident_message() -> str:
    return _(
        "The person who leaves does not live in %(city)s. The declaration is made where the main residence is: "
        "in Hesse before the municipality (registry office), in other federal states before the registry office "
        "or the local court (Amtsgericht) there."
    ) % {"city": settings.PORTAL["city"]}


def _residence_error(answers: dict[str, Any], key: str) -> list[FieldError]:
    address = answers.get(key)
    if address and not address_in_city(address=address):
        return [FieldError(key=key, part="postcode", message=_not_resident_message())]
    return []


@service_rules.register(SLUG)
def kirchenaustritt(answers: dict[str, Any], step_key: str | None) -> list[FieldError]:
    """Nobody for someone else; the main residence in the city; the ages of § 5 KErzG."""
    errors: list[FieldError] = []
    for_whom = answers.get("for_whom")
    if step_key in ("who", None) and for_whom == "other":
        errors.append(
            FieldError(
                key="for_whom",
                message=_(
                    "Nobody can declare leaving the church for someone else, not even with a power of attorney. "
                    "The person who leaves makes the declaration in person at the registry office, or sends a "
                    "declaration certified by a notary or an Ortsgericht."
                ),
            )
        )
    if step_key in ("person", None) and for_whom == "self":
        errors += _residence_error(answers, "address")
        age = _age(answers.get("birth_date"))
        if age is not None and age < ADULT_AGE:
            errors.append(
                FieldError(
                    key="birth_date",
                    part="day",
                    message=_(
                        "You can declare leaving the church on your own from the age of 14. Until then, your "
                        "parents (everybody with custody) make the declaration; from 12 only with your consent. "
                        "Ask your parents to fill in this form."
                    ),
                )
            )
    if step_key in ("child", None) and for_whom == "child":
        errors += _residence_error(answers, "child_address")
        age = _age(answers.get("child_birth_date"))
        if age is not None and age >= ADULT_AGE:
            errors.append(
                FieldError(
                    key="child_birth_date",
                    part="day",
                    message=_(
                        "Your child is 14 or older and declares leaving the church on their own, in person. "
                        "Parents cannot declare it for them any more. Your child can fill in this form themselves."
                    ),
                )
            )
        if answers.get("all_custodians") is False:
            errors.append(
                FieldError(
                    key="all_custodians",
                    message=_(
                        "For a child under 14, everybody with custody makes the declaration together. If you "
                        "have sole custody, answer yes and bring proof of it to the appointment."
                    ),
                )
            )
    if step_key in ("consent", None) and for_whom == "child" and answers.get("child_consent") is False:
        age = _age(answers.get("child_birth_date"))
        if age is not None and CONSENT_AGE <= age < ADULT_AGE:
            errors.append(
                FieldError(
                    key="child_consent",
                    message=_(
                        "From the age of 12, a child cannot leave the church against their will. Without your "
                        "child's consent the declaration is not possible."
                    ),
                )
            )
    if step_key in ("ward", None) and for_whom == "ward":
        errors += _residence_error(answers, "ward_address")
        age = _age(answers.get("ward_birth_date"))
        if answers.get("representative_kind") == "vormund" and age is not None and age >= ADULT_AGE:
            errors.append(
                FieldError(
                    key="ward_birth_date",
                    part="day",
                    message=_(
                        "From the age of 14, a young person declares leaving the church on their own, in person. "
                        "A guardian cannot declare it for them."
                    ),
                )
            )
    return errors


# --- reading the answers -----------------------------------------------------------------------------------


def _name(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    name = " ".join(filter(None, [value.get("given_names", ""), value.get("family_name", "")]))
    if value.get("birth_name"):
        born_as = _("née")
        name += f" ({born_as} {value['birth_name']})"
    return name


def _address(value: Any) -> str:
    if not isinstance(value, dict):
        return ""
    street = " ".join(filter(None, [value.get("street", ""), value.get("number", "")]))
    town = " ".join(filter(None, [value.get("postcode", ""), value.get("town", "")]))
    return ", ".join(filter(None, [street, town]))


def _day(value: Any) -> str:
    day = dates.parse_iso_date(value)
    return dates.format_day(day) if day else ""


def church_leaving_person(*, answers: dict[str, Any]) -> dict[str, str]:
    """The person who leaves (the citizen, their child or the person they represent), for the documents."""
    for_whom = answers.get("for_whom")
    prefix = {"child": "child_", "ward": "ward_"}.get(str(for_whom), "")
    return {
        "name": _name(answers.get(f"{prefix}name")),
        "birth_date": _day(answers.get(f"{prefix}birth_date")),
        "birth_place": str(answers.get(f"{prefix}birth_place") or ""),
        "address": _address(answers.get(f"{prefix}address")),
    }


def church_leaving_community(*, answers: dict[str, Any]) -> str:
    community = answers.get("community")
    if community == "other":
        return str(answers.get("community_other") or "")
    return COMMUNITIES.get(str(community), "")


def _context(submission: Any) -> dict[str, Any]:
    answers = submission.answers or {}
    department = submission.service.department
    location = getattr(department, "main_location", None)
    age = _age(answers.get("child_birth_date")) if answers.get("for_whom") == "child" else None
    return {
        "submission": submission,
        "reference": submission.reference,
        "for_whom": answers.get("for_whom"),
        "person": church_leaving_person(answers=answers),
        "declarant": {
            "name": _name(answers.get("name")),
            "birth_date": _day(answers.get("birth_date")),
            "address": _address(answers.get("address")),
        },
        "representative_kind": answers.get("representative_kind", ""),
        "child_consent_needed": age is not None and CONSENT_AGE <= age < ADULT_AGE,
        "community": church_leaving_community(answers=answers),
        "baptism_place": answers.get("baptism_place") or "",
        "baptism_date": _day(answers.get("baptism_date")),
        "department": department,
        "office_address": ", ".join(
            filter(None, [location.street, " ".join(filter(None, [location.postcode, location.city]))])
        )
        if location
        else "",
        "city": settings.PORTAL["city"],
    }


# --- the documents -----------------------------------------------------------------------------------------


def church_leaving_declaration_pdf(*, submission: Any) -> bytes:
    """The prepared declaration, in German, signed at the counter: the person, the community, the lines for
    the signatures, the reference number. Made on request and not stored."""
    with translation.override("de"):
        return render_pdf(
            template_name="civil_status/pdf/church_leaving_declaration.html",
            context={**_context(submission), "today": dates.today()},
        )


def church_leaving_certificate_pdf(*, submission: Any, declared_on: dt.date) -> bytes:
    """The Bescheinigung über den Kirchenaustritt with its effective date (the day of the declaration)."""
    with translation.override("de"):
        return render_pdf(
            template_name="civil_status/pdf/church_leaving_certificate.html",
            context={
                **_context(submission),
                "declared_on": dates.format_day(declared_on),
                "issued_on": dates.format_day(dates.today()),
            },
        )


def church_leaving_record(*, case: Any, actor: Any, declared_on: dt.date) -> Any:
    """Record that the declaration was made at the counter on ``declared_on``: the certificate with that
    effective date is issued and attached to the case's completion, which the citizen sees on the status page
    and gets by email. One transaction: without the completion no certificate, and the other way round."""
    if case.service.slug != SLUG:
        raise CaseError(_("This case is not a declaration of leaving the church."))
    if case.status in CLOSED_STATUSES:
        raise CaseError(_("This case is closed. The declaration was already recorded or the case was ended."))
    if declared_on > dates.today():
        raise CaseError(_("The day of the declaration cannot be in the future."))
    if declared_on < timezone.localdate(case.submission.submitted_at):
        raise CaseError(_("The day of the declaration cannot be before the application was sent."))
    pdf = church_leaving_certificate_pdf(submission=case.submission, declared_on=declared_on)
    with translation.override(case.submission.language or settings.LANGUAGE_CODE):
        message = _(
            "You declared leaving the church on %(day)s. It took effect at the end of that day; church tax ends at "
            "the end of that month. Your certificate is attached. Please keep it: it is your proof that you have "
            "left, for example for the tax office or your employer."
        ) % {"day": dates.format_day(declared_on)}
    with transaction.atomic():
        if case.status == CaseStatus.RECEIVED:
            case = case_transition(case=case, to_status=CaseStatus.IN_PROGRESS, actor=actor)
        case = case_transition(
            case=case,
            to_status=CaseStatus.COMPLETED,
            actor=actor,
            message=message,
            files=[ContentFile(pdf, name=f"kirchenaustritt-bescheinigung-{case.reference}.pdf")],
        )
        audit_record(
            actor=actor,
            action=AuditAction.PRINT_DOCUMENT,
            case=case,
            detail=f"Kirchenaustritt erklärt am {declared_on.isoformat()}: Bescheinigung ausgestellt",
        )
    return case


@citizen_documents.register(SLUG)
def declaration_link(*, submission: Any) -> list[CitizenDocument]:
    """The prepared declaration, on the confirmation and status pages, while the case is open."""
    case = getattr(submission, "case", None)
    if case is None or case.status in CLOSED_STATUSES:
        return []
    return [
        CitizenDocument(
            title=_("Your prepared declaration to sign at the registry office (PDF)"),
            url=reverse("civil_status:church_leaving_declaration", kwargs={"uuid": submission.uuid}),
        )
    ]


@case_hooks.staff_panel
def church_leaving_panel(*, case: Any, user: Any) -> CasePanel | None:
    """The prepared declaration to print, and the form that records the declaration made at the counter."""
    if case.service.slug != SLUG:
        return None
    completion = case.events.filter(to_status=CaseStatus.COMPLETED).order_by("-at").first()
    return CasePanel(
        template="civil_status/_case_church_leaving.html",
        context={
            "case": case,
            "open": case.status not in CLOSED_STATUSES,
            "today": dates.today().isoformat(),
            "completion": completion,
            "certificate": completion.attachments.first() if completion else None,
        },
    )
