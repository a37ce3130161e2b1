"""The demo vehicle registry: a small HTTP service that stands in for a certified i-Kfz portal.

It is not part of the portal. ``make run`` starts it beside the portal (``manage.py demo_vehicle_registry``),
and the tests start it on a free port, so the portal reaches it over HTTP through its plugin (``plugin.py``)
as it would reach a vendor's. Vehicles, eVB numbers, plates and applications live in one JSON file (made by
``manage.py load_vehicle_registry_demo`` from ``seed.py``); every change is written back to it. Every
request needs the bearer token it was started with (401 otherwise).

The API, all JSON (dates ISO 8601, ``decided_at`` with its UTC offset):

- ``POST /vehicles/check`` with ``{"keeper": {...}, "plate": "KS-EM 812", "vin": ""}`` (the VIN wins when
  both are given): ``{"status", "keeper_matches", "plate", "make", "last_registered_on",
  "inspection_missing", "reserved_plate", "in_district"}``. ``status`` is registered, off_road, new or unknown; an
  off-road vehicle is also found by its last plate. ``reserved_plate`` only for its keeper.
- ``POST /plates/check`` with ``{"plate": "KS-AB 123"}``: ``{"plate", "available"}`` (not on a vehicle,
  not taken, not reserved or held for anyone).
- ``POST /applications`` with an application (``base.Application.as_dict()``): the decision
  ``{"outcome", "number", "plate", "decided_at", "reasons": [{"code", "item", "text"}], "answer"}``.
  Idempotent by ``key``: the same key again returns the stored application's current decision and changes
  nothing. 400 with ``{"error", "item"}`` for a malformed application (a required item missing).
- ``GET /applications/<number>``: its current decision (404 if unknown).
- ``POST /applications/<number>/decision`` with ``{"approve": bool, "reason": "...", "actor": "..."}``:
  staff's decision on a referred application. The same decision again returns it; 409 for an application
  that is not under review (decided by the registry, or decided otherwise by staff).

How the registry decides an application, in this order (every refusal carries ``ReasonCode`` values):

1. The vehicle, by ``vin`` or else ``plate`` (a new registration by ``vin``): none → refused
   ``unknown_vehicle``.
2. Last registered before 1 January 2015 (its documents carry no codes) → refused ``before_2015``.
3. Its state must fit the transaction (deregistration: registered; re-registration: off_road and not
   scrapped; new registration: new; transfer: registered, for ``address_change`` in the district of Kassel,
   for ``move_in`` in another district) → else refused ``vehicle_state``.
4. The keeper (family name, given names, birth date) must be the vehicle's keeper, except for a new
   registration and a change of keeper, where holding the ZB II (number and code) proves the right →
   else refused ``not_keeper`` (a change of keeper to the keeper already registered: ``vehicle_state``).
5. Then every item below is checked and all that fail are given together: each code sent
   (``zb1_code``, ``seal_front``, ``seal_rear``, ``zb2_code`` exactly, case-sensitive; ``zb2_number``
   upper-cased) against the vehicle's → ``code_wrong`` with the item; the ``evb`` must be a known,
   unexpired number → ``evb_invalid``; the ``wish_plate`` must be available (a plate reserved for the same
   keeper is) → ``plate_taken``; ``keep_plate`` on a re-registration needs the vehicle's reserved plate
   → ``plate_taken``; a vehicle without a main inspection (HU) on record needs ``inspection_due`` →
   ``vehicle_state``.
6. Referred to staff (outcome review) when the vehicle is flagged for review (reason ``manual``) and when
   the ``account_holder`` for the vehicle tax is not the keeper (item non-empty; reason ``sepa``). The
   plate is held for the application meanwhile. Staff's approval applies it as in 7, unless another
   application changed the vehicle's state meanwhile: then it is refused ``vehicle_state``; staff's
   refusal gives reason ``manual`` with staff's text.
7. Otherwise approved: a plate is allotted (the wish plate; the kept or reserved plate with ``keep_plate``;
   the vehicle's own for a deregistration or an address change; else a random free plate with the
   ``area_code`` asked, or the office's), and written back: a deregistered vehicle is off_road (its plate
   reserved for the keeper for 90 days with ``reserve_plate``, scrapped with ``recycling_date``), a
   registered one gets its keeper, address, plate, district and day of registration.

Required items (400 when missing): deregistration ``plate``, ``zb1_code``, ``seal_front``, ``seal_rear``;
re-registration ``plate`` or ``vin``, ``zb2_number``, ``zb2_code``, ``evb``; new registration ``vin``,
``zb2_number``, ``zb2_code``, ``evb``; transfer ``keeper_change`` ``plate`` or ``vin``, ``zb2_number``,
``zb2_code``, ``evb``; ``address_change`` and ``move_in`` ``plate``, ``zb1_code``. Other codes sent are
checked too. Application numbers read ``KS-IKFZ-2026-000001``.

Standard library only, with the shared frame of the demo services (``core/demo_http.py``) and the string
values of ``vehicles.constants`` copied here, so it runs without the portal's settings:
``python -m amtsweg.vehicles.ikfz.contrib.demo.server --data F --token T``.
"""

