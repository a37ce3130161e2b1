"""The demo residents' register: a small HTTP service that stands in for a city's register.

It is not part of the portal. ``make run`` starts it beside the portal (``manage.py
demo_register``), and the tests start it on a free port, so the portal reaches it over
HTTP through its plugin (``plugin.py``) as it would reach a vendor's. The persons live in
one JSON file (made by ``manage.py load_register_demo``); changes (blockings, move-outs)
are written back to it. Every request needs the bearer token it was started with.

The API, all JSON:

- ``POST /persons/match`` with a query: ``{"person": id or null}`` (an exact match)
- ``POST /persons/search`` with a query: ``{"persons": [ids]}``
- ``GET /persons/<id>?items=0101,0301``: ``{"person": id, "items": {...}}``
- ``GET /persons/<id>/represented``: ``{"persons": [ids]}``
- ``PUT /persons/<id>/blocks/<kind>`` with ``{"until": date or null}``; ``DELETE`` the same
- ``POST /persons/<id>/moves`` with ``{"address": {...}, "moved_out_on": date}`` (409 if the person has no
  such secondary residence; the same move-out again is answered 200)

Standard library only and the shared frame of the demo services (``core/demo_http.py``), so it runs without the
portal's settings.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
import unicodedata
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

from amtsweg.core.demo_http import JsonRequestHandler, json_server, serve_from_command_line

FAMILY_NAME, GIVEN_NAMES, BIRTH_DATE, MAIN_ADDRESS, SECONDARY_ADDRESSES, BLOCKS = (
    "0101",
    "0301",
    "0601",
    "1201",
    "1202",
    "1801",
)
LEGAL_REPRESENTATIVES = "0902"
ADDRESS_PARTS = ("street", "house_number", "postcode", "town")


def _plain(text: Any) -> str:
    """Compared as the register compares: Unicode-normalised, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFC", str(text or "")).casefold().split())


def _same_address(one: Any, other: Any) -> bool:
    if not isinstance(one, dict) or not isinstance(other, dict):
        return False
    return all(_plain(one.get(part)) == _plain(other.get(part)) for part in ADDRESS_PARTS)


