"""Computing what a submission costs from its answers and the catalogue's fee rules.

The amount is always computed here, on the server, from the fee items in
force on the day (``catalogue.selectors.fee_list_current``); nothing the
browser sends is taken as an amount. Money is whole cents.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils import translation

from amtsweg.catalogue.models import Fee, Service
from amtsweg.catalogue.selectors import fee_list_current
from amtsweg.core.conditions import ConditionError, evaluate

logger = logging.getLogger(__name__)

MAX_UNITS = 99  # a number answer beyond this is a typo, not an order


@dataclass(frozen=True)
class FeeLine:
    code: str
    label: dict[str, str]  # per language, frozen with the payment
    unit_cents: int
    quantity: int
    total_cents: int

    def label_in(self, language: str | None = None) -> str:
        language = (language or translation.get_language() or settings.LANGUAGE_CODE)[:2]
        return self.label.get(language) or self.label.get(settings.LANGUAGE_CODE) or self.code

    def as_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "unit_cents": self.unit_cents,
            "quantity": self.quantity,
            "total_cents": self.total_cents,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> FeeLine:
        return cls(
            code=str(data["code"]),
            label=dict(data.get("label") or {}),
            unit_cents=int(data["unit_cents"]),
            quantity=int(data["quantity"]),
            total_cents=int(data["total_cents"]),
        )


@dataclass(frozen=True)
class FeeQuote:
    lines: tuple[FeeLine, ...]

    @property
    def total_cents(self) -> int:
        return sum(line.total_cents for line in self.lines)

    @property
    def payable(self) -> bool:
        return self.total_cents > 0


def _units(fee: Fee, answers: Mapping[str, Any]) -> int:
    if not fee.quantity_from:
        return max(1 - fee.quantity_skip, 0)
    raw = answers.get(fee.quantity_from)
    if isinstance(raw, bool):
        return 0
    try:
        units = int(raw) if raw not in (None, "") else 0
    except (TypeError, ValueError):
        return 0
    return max(min(units, MAX_UNITS) - fee.quantity_skip, 0)


def _applies(fee: Fee, answers: Mapping[str, Any]) -> bool:
    if not fee.applies_if.strip():
        return True
    try:
        return evaluate(fee.applies_if, answers)
    except ConditionError:
        # The admin validates rules on save; a broken one must not charge anybody.
        logger.error("fee rule %s of %s cannot be evaluated: %r", fee.code, fee.service_id, fee.applies_if)
        return False


def fee_quote(*, service: Service, answers: Mapping[str, Any], on: datetime.date | None = None) -> FeeQuote:
    """The itemised fee for these answers: the items in force that apply, times their units.

    Items with no unit (e.g. no further copies) are left out; free items that
    apply stay in as zero lines, so the citizen sees why nothing is charged.
    """
    lines = []
    for fee in fee_list_current(service=service, on=on):
        if not _applies(fee, answers):
            continue
        units = _units(fee, answers)
        if units <= 0:
            continue
        labels = {code: getattr(fee, f"label_{code}", "") or fee.label for code, _name in settings.LANGUAGES}
        lines.append(
            FeeLine(
                code=fee.code,
                label=labels,
                unit_cents=fee.amount_cents,
                quantity=units,
                total_cents=fee.amount_cents * units,
            )
        )
    return FeeQuote(lines=tuple(lines))