from __future__ import annotations

import datetime
import hmac
import json
import os
import random
import tempfile
import threading
import unicodedata
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from amtsweg.core.demo_http import JsonRequestHandler, json_server, serve_from_command_line

# vehicles.constants, as strings (this process has no Django).
REGISTERED, OFF_ROAD, NEW, UNKNOWN = "registered", "off_road", "new", "unknown"
APPROVED, REFUSED, REVIEW = "approved", "refused", "review"
DEREGISTRATION, NEW_REGISTRATION, TRANSFER, REREGISTRATION = (
    "deregistration",
    "new_registration",
    "transfer",
    "reregistration",
)
KEEPER_CHANGE, ADDRESS_CHANGE, MOVE_IN = "keeper_change", "address_change", "move_in"
CODE_WRONG, NOT_KEEPER, BEFORE_2015, VEHICLE_STATE = "code_wrong", "not_keeper", "before_2015", "vehicle_state"
EVB_INVALID, PLATE_TAKEN, UNKNOWN_VEHICLE, SEPA, MANUAL = (
    "evb_invalid",
    "plate_taken",
    "unknown_vehicle",
    "sepa",
    "manual",
)
CODES_SINCE = "2015-01-01"

HOME_DISTRICT = "Kassel"  # Stadt und Landkreis Kassel: plates KS, HOG, WOH
AREA_CODE_BY_OFFICE = {"kassel": "KS", "baunatal": "KS", "hofgeismar": "HOG", "wolfhagen": "WOH"}
RESERVATION_DAYS = 90
NUMBER_PREFIX = "KS-IKFZ"
BLOCKED_LETTERS = frozenset({"SS", "SA", "HJ", "KZ", "NS"})
PLATE_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"

CODE_ITEMS = ("zb1_code", "seal_front", "seal_rear", "zb2_number", "zb2_code")
CODE_TEXTS = {
    "zb1_code": "Der Sicherheitscode der Zulassungsbescheinigung Teil I stimmt nicht.",
    "seal_front": "Der Sicherheitscode der vorderen Stempelplakette stimmt nicht.",
    "seal_rear": "Der Sicherheitscode der hinteren Stempelplakette stimmt nicht.",
    "zb2_number": "Die Nummer der Zulassungsbescheinigung Teil II gehört nicht zu diesem Fahrzeug.",
    "zb2_code": "Der Sicherheitscode der Zulassungsbescheinigung Teil II stimmt nicht.",
}
# The items each transaction (or transfer variant) must carry; "plate|vin" means one of them.
REQUIRED = {
    DEREGISTRATION: ("plate", "zb1_code", "seal_front", "seal_rear"),
    REREGISTRATION: ("plate|vin", "zb2_number", "zb2_code", "evb"),
    NEW_REGISTRATION: ("vin", "zb2_number", "zb2_code", "evb"),
    KEEPER_CHANGE: ("plate|vin", "zb2_number", "zb2_code", "evb"),
    ADDRESS_CHANGE: ("plate", "zb1_code"),
    MOVE_IN: ("plate", "zb1_code"),
}
STATE_FOR = {DEREGISTRATION: REGISTERED, REREGISTRATION: OFF_ROAD, NEW_REGISTRATION: NEW, TRANSFER: REGISTERED}
STATE_TEXTS = {
    DEREGISTRATION: "Das Fahrzeug ist nicht zugelassen.",
    REREGISTRATION: "Das Fahrzeug ist nicht außer Betrieb gesetzt.",
    NEW_REGISTRATION: "Das Fahrzeug war schon zugelassen; eine Neuzulassung ist nicht möglich.",
    TRANSFER: "Das Fahrzeug ist nicht zugelassen.",
}


