"""The hidden security codes of i-Kfz (§ 15d FZV, Anlage 4a): their character sets and checks.

Pure functions without Django, so that the demo registry (a process of its own) makes its codes with them.

- Plate seal (Plakette): 3 characters, case-sensitive, letters A–Z and a–z without I, i, l, O and o
  (they are mistaken for 1 and 0), and digits.
- Registration certificate part I (ZB I): 7 characters from the same set (the composition follows the
  seals' rule by Anlage 4a Nr. 2; an inference from the ordinance's text, marked for the department).
- Registration certificate part II (ZB II): 12 characters, mixed case: the first says the code's
  function, the second to eleventh are random, the twelfth is a Mod-11 check character over the first
  eleven. The weights are not published; we take the common Mod-11 scheme (weights 2 to 7 from the
  right, cyclically; a remainder of 10 is written X). A vendor plugin must confirm it with its portal
  (docs/vehicles.md, "What a real vendor plugin needs").
- The ZB II's document number: two capital letters and seven digits (e.g. ``AB1234567``), as printed;
  its exact shape is marked for the department to check.
"""

from __future__ import annotations

import re
import string

# Letters and digits a code may contain: no I, i, l, O or o.
CODE_CHARACTERS = "".join(sorted(set(string.ascii_letters + string.digits) - set("IilOo")))
SEAL_CODE_LENGTH = 3
ZB1_CODE_LENGTH = 7
ZB2_CODE_LENGTH = 12
_CODE_CHARACTER = re.compile(f"[{re.escape(CODE_CHARACTERS)}]", re.ASCII)
ZB2_NUMBER = re.compile(r"[A-Z]{2}[0-9]{7}", re.ASCII)
_ZB2_CODE_SHAPE = re.compile(r"[A-Za-z0-9]{12}", re.ASCII)
_VALUES = {character: index for index, character in enumerate(string.digits + string.ascii_uppercase)}
_VALUES.update({character: 36 + index for index, character in enumerate(string.ascii_lowercase)})
_WEIGHTS = (2, 3, 4, 5, 6, 7)


def code_characters_valid(code: str) -> bool:
    """Every character is one a code may contain (no I, i, l, O, o; ASCII letters and digits only)."""
    return all(_CODE_CHARACTER.fullmatch(character) for character in code)


def seal_code_valid(code: str) -> bool:
    return len(code) == SEAL_CODE_LENGTH and code_characters_valid(code)


def zb1_code_valid(code: str) -> bool:
    return len(code) == ZB1_CODE_LENGTH and code_characters_valid(code)


def zb2_check_character(body: str) -> str:
    """The Mod-11 check character of the first eleven characters of a ZB II code."""
    if len(body) != ZB2_CODE_LENGTH - 1 or not _ZB2_CODE_SHAPE.fullmatch(body + "0"):
        raise ValueError("a ZB II code's body is 11 letters and digits")
    total = sum(
        _VALUES[character] * _WEIGHTS[position % len(_WEIGHTS)] for position, character in enumerate(reversed(body))
    )
    remainder = (11 - total % 11) % 11
    return "X" if remainder == 10 else str(remainder)


def zb2_code_valid(code: str) -> bool:
    """12 letters and digits whose last is the check character of the first eleven."""
    if not _ZB2_CODE_SHAPE.fullmatch(code):
        return False
    return zb2_check_character(code[:-1]) == code[-1]


def zb2_number_valid(number: str) -> bool:
    return bool(ZB2_NUMBER.fullmatch(number))
