"""The demo vehicle registry's plugin: speaks the demo registry's JSON API over HTTP (server.py).

A vendor plugin (XKfz through a certified i-Kfz portal) implements the same calls; see docs/vehicles.md.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

import httpx
from django.conf import settings

from ...base import (
    Application,
    Decision,
    Keeper,
    Reason,
    RegistryRefused,
    RegistryUnavailable,
    VehicleInfo,
    VehicleRegistry,
)
from ...registry import register


def _date(value: Any) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(value)) if value else None
    except ValueError as error:
        raise RegistryUnavailable("the registry's answer has a malformed date") from error


def _decision(answer: Mapping[str, Any]) -> Decision:
    try:
        decided_at = datetime.datetime.fromisoformat(answer["decided_at"]) if answer.get("decided_at") else None
        return Decision(
            outcome=str(answer["outcome"]),
            number=str(answer["number"]),
            plate=str(answer.get("plate") or ""),
            decided_at=decided_at,
            reasons=tuple(Reason.from_dict(reason) for reason in answer.get("reasons") or []),
            answer=dict(answer.get("answer") or {}),
        )
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        raise RegistryUnavailable("the registry's decision is malformed") from error


@register("demo")
class DemoVehicleRegistry(VehicleRegistry):
    def check_configuration(self, *, production: bool) -> list[str]:
        problems = []
        if not self.config.get("url"):
            problems.append("VEHICLE_REGISTRY_DEMO_URL is not set")
        if production and not settings.DEMO_MODE:
            problems.append("the demo vehicle registry is for demo mode only")
        return problems

    def _call(self, method: str, path: str, *, body: Mapping[str, Any] | None = None) -> dict[str, Any]:
        try:
            response = httpx.request(
                method,
                f"{self.config['url'].rstrip('/')}{path}",
                json=body,
                headers={"Authorization": f"Bearer {self.config.get('token', '')}"},
                timeout=float(self.config.get("timeout_seconds", 5.0)),
            )
        except httpx.HTTPError as error:
            raise RegistryUnavailable(type(error).__name__) from error
        if response.status_code >= 500 or response.status_code == 401:
            raise RegistryUnavailable(f"the registry answered {response.status_code}")
        if response.status_code >= 400:
            raise RegistryRefused(f"the registry answered {response.status_code}")
        try:
            answer = response.json()
        except ValueError as error:
            raise RegistryUnavailable("the registry's answer is not JSON") from error
        if not isinstance(answer, dict):
            raise RegistryUnavailable("the registry's answer is not a JSON object")
        return answer

    def vehicle_check(self, *, keeper: Keeper, plate: str = "", vin: str = "") -> VehicleInfo:
        answer = self._call("POST", "/vehicles/check", body={"keeper": keeper.as_dict(), "plate": plate, "vin": vin})
        return VehicleInfo(
            status=str(answer.get("status") or "unknown"),
            keeper_matches=bool(answer.get("keeper_matches")),
            plate=str(answer.get("plate") or ""),
            make=str(answer.get("make") or ""),
            last_registered_on=_date(answer.get("last_registered_on")),
            inspection_missing=bool(answer.get("inspection_missing")),
            reserved_plate=str(answer.get("reserved_plate") or ""),
            in_district=bool(answer.get("in_district")),
        )

    def plate_check(self, *, plate: str) -> bool:
        return bool(self._call("POST", "/plates/check", body={"plate": plate}).get("available"))

    def application_send(self, *, application: Application) -> Decision:
        return _decision(self._call("POST", "/applications", body=_jsonable(application.as_dict())))

    def application_status(self, *, number: str) -> Decision:
        return _decision(self._call("GET", f"/applications/{_segment(number)}"))

    def application_decide(self, *, number: str, approve: bool, reason: str, actor: str) -> Decision:
        body = {"approve": approve, "reason": reason, "actor": actor}
        return _decision(self._call("POST", f"/applications/{_segment(number)}/decision", body=body))


def _segment(number: str) -> str:
    """An application number as one path segment (it is the registry's, but never trusted to be plain)."""
    return quote(number, safe="")


def _jsonable(value: Any) -> Any:
    """Items as JSON: dates as ISO text (an answer may hold a date), mappings and lists walked."""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(key): _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value
