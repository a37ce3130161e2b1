"""The demo register's plugin: speaks the demo register's JSON API over HTTP (server.py).

A vendor plugin (XMeld over OSCI) implements the same calls; see docs/residents.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

import httpx
from django.conf import settings

from ...base import Address, Block, PersonQuery, RegisterRecord, RegisterRefused, RegisterUnavailable, ResidentsRegister
from ...registry import register


def _query(query: PersonQuery) -> dict[str, Any]:
    return {
        "family_name": query.family_name,
        "given_names": query.given_names,
        "birth_date": query.birth_date.isoformat() if query.birth_date else None,
        "address": query.address.as_dict() if query.address else None,
        "former_address": query.former_address.as_dict() if query.former_address else None,
    }


@register("demo")
class DemoRegister(ResidentsRegister):
    def check_configuration(self, *, production: bool) -> list[str]:
        problems = []
        if not self.config.get("url"):
            problems.append("RESIDENTS_REGISTER_DEMO_URL is not set")
        if production and not settings.DEMO_MODE:
            problems.append("the demo residents' register is for demo mode only")
        return problems

    def _call(self, method: str, path: str, *, body: dict[str, Any] | None = None, params: Any = None) -> Any:
        try:
            response = httpx.request(
                method,
                f"{self.config['url'].rstrip('/')}{path}",
                json=body,
                params=params,
                headers={"Authorization": f"Bearer {self.config.get('token', '')}"},
                timeout=float(self.config.get("timeout_seconds", 5.0)),
            )
        except httpx.HTTPError as error:
            raise RegisterUnavailable(type(error).__name__) from error
        if response.status_code >= 500 or response.status_code == 401:
            raise RegisterUnavailable(f"the register answered {response.status_code}")
        if response.status_code >= 400:
            raise RegisterRefused(f"the register answered {response.status_code}")
        try:
            return response.json()
        except ValueError as error:
            raise RegisterUnavailable("the register's answer is not JSON") from error

    def person_match(self, *, query: PersonQuery) -> str | None:
        return self._call("POST", "/persons/match", body=_query(query)).get("person")

    def person_search(self, *, query: PersonQuery) -> list[str]:
        return list(self._call("POST", "/persons/search", body=_query(query)).get("persons", []))

    def person_read(self, *, person_id: str, items: Iterable[str]) -> RegisterRecord:
        answer = self._call("GET", f"/persons/{person_id}", params={"items": ",".join(items)})
        return RegisterRecord(person_id=person_id, items=answer.get("items", {}))

    def represented(self, *, person_id: str) -> list[str]:
        return list(self._call("GET", f"/persons/{person_id}/represented").get("persons", []))

    def block_file(self, *, person_id: str, block: Block) -> None:
        until = block.until.isoformat() if block.until else None
        self._call("PUT", f"/persons/{person_id}/blocks/{block.kind}", body={"until": until})

    def block_withdraw(self, *, person_id: str, kind: str) -> None:
        self._call("DELETE", f"/persons/{person_id}/blocks/{kind}")

    def secondary_residence_end(self, *, person_id: str, address: Address, moved_out_on: datetime.date) -> None:
        body = {"address": address.as_dict(), "moved_out_on": moved_out_on.isoformat()}
        self._call("POST", f"/persons/{person_id}/moves", body=body)