class Register:
    """The persons of the JSON file, under one lock; every change is written back at once."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.persons: dict[str, dict[str, Any]] = json.loads(path.read_text(encoding="utf-8"))["persons"]

    def _save(self) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".register-")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump({"persons": self.persons}, out, ensure_ascii=False, indent=1)
        os.replace(tmp, self.path)

    def match(self, query: dict[str, Any]) -> str | None:
        for person_id, person in self.persons.items():
            if (
                _plain(person.get(FAMILY_NAME)) == _plain(query.get("family_name"))
                and _plain(person.get(GIVEN_NAMES)) == _plain(query.get("given_names"))
                and person.get(BIRTH_DATE) == query.get("birth_date")
                and _same_address(person.get(MAIN_ADDRESS), query.get("address"))
            ):
                return person_id
        return None

    def search(self, query: dict[str, Any]) -> list[str]:
        """Name and one given name, and the address or the other items given; all of them must fit."""
        wanted_given = set(_plain(query.get("given_names")).split())
        found = []
        for person_id, person in self.persons.items():
            if _plain(person.get(FAMILY_NAME)) != _plain(query.get("family_name")):
                continue
            if not wanted_given or not wanted_given <= set(_plain(person.get(GIVEN_NAMES)).split()):
                continue
            if query.get("birth_date") and person.get(BIRTH_DATE) != query["birth_date"]:
                continue
            if query.get("address") and not any(
                _same_address(address, query["address"])
                for address in [person.get(MAIN_ADDRESS), *person.get(SECONDARY_ADDRESSES, [])]
            ):
                continue
            if query.get("former_address") and not any(
                _same_address(address, query["former_address"]) for address in person.get("former_addresses", [])
            ):
                continue
            found.append(person_id)
        return found

    def read(self, person_id: str, items: list[str]) -> dict[str, Any]:
        person = self.persons[person_id]
        return {number: person[number] for number in items if number in person}

    def represented(self, person_id: str) -> list[str]:
        return [
            other_id
            for other_id, other in self.persons.items()
            if any(rep.get("person") == person_id for rep in other.get(LEGAL_REPRESENTATIVES, []))
        ]

    def block(self, person_id: str, kind: str, until: str | None) -> None:
        with self.lock:
            person = self.persons[person_id]
            blocks = [block for block in person.get(BLOCKS, []) if block.get("kind") != kind]
            person[BLOCKS] = [*blocks, {"kind": kind, "until": until}]
            self._save()

    def unblock(self, person_id: str, kind: str) -> None:
        with self.lock:
            person = self.persons[person_id]
            person[BLOCKS] = [block for block in person.get(BLOCKS, []) if block.get("kind") != kind]
            self._save()

    def move_out(self, person_id: str, address: dict[str, Any], moved_out_on: str) -> bool:
        """End a secondary residence; the same move-out recorded before is done already (idempotent)."""
        with self.lock:
            person = self.persons[person_id]
            kept = [a for a in person.get(SECONDARY_ADDRESSES, []) if not _same_address(a, address)]
            if len(kept) == len(person.get(SECONDARY_ADDRESSES, [])):
                return any(
                    _same_address(former, address) and former.get("moved_out_on") == moved_out_on
                    for former in person.get("former_addresses", [])
                )
            person[SECONDARY_ADDRESSES] = kept
            person.setdefault("former_addresses", []).append({**address, "moved_out_on": moved_out_on})
            self._save()
            return True


def handler_for(register: Register, token: str) -> type[JsonRequestHandler]:
    class Handler(JsonRequestHandler):
        server_version = "DemoMelderegister/1"

        def route(self, method: str, parts: list[str], query: str) -> None:
            try:
                if method == "POST" and parts == ["persons", "match"]:
                    return self.answer(200, {"person": register.match(self.body())})
                if method == "POST" and parts == ["persons", "search"]:
                    return self.answer(200, {"persons": register.search(self.body())})
                if len(parts) < 2 or parts[0] != "persons" or parts[1] not in register.persons:
                    return self.answer(404, {"error": "no such person"})
                person_id = parts[1]
                if method == "GET" and len(parts) == 2:
                    items = [n for n in parse_qs(query).get("items", [""])[0].split(",") if n]
                    return self.answer(200, {"person": person_id, "items": register.read(person_id, items)})
                if method == "GET" and parts[2:] == ["represented"]:
                    return self.answer(200, {"persons": register.represented(person_id)})
                if len(parts) == 4 and parts[2] == "blocks" and method == "PUT":
                    register.block(person_id, parts[3], self.body().get("until"))
                    return self.answer(200, {})
                if len(parts) == 4 and parts[2] == "blocks" and method == "DELETE":
                    register.unblock(person_id, parts[3])
                    return self.answer(200, {})
                if method == "POST" and parts[2:] == ["moves"]:
                    body = self.body()
                    if not register.move_out(person_id, body.get("address") or {}, str(body.get("moved_out_on"))):
                        return self.answer(409, {"error": "no such secondary residence"})
                    return self.answer(200, {})
            except (ValueError, KeyError) as error:
                return self.answer(400, {"error": type(error).__name__})
            return self.answer(404, {"error": "unknown request"})

    Handler.token = token
    return Handler


def serve(*, data: Path, token: str, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
    """A started server (its port in ``server_address``); call ``serve_forever`` or run it in a thread."""
    return json_server(handler=handler_for(Register(data), token), host=host, port=port)


def main() -> None:
    serve_from_command_line(description="The demo residents' register (HTTP, JSON).", default_port=8101, serve=serve)


if __name__ == "__main__":
    main()