class BadRequest(ValueError):
    def __init__(self, error: str, item: str = "") -> None:
        super().__init__(error)
        self.error, self.item = error, item


class Conflict(Exception):
    pass


def _plain(text: Any) -> str:
    """Names compared as the register compares them: Unicode-normalised, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


def _compact(plate: Any) -> str:
    """A plate without its separators, upper case: ``ks-em 812`` and ``KS-EM 812`` are one plate."""
    return "".join(character for character in str(plate or "").upper() if character.isalnum())


def _yes(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().casefold() in {"yes", "true", "1", "ja", "on"}
    return bool(value)


def _reason(code: str, item: str = "", text: str = "") -> dict[str, str]:
    return {"code": code, "item": item, "text": text}


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC).replace(microsecond=0)


def _today() -> datetime.date:
    return datetime.date.today()


def _same_keeper(one: Any, other: Any) -> bool:
    if not isinstance(one, dict) or not isinstance(other, dict):
        return False
    return (
        _plain(one.get("family_name")) == _plain(other.get("family_name"))
        and _plain(one.get("given_names")) == _plain(other.get("given_names"))
        and str(one.get("birth_date") or "") == str(other.get("birth_date") or "")
        and bool(one.get("birth_date"))
    )


def _address(keeper: dict[str, Any]) -> dict[str, str]:
    return {part: str(keeper.get(part, "")) for part in ("street", "house_number", "postcode", "town")}


def _person(keeper: dict[str, Any]) -> dict[str, str]:
    return {part: str(keeper.get(part, "")) for part in ("family_name", "given_names", "birth_date")}


class VehicleRegistry:
    """The JSON file's data under one lock; every change is written back at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        data = json.loads(path.read_text(encoding="utf-8"))
        self.vehicles: dict[str, dict[str, Any]] = data.get("vehicles", {})
        self.evb: dict[str, dict[str, Any]] = data.get("evb", {})
        self.plates: dict[str, dict[str, Any]] = data.get("plates", {})
        self.applications: dict[str, dict[str, Any]] = data.get("applications", {})
        self.keys: dict[str, str] = data.get("keys", {})
        self.sequence: dict[str, int] = data.get("sequence", {})

    def _save(self) -> None:
        data = {
            "vehicles": self.vehicles,
            "evb": self.evb,
            "plates": self.plates,
            "applications": self.applications,
            "keys": self.keys,
            "sequence": self.sequence,
        }
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".vehicles-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)

    # --- look-ups ---------------------------------------------------------------------------------------

    def _find(self, *, plate: str = "", vin: str = "") -> str | None:
        if vin:
            wanted = _compact(vin)
            return next((vid for vid, v in self.vehicles.items() if _compact(v.get("vin")) == wanted), None)
        wanted = _compact(plate)
        if not wanted:
            return None
        found = next((vid for vid, v in self.vehicles.items() if _compact(v.get("plate")) == wanted), None)
        if found is None:  # an off-road vehicle by its last plate
            found = next(
                (
                    vid
                    for vid, v in self.vehicles.items()
                    if v.get("status") == OFF_ROAD and _compact(v.get("last_plate")) == wanted
                ),
                None,
            )
        return found

    def _plate_entry(self, plate: str) -> dict[str, Any] | None:
        wanted = _compact(plate)
        entry = next((e for p, e in self.plates.items() if _compact(p) == wanted), None)
        reserved_until = entry.get("until") if entry and entry.get("state") == "reserved" else None
        if reserved_until and str(reserved_until) < _today().isoformat():
            return None  # a reservation that ran out
        return entry

    def _plate_free(
        self, plate: str, *, keeper: dict[str, Any] | None = None, number: str = "", vehicle_id: str = ""
    ) -> bool:
        wanted = _compact(plate)
        if not wanted:
            return False
        for vid, vehicle in self.vehicles.items():
            if _compact(vehicle.get("plate")) == wanted and vid != vehicle_id:
                return False
        entry = self._plate_entry(plate)
        if entry is None:
            return True
        if entry.get("state") == "reserved":
            return keeper is not None and _same_keeper(entry.get("keeper"), keeper)
        if entry.get("state") == "held":
            return bool(number) and entry.get("application") == number
        return False

    def _reserved_for(self, plate: str, keeper: Any) -> bool:
        """The plate is reserved now (not run out) for this keeper."""
        entry = self._plate_entry(plate) if plate else None
        return entry is not None and entry.get("state") == "reserved" and _same_keeper(entry.get("keeper"), keeper)

    def _drop_plate_entry(self, plate: str) -> None:
        wanted = _compact(plate)
        for key in [p for p in self.plates if _compact(p) == wanted]:
            del self.plates[key]

    def _random_plate(self, area_code: str) -> str:
        chooser = random.SystemRandom()
        while True:
            letters = "".join(chooser.choice(PLATE_LETTERS) for _ in range(2))
            plate = f"{area_code}-{letters} {chooser.randint(10, 9999)}"
            if letters not in BLOCKED_LETTERS and len(_compact(plate)) <= 8 and self._plate_free(plate):
                return plate

    def vehicle_check(self, query: dict[str, Any]) -> dict[str, Any]:
        keeper = query.get("keeper") if isinstance(query.get("keeper"), dict) else {}
        with self.lock:
            vehicle_id = self._find(plate=str(query.get("plate") or ""), vin=str(query.get("vin") or ""))
            if vehicle_id is None:
                return {
                    "status": UNKNOWN,
                    "keeper_matches": False,
                    "plate": "",
                    "make": "",
                    "last_registered_on": None,
                    "inspection_missing": False,
                    "reserved_plate": "",
                    "in_district": False,
                }
            vehicle = self.vehicles[vehicle_id]
            matches = _same_keeper(vehicle.get("keeper"), keeper)
            reserved = str(vehicle.get("reserved_plate") or "")
            return {
                "status": vehicle.get("status", UNKNOWN),
                "keeper_matches": matches,
                "plate": vehicle.get("plate") or vehicle.get("last_plate") or "",
                "make": vehicle.get("make", ""),
                "last_registered_on": vehicle.get("last_registered_on"),
                "inspection_missing": bool(vehicle.get("inspection_missing")),
                "reserved_plate": reserved if matches and self._reserved_for(reserved, keeper) else "",
                "in_district": vehicle.get("status") != NEW and vehicle.get("district") == HOME_DISTRICT,
            }

    def plate_check(self, plate: str) -> dict[str, Any]:
        with self.lock:
            return {"plate": plate, "available": self._plate_free(plate)}

    # --- applications -------------------------------------------------------------------------------------

    def _number(self) -> str:
        year = str(_today().year)
        self.sequence[year] = self.sequence.get(year, 0) + 1
        return f"{NUMBER_PREFIX}-{year}-{self.sequence[year]:06d}"

    @staticmethod
    def _validate(application: dict[str, Any]) -> tuple[str, str, dict[str, Any], dict[str, Any]]:
        key = str(application.get("key") or "")
        if not key:
            raise BadRequest("missing key", "key")
        transaction = str(application.get("transaction") or "")
        variant = str(application.get("variant") or "")
        if transaction not in STATE_FOR:
            raise BadRequest("unknown transaction", "transaction")
        if transaction == TRANSFER and variant not in (KEEPER_CHANGE, ADDRESS_CHANGE, MOVE_IN):
            raise BadRequest("unknown variant", "variant")
        keeper = application.get("keeper")
        if not isinstance(keeper, dict) or not all(keeper.get(p) for p in ("family_name", "birth_date")):
            raise BadRequest("missing keeper", "keeper")
        items = application.get("items")
        if not isinstance(items, dict):
            raise BadRequest("missing items", "items")
        for required in REQUIRED[variant if transaction == TRANSFER else transaction]:
            if not any(items.get(name) for name in required.split("|")):
                raise BadRequest("missing item", required)
        return key, transaction, keeper, items

    def application_send(self, application: dict[str, Any]) -> dict[str, Any]:
        key, transaction, keeper, items = self._validate(application)
        variant = str(application.get("variant") or "")
        with self.lock:
            if key in self.keys:
                return self._decision(self.applications[self.keys[key]])
            number = self._number()
            record: dict[str, Any] = {
                "number": number,
                "key": key,
                "reference": str(application.get("reference") or ""),
                "transaction": transaction,
                "variant": variant,
                "office": str(application.get("office") or ""),
                "keeper": dict(keeper),
                "items": dict(items),
                "received_at": _now().isoformat(),
                "vehicle": None,
                "outcome": REFUSED,
                "plate": "",
                "decided_at": None,
                "reasons": [],
                "answer": {"transaction": transaction, "variant": variant},
            }
            self._decide(record)
            self.applications[number] = record
            self.keys[key] = number
            self._save()
            return self._decision(record)

    def _refuse(self, record: dict[str, Any], reasons: list[dict[str, str]]) -> None:
        record.update(outcome=REFUSED, reasons=reasons, decided_at=_now().isoformat(), plate="")

    def _decide(self, record: dict[str, Any]) -> None:
        transaction, variant = record["transaction"], record["variant"]
        keeper, items = record["keeper"], record["items"]
        plate, vin = str(items.get("plate") or ""), str(items.get("vin") or "")
        vehicle_id = self._find(vin=vin) if vin or transaction == NEW_REGISTRATION else self._find(plate=plate)
        if vehicle_id is None:
            item = "vin" if vin or transaction == NEW_REGISTRATION else "plate"
            text = "Ein Fahrzeug mit diesen Angaben ist im Fahrzeugregister nicht bekannt."
            return self._refuse(record, [_reason(UNKNOWN_VEHICLE, item, text)])
        vehicle = self.vehicles[vehicle_id]
        record["vehicle"] = vehicle_id
        record["answer"]["make"] = vehicle.get("make", "")
        last = vehicle.get("last_registered_on")
        if last and str(last) < CODES_SINCE:
            text = (
                "Das Fahrzeug wurde zuletzt vor dem 1. Januar 2015 zugelassen; bitte kommen Sie zur Zulassungsbehörde."
            )
            return self._refuse(record, [_reason(BEFORE_2015, "", text)])
        state_fits = vehicle.get("status") == STATE_FOR[transaction]
        if transaction == REREGISTRATION and vehicle.get("scrapped"):
            state_fits = False
        if state_fits and transaction == TRANSFER:
            at_home = vehicle.get("district") == HOME_DISTRICT
            if variant == ADDRESS_CHANGE and not at_home:
                text = "Das Fahrzeug ist in einem anderen Zulassungsbezirk zugelassen; wählen Sie den Zuzug."
                return self._refuse(record, [_reason(VEHICLE_STATE, "", text)])
            if variant == MOVE_IN and at_home:
                text = "Das Fahrzeug ist schon im Zulassungsbezirk Kassel zugelassen; wählen Sie die Adressänderung."
                return self._refuse(record, [_reason(VEHICLE_STATE, "", text)])
        if not state_fits:
            return self._refuse(record, [_reason(VEHICLE_STATE, "", STATE_TEXTS[transaction])])
        proves_by_zb2 = transaction == NEW_REGISTRATION or variant == KEEPER_CHANGE
        if variant == KEEPER_CHANGE and _same_keeper(vehicle.get("keeper"), keeper):
            text = "Sie sind schon Halterin oder Halter dieses Fahrzeugs."
            return self._refuse(record, [_reason(VEHICLE_STATE, "", text)])
        if not proves_by_zb2 and not _same_keeper(vehicle.get("keeper"), keeper):
            text = "Sie sind nicht als Halterin oder Halter dieses Fahrzeugs eingetragen."
            return self._refuse(record, [_reason(NOT_KEEPER, "", text)])

        reasons = []
        for item in CODE_ITEMS:
            if item not in items or items[item] in (None, ""):
                continue
            given, known = str(items[item]), str(vehicle.get(item) or "")
            if item == "zb2_number":
                given, known = given.strip().upper(), known.upper()
            if not known or not hmac.compare_digest(given.encode(), known.encode()):
                reasons.append(_reason(CODE_WRONG, item, CODE_TEXTS[item]))
        evb = str(items.get("evb") or "").strip().upper()
        if evb:
            known_evb = self.evb.get(evb)
            if known_evb is None:
                reasons.append(_reason(EVB_INVALID, "evb", "Die eVB-Nummer ist keiner Versicherung bekannt."))
            elif known_evb.get("valid_until") and str(known_evb["valid_until"]) < _today().isoformat():
                reasons.append(_reason(EVB_INVALID, "evb", "Die eVB-Nummer ist nicht mehr gültig."))
        allotted, plate_kind, plate_reasons = self._plate_for(record, vehicle_id)
        reasons += plate_reasons
        if vehicle.get("inspection_missing") and not items.get("inspection_due") and transaction != DEREGISTRATION:
            text = "Für das Fahrzeug ist keine Hauptuntersuchung gespeichert; geben Sie die nächste an."
            reasons.append(_reason(VEHICLE_STATE, "inspection_due", text))
        if reasons:
            return self._refuse(record, reasons)

        record["plate"] = allotted
        record["answer"]["plate_kind"] = plate_kind
        referrals = []
        if vehicle.get("review"):
            text = vehicle.get("review_note") or "Die Zulassungsbehörde prüft den Antrag."
            referrals.append(_reason(MANUAL, "", text))
        if str(items.get("account_holder") or "").strip():
            text = "Das SEPA-Lastschriftmandat eines anderen Kontoinhabers wird geprüft."
            referrals.append(_reason(SEPA, "account_holder", text))
        if referrals:
            record.update(outcome=REVIEW, reasons=referrals, decided_at=None)
            if allotted and plate_kind in ("wish", "random"):
                self.plates[allotted] = {"state": "held", "application": record["number"]}
            return None
        self._apply(record)
        return None

    def _plate_for(self, record: dict[str, Any], vehicle_id: str) -> tuple[str, str, list[dict[str, str]]]:
        """The plate this application gets, how (kept, reserved, wish, random, current), and why not."""
        transaction, variant = record["transaction"], record["variant"]
        keeper, items = record["keeper"], record["items"]
        vehicle = self.vehicles[vehicle_id]
        if transaction == DEREGISTRATION or variant == ADDRESS_CHANGE:
            return vehicle.get("plate", ""), "current", []
        wish = str(items.get("wish_plate") or "").strip()
        if wish:
            if self._plate_free(wish, keeper=keeper, number=record["number"], vehicle_id=vehicle_id):
                return wish, "wish", []
            text = "Das Wunschkennzeichen ist vergeben oder reserviert."
            return "", "", [_reason(PLATE_TAKEN, "wish_plate", text)]
        if _yes(items.get("keep_plate")):
            if transaction == REREGISTRATION:
                reserved = vehicle.get("reserved_plate") or ""
                if self._reserved_for(reserved, keeper) and self._plate_free(reserved, keeper=keeper):
                    return reserved, "reserved", []
                text = "Für das Fahrzeug ist kein Kennzeichen mehr reserviert."
                return "", "", [_reason(PLATE_TAKEN, "keep_plate", text)]
            if vehicle.get("plate"):
                return vehicle["plate"], "kept", []
        area = str(items.get("area_code") or "").strip().upper()
        if area not in AREA_CODE_BY_OFFICE.values():
            area = AREA_CODE_BY_OFFICE.get(record["office"], "KS")
        return self._random_plate(area), "random", []

    def _apply(self, record: dict[str, Any]) -> None:
        """An approved application's changes to the vehicle and the plates."""
        vehicle = self.vehicles[record["vehicle"]]
        transaction, keeper, items = record["transaction"], record["keeper"], record["items"]
        today = _today()
        old_plate, plate = vehicle.get("plate") or "", record["plate"]
        if transaction == DEREGISTRATION:
            vehicle.update(status=OFF_ROAD, plate="", last_plate=old_plate, deregistered_on=today.isoformat())
            vehicle["reserved_plate"] = ""
            vehicle["seal_front"] = vehicle["seal_rear"] = ""  # the seals are gone with the plates
            if items.get("recycling_date"):
                vehicle["scrapped"] = True
            if _yes(items.get("reserve_plate")) and old_plate:
                until = (today + datetime.timedelta(days=RESERVATION_DAYS)).isoformat()
                self.plates[old_plate] = {"state": "reserved", "keeper": _person(keeper), "until": until}
                vehicle["reserved_plate"] = old_plate
        else:
            if transaction == REREGISTRATION and vehicle.get("reserved_plate"):
                self._drop_plate_entry(vehicle["reserved_plate"])
                vehicle["reserved_plate"] = ""
            self._drop_plate_entry(plate)
            vehicle.update(
                status=REGISTERED,
                plate=plate,
                keeper=_person(keeper),
                address=_address(keeper),
                district=HOME_DISTRICT,
                last_registered_on=today.isoformat(),
            )
            vehicle.pop("last_plate", None)
            if items.get("inspection_due"):
                vehicle.update(inspection_missing=False, inspection_due=str(items["inspection_due"]))
            if record["office"]:
                vehicle["office"] = record["office"]
        record.update(outcome=APPROVED, decided_at=_now().isoformat(), reasons=[])

    def application(self, number: str) -> dict[str, Any] | None:
        with self.lock:
            record = self.applications.get(number)
            return self._decision(record) if record else None

    def application_decide(self, number: str, body: dict[str, Any]) -> dict[str, Any] | None:
        approve = body.get("approve")
        if not isinstance(approve, bool):
            raise BadRequest("approve must be true or false", "approve")
        reason = str(body.get("reason") or "").strip()
        if not approve and not reason:
            raise BadRequest("a refusal needs a reason", "reason")
        with self.lock:
            record = self.applications.get(number)
            if record is None:
                return None
            staff = record.get("staff")
            if staff is not None:
                if staff.get("approve") == approve:
                    return self._decision(record)
                raise Conflict("decided otherwise")
            if record["outcome"] != REVIEW:
                raise Conflict("not under review")
            record["staff"] = {"approve": approve, "actor": str(body.get("actor") or ""), "at": _now().isoformat()}
            record["answer"]["decided_by"] = "staff"
            held = self._plate_entry(record["plate"]) if record["plate"] else None
            if held and held.get("state") == "held" and held.get("application") == number:
                self._drop_plate_entry(record["plate"])
            vehicle = self.vehicles[record["vehicle"]]
            if approve and vehicle.get("status") != STATE_FOR[record["transaction"]]:
                # Another application changed the vehicle meanwhile: it can no longer be done.
                self._refuse(record, [_reason(VEHICLE_STATE, "", STATE_TEXTS[record["transaction"]])])
            elif approve:
                self._apply(record)
            else:
                self._refuse(record, [_reason(MANUAL, "", reason)])
            self._save()
            return self._decision(record)

    @staticmethod
    def _decision(record: dict[str, Any]) -> dict[str, Any]:
        return {
            "outcome": record["outcome"],
            "number": record["number"],
            "plate": record["plate"],
            "decided_at": record["decided_at"],
            "reasons": list(record["reasons"]),
            "answer": dict(record["answer"]),
        }


