"""The document the citizen gets at once with an approval, sealed like the Meldebescheinigung.

An approved registration (new registration, transfer, re-registration) gets the **provisional proof of
registration** (vorläufiger Zulassungsnachweis, § 32 FZV) with the decision itself (Zulassungsbescheid) in one
PDF: the proof on the first page, to lay in the vehicle, with the authority, the application number, the
plate, the vehicle, the keeper, the decision date and its end date (ten days); the decision on the second.
With both printed, the vehicle may be driven in Germany at once (§ 31 FZV) until the registration
certificate part I and the plate seals come by post (``dispatch.py``). An approved deregistration gets the
**confirmation of the deregistration** (Bestätigung der Außerbetriebsetzung), with the plate's reservation if
one was asked for.

Both are German (as the register is), tagged PDFs with the city's seal and the QR code of their check
address (``documents.services.sealed_document_issue``): /pruefen/ confirms them like a Meldebescheinigung.
The sealed document's own download copy lasts an hour; the application keeps the PDF (``proof_pdf``), so the
citizen can download it from the status page for as long as the case is kept, and it is deleted with the case.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from amtsweg.applications.references import counter_next, reference_format
from amtsweg.catalogue.money import format_cents
from amtsweg.core import dates
from amtsweg.documents.models import SealedDocument
from amtsweg.documents.pdf import render_pdf
from amtsweg.documents.qr import qr_svg
from amtsweg.documents.storage import private_file_write, private_files_delete
from amtsweg.payments.models import Payment

from .constants import PROVISIONAL_PROOF_DAYS, ApplicationState, Transaction
from .models import VehicleApplication
from .selectors import application_gets_seals

logger = logging.getLogger(__name__)

PROOF_TITLE = "Vorläufiger Zulassungsnachweis"
DEREGISTRATION_TITLE = "Bestätigung der Außerbetriebsetzung"
REGISTRATIONS = frozenset({Transaction.NEW_REGISTRATION, Transaction.TRANSFER, Transaction.REREGISTRATION})
# A plate reserved with a deregistration is kept for the keeper this long (GebOSt 230; domain-facts-wave2 D).
RESERVATION_MONTHS = 3


@dataclass(frozen=True)
class Row:
    label: str
    value: str


def _name(answers: Mapping[str, Any]) -> str:
    name = answers.get("name")
    if not isinstance(name, Mapping):
        return ""
    return " ".join(" ".join(str(name.get(key) or "") for key in ("given_names", "family_name")).split())


def _address_lines(answers: Mapping[str, Any]) -> list[str]:
    address = answers.get("address")
    if not isinstance(address, Mapping):
        return []
    street = " ".join(filter(None, [str(address.get("street") or ""), str(address.get("number") or "")]))
    town = " ".join(filter(None, [str(address.get("postcode") or ""), str(address.get("town") or "")]))
    return [line for line in (street, town) if line]


def _day(value: datetime.date) -> str:
    return value.strftime("%d.%m.%Y")


def _moment(value: datetime.datetime) -> str:
    local = timezone.localtime(value)
    return f"{local:%d.%m.%Y} um {local:%H:%M} Uhr"


def authority_name() -> str:
    """The joint registration authority, as the documents name it (German, as they are)."""
    return f"Kfz-Zulassungsbehörde für Stadt und Landkreis {settings.PORTAL['city']}"


def office_lines(*, office: str) -> list[str]:
    """The office's name and address from the catalogue (location ``kfz-<office>``), German."""
    from amtsweg.catalogue.models import Location

    location = Location.objects.filter(slug=f"kfz-{office}").first()
    if location is None:
        return []
    with translation.override("de"):
        town = " ".join(filter(None, [location.postcode, location.city]))
        # Without a street the town alone says nothing the office's name does not ("… Kassel, Kassel").
        address = ", ".join([location.street, town]) if location.street else ""
        return [line for line in (str(location.name), address) if line]


def valid_until_of(*, application: VehicleApplication) -> datetime.date:
    """The proof's end date: the one recorded with the decision, else ten days from the decision's day."""
    if application.valid_until is not None:
        return application.valid_until
    decided = application.decided_at or timezone.now()
    return timezone.localdate(decided) + datetime.timedelta(days=PROVISIONAL_PROOF_DAYS)


# --- what the documents show ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Facts:
    """Everything the documents print, in German, read once from the application, its case and submission."""

    kind: str  # "proof" or "deregistration"
    title: str
    application_number: str
    reference: str
    transaction: str
    plate: str
    vin: str
    keeper: str
    keeper_address: list[str]
    authority_lines: list[str]
    decided_at: datetime.datetime
    valid_until: datetime.date
    submitted_on: datetime.date | None
    fee: str
    answers: Mapping[str, Any]
    registry_answer: Mapping[str, Any]
    seals: bool  # new plate seals come by post (selectors.application_gets_seals)


