"""The Untersuchungsberechtigungsschein (§§ 32–35 JArbSchG) as a document: who may have one, its data rows,
its PDF, and the Erhebungsbogen that goes with it.

A young person of 14 to 17 whose main residence is in the city has the youth employment medical
examination with a doctor of their choice; the Land pays the doctor, who bills it with this voucher
(§ 44 JArbSchG). The voucher names the young person as the register holds them (one audited read,
``services.youth_examination_issue``), the kind of examination and its section, and carries the city's
seal and the QR code of its check address like the Meldebescheinigung. The Erhebungsbogen is the
questionnaire about the young person's health that they and their parents fill in for the doctor: a blank
form, the same for everyone, so it carries no personal data and is public.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from amtsweg.core import dates
from amtsweg.documents.models import SealedDocument
from amtsweg.documents.pdf import render_pdf
from amtsweg.documents.qr import qr_svg
from amtsweg.documents.services import sealed_document_check_url

from .meldebescheinigung import Row, address_text
from .register import fields
from .register.base import RegisterRecord

FIRST = "first"
FIRST_FOLLOW_UP = "first_follow_up"
FURTHER = "further"
EXTRAORDINARY = "extraordinary"
# The kinds of examination, as the voucher names them (German, as the document is), with their section.
KINDS = {
    FIRST: ("Erstuntersuchung", "§ 32 JArbSchG"),
    FIRST_FOLLOW_UP: ("Erste Nachuntersuchung", "§ 33 JArbSchG"),
    FURTHER: ("Weitere Nachuntersuchung", "§ 34 JArbSchG"),
    EXTRAORDINARY: ("Außerordentliche Nachuntersuchung", "§ 35 JArbSchG"),
}
# Issued at once: the first examination needs no evidence. The others need the employer's confirmation or
# the doctor's order, which the Bürgerbüro checks first.
AT_ONCE = frozenset({FIRST})
ITEMS = (fields.FAMILY_NAME, fields.GIVEN_NAMES, fields.BIRTH_DATE, fields.MAIN_ADDRESS)

# Who may have one: "Jugendliche" under the law are 15 to 17; the voucher is issued from 14, when the first
# apprenticeship is prepared (domain-facts-wave2.md B6).
MIN_AGE, MAX_AGE = 14, 17
# § 32(1): the first examination may be at most 14 months old when the employment starts.
FIRST_MONTHS_BEFORE_START = 14
# § 33(1): a year after the employment started, the follow-up examination may be at most three months old,
# so it is done from nine months after the start.
FIRST_FOLLOW_UP_MONTHS_AFTER_START = 9
# § 34: a further follow-up after each further year since the last one.
FURTHER_MONTHS_AFTER_LAST = 12

TITLE = "Untersuchungsberechtigungsschein"


def eligible(*, birth_date: str, on: datetime.date) -> bool:
    """Whether a person born on ``birth_date`` (ISO) may have a voucher on ``on``."""
    born = dates.parse_iso_date(birth_date)
    return born is not None and MIN_AGE <= dates.age_on(born, on) <= MAX_AGE


def _date(value: object) -> str:
    day = dates.parse_iso_date(value)
    return day.strftime("%d.%m.%Y") if day is not None else str(value or "")


def rows(*, record: RegisterRecord, kind: str, employer: str) -> list[Row]:
    """What the voucher shows, in German: the young person from the register, the examination, the employer."""
    get = record.get
    with translation.override("de"):
        label = {number: str(text) for number, text in fields.LABELS.items()}
        name, section = KINDS[kind]
        shown = [
            Row(label[fields.FAMILY_NAME], str(get(fields.FAMILY_NAME, ""))),
            Row(label[fields.GIVEN_NAMES], str(get(fields.GIVEN_NAMES, ""))),
            Row(label[fields.BIRTH_DATE], _date(get(fields.BIRTH_DATE, ""))),
            Row(label[fields.MAIN_ADDRESS], address_text(get(fields.MAIN_ADDRESS))),
            Row("Art der Untersuchung", f"{name} ({section})"),
        ]
        if employer:
            shown.append(Row("Arbeitgeber oder Ausbildungsbetrieb", employer))
    return shown


def pdf(*, document: SealedDocument, rows_: Sequence[Row], issuer_lines: Sequence[str]) -> bytes:
    """The voucher as a tagged PDF (German), with the QR code of its check address; not yet sealed."""
    check_url = sealed_document_check_url(document=document)
    local = timezone.localtime(document.issued_at)
    with translation.override("de"):
        return render_pdf(
            template_name="residents/pdf/untersuchungsberechtigungsschein.html",
            context={
                "title": TITLE,
                "rows": rows_,
                "issuer_lines": issuer_lines,
                "city": settings.PORTAL["city"],
                "state": settings.PORTAL["state"],
                "number": document.number,
                "issued_at": f"{local:%d.%m.%Y} um {local:%H:%M}",
                "check_url": check_url,
                "qr": qr_svg(text=check_url),
            },
        )


# The Erhebungsbogen's questions. For the department to check against the Land's official form: the sources
# name the questionnaire, not its wording.
QUESTIONNAIRE_PERSONAL = (
    _("Name and given names"),
    _("Date of birth"),
    _("School you go or went to, and your last class"),
    _("The job or apprenticeship you start or do"),
)
QUESTIONNAIRE_SECTIONS = (
    (
        _("Illnesses and complaints"),
        (
            _("Have you had a serious or long illness?"),
            _("Do you have asthma, hay fever or another allergy?"),
            _("Do you have a skin disease, for example eczema?"),
            _("Have you ever had seizures or fainted?"),
            _("Do you often have headaches, back pain or joint pain?"),
            _("Do you have a heart condition, diabetes or another long-term illness?"),
        ),
    ),
    (
        _("Treatment"),
        (
            _("Do you take medicine regularly?"),
            _("Have you had an operation or a serious accident?"),
            _("Are you being treated by a doctor or therapist at the moment?"),
        ),
    ),
    (
        _("Seeing, hearing, moving"),
        (
            _("Do you wear glasses or contact lenses?"),
            _("Do you have difficulty hearing?"),
            _("Is there anything you cannot do in sport or at school for health reasons?"),
        ),
    ),
)


def questionnaire_pdf() -> bytes:
    """The Erhebungsbogen: a blank questionnaire for the young person and their parents (German)."""
    with translation.override("de"):
        return render_pdf(
            template_name="residents/pdf/erhebungsbogen.html",
            context={
                "city": settings.PORTAL["city"],
                "personal": [str(label) for label in QUESTIONNAIRE_PERSONAL],
                "sections": [
                    {"title": str(title), "questions": [str(question) for question in questions]}
                    for title, questions in QUESTIONNAIRE_SECTIONS
                ],
            },
        )
