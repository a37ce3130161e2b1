"""Field types of the vehicle registration (i-Kfz), registered with the form engine on import.

An example of a service module extending the engine without touching it: each
type subclasses an engine base class and registers itself by name. Formats
follow domain-facts.md, section 2.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, ClassVar

from django.utils.translation import gettext

from amtsweg.applications.formengine.base import Cleaned, FieldSpec
from amtsweg.applications.formengine.fields import SingleInputType, strip_controls
from amtsweg.applications.formengine.registry import field_types


def _compact_upper(raw: str) -> str:
    """Upper case without spaces or hyphens, full-width characters folded: what was read off a document."""
    text = unicodedata.normalize("NFKC", strip_controls(raw)).upper()
    return re.sub(r"[\s\-]", "", text)


class _CodeType(SingleInputType):
    """A code typed off a document: compacted and upper-cased before it is checked."""

    def raw_limit(self, spec: FieldSpec) -> int:
        return 200

    def normalise(self, spec: FieldSpec, raw: str) -> str:
        return _compact_upper(raw)


# 17 characters; I, O and Q are never used because they look like 1 and 0 (ISO 3779).
_VIN = re.compile(r"[A-HJ-NPR-Z0-9]{17}", re.ASCII)
_ALNUM = re.compile(r"[A-Z0-9]+", re.ASCII)


@field_types.register("vin")
class VinType(_CodeType):
    """The vehicle identification number (FIN, field E of the registration certificate part I).

    Only the characters and the length are checked. The German check digit (field 3)
    is not public, and the North-American ISO 3779 check digit does not apply here.
    Error codes: required, format.
    """

    template = "applications/fields/text.html"

    def required_message(self) -> str:
        return gettext("Enter the vehicle identification number")

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(spec, "format", gettext("The vehicle identification number must be 17 characters long"))

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        if _VIN.fullmatch(text):
            return Cleaned(value=text)
        if not _ALNUM.fullmatch(text):
            return self.error(
                spec,
                "format",
                gettext("The vehicle identification number can only include letters A to Z and numbers"),
            )
        if set(text) & set("IOQ"):
            return self.error(
                spec,
                "format",
                gettext("The vehicle identification number never includes I, O or Q. Check if it is 1 or 0"),
            )
        return self.invalid(spec)


_EVB = re.compile(r"[A-HJ-NP-Z0-9]{7}", re.ASCII)


@field_types.register("evb")
class EvbType(_CodeType):
    """The insurance confirmation number (eVB): 7 letters and numbers, never O or I.

    Error codes: required, format.
    """

    template = "applications/fields/text.html"

    def required_message(self) -> str:
        return gettext("Enter the eVB number from your insurance company")

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(spec, "format", gettext("The eVB number must be 7 characters long"))

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        if _EVB.fullmatch(text):
            return Cleaned(value=text)
        if not _ALNUM.fullmatch(text):
            return self.error(spec, "format", gettext("The eVB number can only include letters A to Z and numbers"))
        if set(text) & set("IO"):
            return self.error(
                spec, "format", gettext("The eVB number never includes the letters I or O. Check if it is 1 or 0")
            )
        return self.invalid(spec)


AREA_CODES = ("KS", "HOG", "WOH")  # Kassel city and Landkreis; residents choose any of them since 2013
BLOCKED_LETTERS = frozenset({"SS", "SA", "HJ", "KZ", "NS"})
MAX_CHARACTERS = 8  # area code, letters and digits together
MAX_CHARACTERS_WITH_SUFFIX = 7  # when an E (electric) or H (historic) follows
# The canonical form is "KS-AB 123"; typed forms like "ks ab 123", "KS-AB-123" or "KSAB123" are read too.
# After the area code: letters (umlauts read, to be refused politely), digits, E or H.
_PLATE_REST = re.compile(r"(?P<letters>[A-ZÄÖÜ]{1,2})(?P<digits>[0-9]{1,4})(?P<suffix>[EH]?)")
_PLATE_CANONICAL = re.compile(r"^(KS|HOG|WOH)-[A-Z]{1,2} [1-9]\d{0,3}[EH]?$", re.ASCII)


@field_types.register("licence_plate")
class LicencePlateType(SingleInputType):
    """A Kassel licence plate (Wunschkennzeichen), stored as ``KS-AB 123``.

    Area code KS, HOG or WOH; 1–2 letters A–Z; 1–4 digits without a leading zero;
    an optional E or H; at most 8 characters without separators (7 before E/H);
    letter pairs SS, SA, HJ, KZ and NS are not given out. Error codes: required,
    format, area, letters, length.
    """

    template = "applications/fields/text.html"
    area_codes: ClassVar[tuple[str, ...]] = AREA_CODES

    def required_message(self) -> str:
        return gettext("Enter a licence plate, like KS-AB 123")

    def raw_limit(self, spec: FieldSpec) -> int:
        return 100

    def normalise(self, spec: FieldSpec, raw: str) -> str:
        text = unicodedata.normalize("NFKC", strip_controls(raw)).upper()
        # Any run of spaces, hyphens or dashes is one separator; "KS - AB 123" is fine.
        return re.sub(r"[\s\-\u2010-\u2015]+", "-", text).strip("-")

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(spec, "format", gettext("Enter a licence plate in the correct format, like KS-AB 123"))

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        match = self._split(text)
        if match is None:
            return self.invalid(spec)
        area, letters, digits, suffix = match
        if area not in self.area_codes:
            return self.error(spec, "area", gettext("The licence plate must start with KS, HOG or WOH"))
        if not letters.isascii():
            return self.error(spec, "letters", gettext("The licence plate cannot include Ä, Ö or Ü"))
        if digits.startswith("0"):
            return self.error(spec, "format", gettext("The numbers on a licence plate cannot start with 0"))
        if letters in BLOCKED_LETTERS:
            return self.error(
                spec, "letters", gettext("This combination of letters is not given out. Choose other letters")
            )
        length = len(area) + len(letters) + len(digits)
        if suffix and length > MAX_CHARACTERS_WITH_SUFFIX:
            return self.error(
                spec,
                "length",
                gettext("A licence plate ending in E or H can have at most 7 letters and numbers before the E or H"),
            )
        if length > MAX_CHARACTERS:
            return self.error(spec, "length", gettext("A licence plate can have at most 8 letters and numbers"))
        value = f"{area}-{letters} {digits}{suffix}"
        if not _PLATE_CANONICAL.fullmatch(value):  # belt and braces: the stored form is the documented one
            return self.invalid(spec)
        return Cleaned(value=value)

    def _split(self, text: str) -> tuple[str, str, str, str] | None:
        groups = text.split("-")
        if len(groups) >= 2:
            # "KS-AB-123" or "KS-AB123": the first group is the area code as typed.
            area, rest = groups[0], "".join(groups[1:])
            match = _PLATE_REST.fullmatch(rest)
            if match is None:
                return None
            return area, match["letters"], match["digits"], match["suffix"]
        # Written together ("KSAB123"): only a known area code can say where it ends.
        for area in sorted(self.area_codes, key=len, reverse=True):
            if text.startswith(area):
                match = _PLATE_REST.fullmatch(text[len(area) :])
                if match:
                    return area, match["letters"], match["digits"], match["suffix"]
        return None

    def format_input(self, value: Any) -> str:
        return str(value)