def facts_of(*, application: VehicleApplication) -> Facts:
    case = application.case
    submission = case.submission
    answers: Mapping[str, Any] = submission.answers or {}
    registry_answer: Mapping[str, Any] = application.answer or {}
    deregistration = application.transaction == Transaction.DEREGISTRATION
    fee = ""
    payment = Payment.objects.filter(submission=submission, paid_at__isnull=False).first()
    if payment is not None and payment.amount_cents:
        fee = format_cents(payment.amount_cents, language="de")
    return Facts(
        kind="deregistration" if deregistration else "proof",
        seals=application_gets_seals(application=application),
        title=DEREGISTRATION_TITLE if deregistration else PROOF_TITLE,
        application_number=application.number or case.reference,
        reference=case.reference,
        transaction=application.transaction,
        plate=application.plate or str(answers.get("plate") or ""),
        vin=str(answers.get("vin") or registry_answer.get("vin") or ""),
        keeper=_name(answers) or case.applicant_name,
        keeper_address=_address_lines(answers),
        authority_lines=[authority_name(), *office_lines(office=application.office)],
        decided_at=application.decided_at or timezone.now(),
        valid_until=valid_until_of(application=application),
        submitted_on=timezone.localdate(submission.submitted_at) if submission.submitted_at else None,
        fee=fee,
        answers=answers,
        registry_answer=registry_answer,
    )


DECISION_HEADINGS: dict[str, str] = {
    Transaction.NEW_REGISTRATION: "Bescheid über die Zulassung Ihres Fahrzeugs",
    Transaction.TRANSFER: "Bescheid über die Umschreibung Ihres Fahrzeugs",
    Transaction.REREGISTRATION: "Bescheid über die Wiederzulassung Ihres Fahrzeugs",
}


def decision_heading(transaction_: str) -> str:
    """The decision's title by transaction (German, as the document is)."""
    return DECISION_HEADINGS.get(transaction_, "Bescheid über Ihren Antrag")


def _vehicle_rows(*, facts: Facts) -> list[Row]:
    """The rows both documents begin with: authority, application, plate, VIN and keeper (call in German)."""
    rows = [
        Row(_("Registration authority"), ", ".join(facts.authority_lines[:2])),
        Row(_("Application number"), facts.application_number),
        Row(_("Number plate"), facts.plate),
    ]
    if facts.vin:
        rows.append(Row(_("Vehicle identification number (VIN)"), facts.vin))
    return [*rows, Row(_("Keeper"), facts.keeper)]


def proof_rows(*, facts: Facts) -> list[Row]:
    """What the provisional proof shows (§ 32 FZV), in German."""
    with translation.override("de"):
        rows = _vehicle_rows(facts=facts)
        rows += [
            Row(_("Date of the decision"), _moment(facts.decided_at)),
            Row(_("Valid until"), _("%(day)s (inclusive)") % {"day": _day(facts.valid_until)}),
        ]
        return rows


def deregistration_rows(*, facts: Facts) -> list[Row]:
    """What the confirmation of a deregistration shows, in German."""
    answers = facts.answers
    with translation.override("de"):
        rows = _vehicle_rows(facts=facts)
        rows += [
            Row(_("Taken off the road on"), _moment(facts.decided_at)),
        ]
        recycled_on = dates.parse_iso_date(answers.get("recycling_date"))
        if answers.get("scrapped") is True and recycled_on is not None:
            company = str(answers.get("recycling_company") or "")
            text = _("Certificate of destruction of %(day)s") % {"day": _day(recycled_on)}
            if company:
                text += ", " + _("dismantling company no. %(number)s") % {"number": company}
            rows.append(Row(_("Scrapped"), text))
        if answers.get("reserve_plate") is True:
            rows.append(Row(_("Reservation of the plate"), reservation_text(facts=facts)))
        return rows


def reservation_text(*, facts: Facts) -> str:
    """The plate's reservation, in the active language: until the registry's date, else three months."""
    until = dates.parse_iso_date(facts.registry_answer.get("reserved_until"))
    if until is None:
        until = dates.add_months(timezone.localdate(facts.decided_at), RESERVATION_MONTHS)
    return _("The plate %(plate)s is reserved for you until %(day)s.") % {"plate": facts.plate, "day": _day(until)}


# --- the PDF ------------------------------------------------------------------------------------------------


def pdf(*, document: SealedDocument, facts: Facts) -> bytes:
    """The document as a tagged PDF (German) with the QR code of its check address; not yet sealed."""
    from amtsweg.documents.services import sealed_document_check_url

    check_url = sealed_document_check_url(document=document)
    context: dict[str, Any] = {
        "title": facts.title,
        "number": document.number,
        "city": settings.PORTAL["city"],
        "authority_lines": facts.authority_lines,
        "facts": facts,
        "issued_at": _moment(document.issued_at),
        "check_url": check_url,
        "qr": qr_svg(text=check_url),
        "plate": facts.plate,
        "valid_until": _day(facts.valid_until),
        "decided_on": _day(timezone.localdate(facts.decided_at)),
        "submitted_on": _day(facts.submitted_on) if facts.submitted_on else "",
    }
    with translation.override("de"):
        if facts.kind == "deregistration":
            context["rows"] = deregistration_rows(facts=facts)
            return render_pdf(template_name="vehicles/pdf/deregistration.html", context=context)
        context["rows"] = proof_rows(facts=facts)
        context["decision_heading"] = decision_heading(facts.transaction)
        context["dispatch_days"] = settings.VEHICLE_DOCUMENTS["dispatch_days"]
        context["seals"] = facts.seals
        return render_pdf(template_name="vehicles/pdf/provisional_proof.html", context=context)


