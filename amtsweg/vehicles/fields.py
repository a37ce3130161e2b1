"""Field types of the vehicle registration (i-Kfz), registered with the form engine on import.

An example of a service module extending the engine without touching it: each
type subclasses an engine base class and registers itself by name. Formats
follow domain-facts.md, section 2, and domain-facts-wave2.md, section D; the
security codes' rules are in ``codes.py``, shared with the demo registry.

The security codes (``seal_code``, ``zb1_code``, ``zb2_code``) are case-sensitive
and kept as typed, without spaces. Their inputs switch off autocomplete, spell
checking and automatic capitals (template ``code.html``). What a code looks like
and where to find it belongs in the form's hint, not in the type.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any, ClassVar

from django.utils.translation import gettext

from amtsweg.applications.formengine.base import Cleaned, FieldSpec
from amtsweg.applications.formengine.fields import SingleInputType, strip_controls
from amtsweg.applications.formengine.registry import field_types

from . import codes


def _compact(raw: str) -> str:
    """Without spaces or hyphens, full-width characters folded, the case kept: a case-sensitive code as read off."""
    text = unicodedata.normalize("NFKC", strip_controls(raw))
    return re.sub(r"[\s\-]", "", text)


def _compact_upper(raw: str) -> str:
    """Upper case without spaces or hyphens, full-width characters folded: what was read off a document."""
    return _compact(raw).upper()


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


# --- the security codes of i-Kfz (codes.py) ---------------------------------------------------

# Letters and digits as typed, both cases: anything else is refused before the code's own rules.
_CASE_ALNUM = re.compile(r"[A-Za-z0-9]+", re.ASCII)
LOOKALIKES = "IilOo"  # never in a seal or ZB I code (FZV Anlage 4a): they are mistaken for 1 and 0


def _characters_message() -> str:
    return gettext("Security codes can only include the letters A to Z, capital or small, and numbers")


def _lookalike_message(character: str) -> str:
    """Which character a seal or ZB I code never includes, and the digit it probably is."""
    return {
        "I": gettext("Security codes never include a capital I. Check if it is the number 1"),
        "i": gettext("Security codes never include a small i. Check if it is the number 1"),
        "l": gettext("Security codes never include a small L (l). Check if it is the number 1"),
        "O": gettext("Security codes never include a capital O. Check if it is the number 0"),
        "o": gettext("Security codes never include a small o. Check if it is the number 0"),
    }[character]


class _SecurityCodeType(SingleInputType):
    """A case-sensitive security code: spaces and hyphens removed, full-width characters folded, the case kept."""

    template = "applications/fields/code.html"
    autocomplete = "off"
    length: ClassVar[int]

    def raw_limit(self, spec: FieldSpec) -> int:
        return 200

    def normalise(self, spec: FieldSpec, raw: str) -> str:
        return _compact(raw)

    def length_message(self) -> str:
        raise NotImplementedError

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(spec, "length", self.length_message())

    def display_in_summary(self, spec: FieldSpec, value: Any) -> str:
        # A code is a one-time secret: the summary PDF travels by email.
        return gettext("Entered, not shown here")


class _ScratchCodeType(_SecurityCodeType):
    """A code of the plate seals' character set (letters and digits without I, i, l, O, o), of a fixed length.

    Error codes: required, characters, lookalike, length.
    """

    def valid(self, text: str) -> bool:
        raise NotImplementedError

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        if not _CASE_ALNUM.fullmatch(text):
            return self.error(spec, "characters", _characters_message())
        lookalike = next((character for character in text if character in LOOKALIKES), None)
        if lookalike is not None:
            return self.error(spec, "lookalike", _lookalike_message(lookalike))
        if len(text) != self.length or not self.valid(text):
            return self.invalid(spec)
        return Cleaned(value=text)


@field_types.register("seal_code")
class SealCodeType(_ScratchCodeType):
    """The security code under a plate seal (Stempelplakette): 3 characters, case-sensitive.

    Letters A–Z and a–z without I, i, l, O and o, and digits (FZV Anlage 4a). Stored as
    typed without spaces; the case is never changed. Error codes: required, characters,
    lookalike (names the character and the digit it probably is), length.
    """

    length = codes.SEAL_CODE_LENGTH

    def required_message(self) -> str:
        return gettext("Enter the security code from the plate seal")

    def length_message(self) -> str:
        return gettext("The security code of the plate seal must be 3 characters long")

    def valid(self, text: str) -> bool:
        return codes.seal_code_valid(text)


@field_types.register("zb1_code")
class Zb1CodeType(_ScratchCodeType):
    """The security code of the registration certificate part I (ZB I): 7 characters, case-sensitive.

    The seals' character set (codes.py). Stored as typed without spaces. Error codes:
    required, characters, lookalike, length.
    """

    length = codes.ZB1_CODE_LENGTH

    def required_message(self) -> str:
        return gettext("Enter the security code from the registration certificate part I")

    def length_message(self) -> str:
        return gettext("The security code of the registration certificate part I must be 7 characters long")

    def valid(self, text: str) -> bool:
        return codes.zb1_code_valid(text)


@field_types.register("zb2_code")
class Zb2CodeType(_SecurityCodeType):
    """The security code of the registration certificate part II (ZB II): 12 letters and digits, case-sensitive.

    The twelfth character is a Mod-11 check character over the first eleven (codes.py):
    0–9 or X, so a small x there is read as X. The check finds most typos of one
    character, among them any change of case, but not a character swapped for one whose
    value differs by a multiple of 11 (0 for B, say). Error codes: required, characters,
    length, check.
    """

    length = codes.ZB2_CODE_LENGTH

    def required_message(self) -> str:
        return gettext("Enter the security code from the registration certificate part II")

    def length_message(self) -> str:
        return gettext("The security code of the registration certificate part II must be 12 characters long")

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        if not _CASE_ALNUM.fullmatch(text):
            return self.error(spec, "characters", _characters_message())
        if len(text) != self.length:
            return self.invalid(spec)
        if text.endswith("x"):
            text = text[:-1] + "X"
        if not codes.zb2_code_valid(text):
            return self.error(
                spec,
                "check",
                gettext("Check the code, one character is probably wrong. Capital and small letters are different"),
            )
        return Cleaned(value=text)


@field_types.register("zb2_number")
class Zb2NumberType(_CodeType):
    """The number of the registration certificate part II (ZB II): 2 letters and 7 digits, like ``AB1234567``.

    Upper-cased, spaces and hyphens removed. Error codes: required, format.
    """

    template = "applications/fields/code.html"
    autocomplete = "off"

    def required_message(self) -> str:
        return gettext("Enter the number of the registration certificate part II")

    def invalid(self, spec: FieldSpec) -> Cleaned:
        return self.error(
            spec, "format", gettext("Enter the number in the correct format: 2 letters and 7 numbers, like AB1234567")
        )

    def convert(self, spec: FieldSpec, text: str) -> Cleaned:
        if codes.zb2_number_valid(text):
            return Cleaned(value=text)
        return self.invalid(spec)


# --- licence plates ----------------------------------------------------------------------------

AREA_CODES = ("KS", "HOG", "WOH")  # Kassel city and Landkreis; residents choose any of them since 2013
BLOCKED_LETTERS = frozenset({"SS", "SA", "HJ", "KZ", "NS"})
MAX_CHARACTERS = 8  # area code, letters and digits together
MAX_CHARACTERS_WITH_SUFFIX = 7  # when an E (electric) or H (historic) follows
# The canonical form is "KS-AB 123"; typed forms like "ks ab 123", "KS-AB-123" or "KSAB123" are read too.
# After the area code: letters (umlauts read, to be refused politely), digits, E or H.
_PLATE_REST = re.compile(r"(?P<letters>[A-ZÄÖÜ]{1,2})(?P<digits>[0-9]{1,4})(?P<suffix>[EH]?)")
_PLATE_CANONICAL = re.compile(r"^(KS|HOG|WOH)-[A-Z]{1,2} [1-9]\d{0,3}[EH]?$", re.ASCII)
# With ``any_area``: any German area code, 1–3 letters; some have an umlaut (GÖ Göttingen, MÜ Mühldorf).
_ANY_AREA = re.compile(r"[A-ZÄÖÜ]{1,3}")
_PLATE_CANONICAL_ANY_AREA = re.compile(r"^[A-ZÄÖÜ]{1,3}-[A-Z]{1,2} [1-9][0-9]{0,3}[EH]?$")
# A plate typed without any separator ("MAB123"): where another district's area code ends cannot be known.
_PLATE_UNDIVIDED = re.compile(r"[A-ZÄÖÜ]{2,5}[0-9]{1,4}[EH]?")


@field_types.register("licence_plate")
class LicencePlateType(SingleInputType):
    """A Kassel licence plate (Wunschkennzeichen), stored as ``KS-AB 123``.

    Area code KS, HOG or WOH; 1–2 letters A–Z; 1–4 digits without a leading zero;
    an optional E or H; at most 8 characters without separators (7 before E/H);
    letter pairs SS, SA, HJ, KZ and NS are not given out.

    Option ``any_area: true`` (default false): any German area code of 1–3 letters,
    umlauts included (``GÖ-AB 123``), for a plate from another district; the letters
    after it still have no umlauts. Such a plate must be typed with a space or hyphen
    after the area code, since only a known area code says where it ends.

    Error codes: required, format, area, letters, length.
    """

    template = "applications/fields/text.html"
    area_codes: ClassVar[tuple[str, ...]] = AREA_CODES
    options_allowed = frozenset({"any_area"})

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
        any_area = spec.options.get("any_area") is True
        match = self._split(text)
        if match is None:
            if any_area and _PLATE_UNDIVIDED.fullmatch(text):
                return self.error(
                    spec, "format", gettext("Put a space or a hyphen after the area code, like GÖ-AB 123")
                )
            return self.invalid(spec)
        area, letters, digits, suffix = match
        if any_area:
            if not _ANY_AREA.fullmatch(area):
                return self.error(spec, "area", gettext("The area code must be 1 to 3 letters, like M or GÖ"))
            if not letters.isascii():
                return self.error(spec, "letters", gettext("The letters after the area code cannot include Ä, Ö or Ü"))
        else:
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
        canonical = _PLATE_CANONICAL_ANY_AREA if any_area else _PLATE_CANONICAL
        if not canonical.fullmatch(value):  # belt and braces: the stored form is the documented one
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

    def check_options(self, spec: FieldSpec) -> list[str]:
        return self._check_bool_options(spec, "any_area")
