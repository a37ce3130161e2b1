"""The Meldebescheinigung (§ 18 BMG) as a document: its data rows, its PDF and its machine-readable record.

Everything on it comes from one register read (``services.meldebescheinigung_issue``), never from what
the citizen typed. The simple certificate shows the items of § 18(1) BMG (``fields.CERTIFICATE_SIMPLE``),
the extended one those of § 18(2) (``fields.CERTIFICATE_EXTENDED``). The document is German, as the
register is; the machine-readable record (§ 18a BMG) lists the same items by their DSMeld numbers with
the time they were read.

Ordered on paper, the certificate is printed by the Bürgerbüro (``paper_pdf``, ``services.meldebescheinigung_print``)
from a register read at the time of printing, unsealed: it is signed and stamped by hand and posted to the
main address of the person who ordered it.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from amtsweg.documents.models import SealedDocument
from amtsweg.documents.pdf import render_pdf
from amtsweg.documents.qr import qr_svg
from amtsweg.documents.services import sealed_document_check_url

from .register import fields
from .register.base import RegisterRecord

SIMPLE = "simple"
EXTENDED = "extended"
KINDS = (SIMPLE, EXTENDED)
ITEMS = {SIMPLE: fields.CERTIFICATE_SIMPLE, EXTENDED: fields.CERTIFICATE_EXTENDED}
# What the envelope of a paper certificate needs of the person who ordered it.
RECIPIENT_ITEMS = (fields.DOCTORATE, fields.GIVEN_NAMES, fields.FAMILY_NAME, fields.MAIN_ADDRESS)
SEX = {"w": "weiblich", "m": "männlich", "d": "divers", "x": "ohne Angabe"}


@dataclass(frozen=True)
class Row:
    label: str
    value: str


def title(kind: str) -> str:
    """The document's title as printed (German, as the document is)."""
    return "Erweiterte Meldebescheinigung" if kind == EXTENDED else "Meldebescheinigung"


def _date(value: Any) -> str:
    try:
        day = datetime.date.fromisoformat(str(value))
    except ValueError:
        return str(value)
    return day.strftime("%d.%m.%Y")


def address_text(value: Any) -> str:
    if not isinstance(value, Mapping):
        return str(value or "")
    street = " ".join(filter(None, [str(value.get("street", "")), str(value.get("house_number", ""))]))
    town = " ".join(filter(None, [str(value.get("postcode", "")), str(value.get("town", ""))]))
    return ", ".join(filter(None, [street, town]))


def _list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else ([value] if value else [])


def rows(*, record: RegisterRecord, kind: str) -> list[Row]:
    """What the certificate shows, in the order of § 18 BMG, in German (absent items are not stored)."""
    get = record.get
    with translation.override("de"):
        label = {number: str(text) for number, text in fields.LABELS.items()}
        shown: list[Row] = [Row(label[fields.FAMILY_NAME], str(get(fields.FAMILY_NAME, "")))]
        given, called = str(get(fields.GIVEN_NAMES, "")), str(get(fields.CALLED_NAME, ""))
        if called and called != given:
            given = _("%(names)s (given name in everyday use: %(called)s)") % {"names": given, "called": called}
        shown.append(Row(label[fields.GIVEN_NAMES], given))
        if get(fields.DOCTORATE):
            shown.append(Row(label[fields.DOCTORATE], str(get(fields.DOCTORATE))))
        shown.append(Row(label[fields.BIRTH_DATE], _date(get(fields.BIRTH_DATE, ""))))
        if kind == EXTENDED:
            if get(fields.BIRTH_PLACE):
                shown.append(Row(label[fields.BIRTH_PLACE], str(get(fields.BIRTH_PLACE))))
            if get(fields.SEX):
                shown.append(Row(label[fields.SEX], SEX.get(str(get(fields.SEX)), str(get(fields.SEX)))))
            if get(fields.NATIONALITIES):
                shown.append(Row(label[fields.NATIONALITIES], ", ".join(map(str, _list(get(fields.NATIONALITIES))))))
        shown.append(Row(label[fields.MAIN_ADDRESS], address_text(get(fields.MAIN_ADDRESS))))
        if kind == EXTENDED and get(fields.MOVED_IN_ON):
            shown.append(Row(label[fields.MOVED_IN_ON], _date(get(fields.MOVED_IN_ON))))
        secondary = [address_text(item) for item in _list(get(fields.SECONDARY_ADDRESSES))]
        shown.append(Row(label[fields.SECONDARY_ADDRESSES], "\n".join(secondary) or _("none")))
        if kind == EXTENDED:
            representatives = [
                str(item.get("name", "")) if isinstance(item, Mapping) else str(item)
                for item in _list(get(fields.LEGAL_REPRESENTATIVES))
            ]
            if representatives:
                shown.append(Row(label[fields.LEGAL_REPRESENTATIVES], "\n".join(representatives)))
            death = get(fields.DEATH_DATE)
            shown.append(
                Row(
                    label[fields.DEATH_DATE],
                    _date(death) if death else _("No date of death is stored in the register."),
                )
            )
    return shown