def _document_number(*, prefix: str) -> str:
    year = timezone.localdate().year
    return reference_format(prefix=prefix, year=year, number=counter_next(prefix=prefix, year=year))


# --- issuing --------------------------------------------------------------------------------------------------


def provisional_proof_issue(*, application: VehicleApplication) -> SealedDocument | None:
    """Issue the document of an approved application: the provisional proof of registration with the decision
    (registrations), or the confirmation of the deregistration. For a registration, tell the citizen by a
    message on the status page and by email (``cases.services.case_message_send``: the end date, no other
    personal data).

    Call it inside the transaction that records the approval, after setting the state (approved), number,
    plate, decided_at and valid_until. Idempotent: an application that has its document keeps it, and the
    citizen is told once. Returns the sealed document, or None when there is nothing to issue (not approved)
    or it cannot be issued now (no seal configured: logged; the status page's download issues it later).
    """
    from amtsweg.documents.seal import SealUnavailable, seal_available
    from amtsweg.documents.services import sealed_document_issue

    if application.state != ApplicationState.APPROVED:
        return None
    if not seal_available():
        logger.error("the seal is not configured: the document of an approved vehicle application waits")
        return None
    config = settings.VEHICLE_DOCUMENTS
    with transaction.atomic():
        locked = (
            VehicleApplication.objects.select_for_update(of=("self",))
            .select_related("case", "case__submission", "proof")
            .get(pk=application.pk)
        )
        if locked.proof_pdf:
            application.proof, application.proof_pdf = locked.proof, locked.proof_pdf
            return locked.proof
        # What D1's transaction set on its instance and may not have saved yet.
        for name in ("state", "number", "plate", "decided_at", "valid_until"):
            setattr(locked, name, getattr(application, name))
        facts = facts_of(application=locked)
        deregistration = facts.kind == "deregistration"
        prefix = config["deregistration_number_prefix" if deregistration else "proof_number_prefix"]
        number = _document_number(prefix=prefix)
        try:
            issued = sealed_document_issue(
                number=number,
                title=facts.title,
                issuer=f"Stadt {settings.PORTAL['city']}, {authority_name()}",
                render_pdf=lambda document: pdf(document=document, facts=facts),
                check_days=config["check_days"],
                seal_reason=f"{facts.title} {number}",
                seal_location=settings.PORTAL["city"],
            )
        except SealUnavailable as error:
            logger.error("the seal is not usable: %s", error)
            return None
        name = private_file_write(data=issued.pdf, suffix=".pdf")
        # The application keeps the PDF; the sealed document's own download copy is not needed.
        private_files_delete(names=[issued.document.pdf_file])
        SealedDocument.objects.filter(pk=issued.document.pk).update(pdf_file="")
        valid_until = None if deregistration else facts.valid_until
        VehicleApplication.objects.filter(pk=locked.pk).update(
            proof=issued.document, proof_pdf=name, valid_until=valid_until
        )
        application.proof, application.proof_pdf, application.valid_until = issued.document, name, valid_until
        _citizen_tell(application=locked, facts=facts)
        return issued.document


def _citizen_tell(*, application: VehicleApplication, facts: Facts) -> None:
    """The message on the status page (and its email) that the citizen may drive now. A deregistration's case is
    completed with the decision (``services.vehicle_decision_record``), whose email says it: no second one."""
    from amtsweg.cases.services import case_message_send

    if facts.kind == "deregistration":
        return
    case = application.case
    with translation.override(case.submission.language or settings.LANGUAGE_CODE):
        text = _(
            "Your application has been approved: you may drive the vehicle from now on, in Germany only. "
            "Download the provisional proof of registration with the decision from your status page, print "
            "it and keep it in the vehicle. It is valid until %(day)s."
        ) % {"day": dates.format_day(facts.valid_until)}
        if facts.seals:
            text += " " + _("The registration certificate part I and the plate seals come by post.")
        else:
            text += " " + _("The registration certificate part I comes by post.")
    case_message_send(case=case, actor=None, text=text)


def proof_filename(*, application: VehicleApplication) -> str:
    """The download's file name (no personal data: the case's reference number)."""
    stem = "ausserbetriebsetzung" if application.transaction == Transaction.DEREGISTRATION else "zulassungsnachweis"
    return f"{stem}-{application.case.reference}.pdf"
