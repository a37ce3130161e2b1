"""Which registration office serves a keeper's address, and the area code it proposes (offices.yaml).

The joint registration authority of Stadt und Landkreis Kassel has four offices (``constants.Office``),
the catalogue locations ``kfz-<office>``. An online application goes to the office of the keeper's
address: by postcode, and by town where a postcode is also used outside the district (37194 is
Wahlsburg's and Bodenfelde's). The assignment of the district's towns is an assumption that the
department checks: the data file says so (``needs_review``, ``review_note``).

The file is read once per process; it changes only with a deployment.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any

import yaml

from .constants import Office
from .fields import AREA_CODES

DATA_FILE = Path(__file__).with_name("offices.yaml")
_POSTCODE = re.compile(r"[0-9]{5}", re.ASCII)


@dataclass(frozen=True)
class Place:
    """A town of the district and the office serving it; ``names`` are the words of its town and other names."""

    office: str
    town: str
    names: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Offices:
    places: Mapping[str, tuple[Place, ...]]  # by postcode
    area_codes: Mapping[str, str]  # by office
    shared_postcodes: frozenset[str]  # also used outside the district: the town decides
    needs_review: bool
    review_note: Mapping[str, str]


def _words(text: str) -> tuple[str, ...]:
    """A town's name as comparable words: "Wesertal-Lippoldsberg" and "wesertal (Lippoldsberg)" alike."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return tuple(re.sub(r"[^\w]|[\d_]", " ", folded).split())


def _contains(words: tuple[str, ...], name: tuple[str, ...]) -> bool:
    return any(words[start : start + len(name)] == name for start in range(len(words) - len(name) + 1))


def load_offices(*, path: Path = DATA_FILE) -> Offices:
    """The data file read and checked; ValueError naming every problem when it is broken."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    if not isinstance(data, Mapping) or not isinstance(data.get("offices"), Mapping):
        raise ValueError(f"{path.name}: needs a mapping 'offices' of the offices {', '.join(Office.values)}")
    shared = data.get("shared_postcodes") or {}
    if not isinstance(shared, Mapping):
        problems.append("'shared_postcodes' must map postcodes to where else they are used")
        shared = {}
    offices = data["offices"]
    if set(offices) != set(Office.values):
        problems.append(f"'offices' must name exactly the offices {', '.join(Office.values)}")
    places: dict[str, list[Place]] = {}
    area_codes: dict[str, str] = {}
    for office, entry in offices.items():
        where = f"office {office!r}"
        if not isinstance(entry, Mapping) or not isinstance(entry.get("places"), list):
            problems.append(f"{where}: needs 'area_code' and a list 'places'")
            continue
        if entry.get("area_code") not in AREA_CODES:
            problems.append(f"{where}: 'area_code' must be one of {', '.join(AREA_CODES)}")
        else:
            area_codes[office] = entry["area_code"]
        own: set[str] = set()
        for item in entry["places"]:
            if place_problems := _place_problems(item, where):
                problems += place_problems
                continue
            names = (_words(item["town"]), *(_words(name) for name in item.get("names", ())))
            for postcode in item["postcodes"]:
                if postcode in own:
                    problems.append(f"{where}: postcode {postcode} is listed twice")
                own.add(postcode)
                places.setdefault(postcode, []).append(Place(office, item["town"], names))
    for postcode, found in places.items():
        if len(found) > 1 and postcode not in shared:
            towns = ", ".join(place.town for place in found)
            problems.append(f"postcode {postcode} is given to {towns}: list it in 'shared_postcodes'")
    problems += [f"shared postcode {postcode} is no place's postcode" for postcode in shared if postcode not in places]
    note = data.get("review_note")
    if data.get("needs_review") is True and not (isinstance(note, Mapping) and note.get("de") and note.get("en")):
        problems.append("'needs_review: true' needs a 'review_note' in German and English")
    if problems:
        raise ValueError(f"{path.name}: " + "; ".join(problems))
    return Offices(
        places=MappingProxyType({postcode: tuple(found) for postcode, found in places.items()}),
        area_codes=MappingProxyType(area_codes),
        shared_postcodes=frozenset(shared),
        needs_review=data.get("needs_review") is True,
        review_note=MappingProxyType(dict(note)) if isinstance(note, Mapping) else MappingProxyType({}),
    )


def _place_problems(item: Any, where: str) -> list[str]:
    if not isinstance(item, Mapping) or not isinstance(item.get("town"), str) or not item["town"].strip():
        return [f"{where}: each place needs a 'town' and its 'postcodes'"]
    postcodes, names = item.get("postcodes"), item.get("names", [])
    problems = []
    if not isinstance(postcodes, list) or not postcodes:
        problems.append(f"{where}, {item['town']}: 'postcodes' must be a non-empty list")
    elif not all(isinstance(code, str) and _POSTCODE.fullmatch(code) for code in postcodes):
        problems.append(f'{where}, {item["town"]}: postcodes are five digits in quotes, like "34117"')
    if not isinstance(names, list) or not all(isinstance(name, str) and _words(name) for name in names):
        problems.append(f"{where}, {item['town']}: 'names' must be a list of town names")
    return problems


@functools.cache
def offices() -> Offices:
    """The data file, read once per process."""
    return load_offices()


def office_for_address(*, address: Mapping[str, Any]) -> str | None:
    """The office (an ``Office`` value) serving ``address`` (an address answer: ``postcode``, ``town``);
    None outside Stadt und Landkreis Kassel, or when the address has no usable postcode."""
    if not isinstance(address, Mapping):
        return None
    postcode = re.sub(r"\s", "", unicodedata.normalize("NFKC", str(address.get("postcode") or "")))
    if not _POSTCODE.fullmatch(postcode):
        return None
    data = offices()
    found = data.places.get(postcode, ())
    if len(found) == 1 and postcode not in data.shared_postcodes:
        return found[0].office
    town = _words(str(address.get("town") or ""))
    matching = {place.office for place in found if any(_contains(town, name) for name in place.names)}
    return matching.pop() if len(matching) == 1 else None


def _checked(office: str) -> str:
    if office not in Office.values:
        raise ValueError(f"unknown registration office {office!r}")
    return office


def office_location_slug(*, office: str) -> str:
    """The catalogue location of an office: ``kfz-kassel``, ``kfz-baunatal``, ``kfz-hofgeismar``, ``kfz-wolfhagen``."""
    return f"kfz-{_checked(office)}"


def default_area_code(*, office: str) -> str:
    """The area code an application at ``office`` proposes: KS (Kassel, Baunatal), HOG or WOH."""
    return offices().area_codes[_checked(office)]