def handler_for(registry: VehicleRegistry, token: str) -> type[JsonRequestHandler]:
    class Handler(JsonRequestHandler):
        server_version = "DemoFahrzeugregister/1"

        def route(self, method: str, parts: list[str], query: str) -> None:
            try:
                if method == "POST" and parts == ["vehicles", "check"]:
                    return self.answer(200, registry.vehicle_check(self.body()))
                if method == "POST" and parts == ["plates", "check"]:
                    return self.answer(200, registry.plate_check(str(self.body().get("plate") or "")))
                if method == "POST" and parts == ["applications"]:
                    return self.answer(200, registry.application_send(self.body()))
                if method == "GET" and len(parts) == 2 and parts[0] == "applications":
                    decision = registry.application(parts[1])
                    if decision is None:
                        return self.answer(404, {"error": "no such application"})
                    return self.answer(200, decision)
                if method == "POST" and len(parts) == 3 and parts[0] == "applications" and parts[2] == "decision":
                    decision = registry.application_decide(parts[1], self.body())
                    if decision is None:
                        return self.answer(404, {"error": "no such application"})
                    return self.answer(200, decision)
            except BadRequest as error:
                return self.answer(400, {"error": error.error, "item": error.item})
            except Conflict as error:
                return self.answer(409, {"error": str(error)})
            except (ValueError, KeyError, TypeError) as error:
                return self.answer(400, {"error": type(error).__name__})
            return self.answer(404, {"error": "unknown request"})

    Handler.token = token
    return Handler


def serve(*, data: Path, token: str, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A started server (its port in ``server_address``); call ``serve_forever`` or run it in a thread."""
    return json_server(handler=handler_for(VehicleRegistry(Path(data)), token), host=host, port=port)


def main() -> None:
    serve_from_command_line(description="The demo vehicle registry (HTTP, JSON).", default_port=8102, serve=serve)


if __name__ == "__main__":
    main()