def record_json(
    *, record: RegisterRecord, kind: str, number: str, issuer: str, read_at: datetime.datetime, check_url: str
) -> bytes:
    """The machine-readable record of § 18a BMG: the items by DSMeld number, as the register gave them,
    with the time they were read. Serialised canonically (sorted keys): its SHA-256 is the document's
    ``data_sha256``, so the record can be checked on /pruefen/ like the PDF."""
    with translation.override("de"):
        items = [
            {"dsmeld": number_, "bezeichnung": str(fields.LABELS.get(number_, number_)), "wert": record.get(number_)}
            for number_ in ITEMS[kind]
            if record.get(number_) not in (None, "", [])
        ]
    data = {
        "art": "Meldedatensatz nach § 18a BMG",
        "bescheinigung": "erweitert" if kind == EXTENDED else "einfach",
        "dokumentnummer": number,
        "meldebehoerde": issuer,
        "abrufzeitpunkt": timezone.localtime(read_at).isoformat(timespec="seconds"),
        "pruefadresse": check_url,
        "daten": items,
    }
    return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=1).encode("utf-8")


def _when(moment: datetime.datetime) -> str:
    """ "6. Dezember 2026 um 21:30" (German, the document's language)."""
    local = timezone.localtime(moment)
    return f"{formats.date_format(local, 'DATE_FORMAT')} um {local:%H:%M}"


def _context(
    *, number: str, rows_: Sequence[Row], kind: str, issuer_lines: Sequence[str], read_at: datetime.datetime
) -> dict[str, Any]:
    return {
        "title": title(kind),
        "paragraph": "2" if kind == EXTENDED else "1",
        "rows": rows_,
        "issuer_lines": issuer_lines,
        "city": settings.PORTAL["city"],
        "number": number,
        "read_at": _when(read_at),
    }


def pdf(
    *,
    document: SealedDocument,
    rows_: Sequence[Row],
    kind: str,
    issuer_lines: Sequence[str],
    read_at: datetime.datetime,
) -> bytes:
    """The certificate as a tagged PDF (German), with the QR code of its check address; not yet sealed."""
    check_url = sealed_document_check_url(document=document)
    context = _context(number=document.number, rows_=rows_, kind=kind, issuer_lines=issuer_lines, read_at=read_at)
    with translation.override("de"):
        return render_pdf(
            template_name="residents/pdf/meldebescheinigung.html",
            context={
                **context,
                "issued_at": _when(document.issued_at),
                "check_url": check_url,
                "qr": qr_svg(text=check_url),
            },
        )


def paper_pdf(
    *,
    number: str,
    rows_: Sequence[Row],
    kind: str,
    issuer_lines: Sequence[str],
    read_at: datetime.datetime,
    copies: int,
    recipient_lines: Sequence[str],
) -> bytes:
    """The certificate to print and post, as one tagged PDF (German): each of ``copies`` on pages of its own,
    without a seal but with "Im Auftrag" and a line for the signature and the stamp; the first copy carries
    ``recipient_lines`` where a window envelope shows them."""
    context = _context(number=number, rows_=rows_, kind=kind, issuer_lines=issuer_lines, read_at=read_at)
    with translation.override("de"):
        labels = [f"Exemplar {index} von {copies}" for index in range(1, copies + 1)]
        return render_pdf(
            template_name="residents/pdf/meldebescheinigung.html",
            context={
                **context,
                "signed": True,
                "issued_on": formats.date_format(timezone.localdate(), "DATE_FORMAT"),
                "copies": labels,
                "recipient_lines": recipient_lines,
                "sender_line": " · ".join([f"Stadt {settings.PORTAL['city']}", *issuer_lines]),
            },
        )


def recipient_lines(*, record: RegisterRecord) -> list[str]:
    """The postal address of a person, as the register holds it: name, street and house number, postcode and
    town of the main address; empty when the register has no main address."""
    address = record.get(fields.MAIN_ADDRESS)
    if not isinstance(address, Mapping) or not address.get("street"):
        return []
    name = " ".join(
        str(record.get(number) or "") for number in (fields.DOCTORATE, fields.GIVEN_NAMES, fields.FAMILY_NAME)
    )
    street = " ".join(filter(None, [str(address.get("street", "")), str(address.get("house_number", ""))]))
    town = " ".join(filter(None, [str(address.get("postcode", "")), str(address.get("town", ""))]))
    return [line for line in (" ".join(name.split()), street, town) if line]
