"""The appointments module's part in the back office's per-service hooks (``cases.hooks``)."""

from __future__ import annotations

from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from amtsweg.cases.constants import ChecklistDecision
from amtsweg.cases.hooks import case_hooks

from .services import appointments_cancel_for_case


@case_hooks.on_decision
def cancel_unneeded_appointments(*, case: Any, decision: str, actor: Any) -> str | None:
    """Staff decided from the checklist that no appointment is needed: an appointment the citizen has booked
    for the case is cancelled, and the citizen's message says so."""
    if decision != ChecklistDecision.COMPLETE:
        return None
    cancelled = appointments_cancel_for_case(case=case, actor=actor)
    if not cancelled:
        return None
    lines = [
        _("Your appointment on %(when)s at %(place)s (booking code %(code)s) is cancelled: it is no longer needed.")
        % {
            "when": formats.date_format(timezone.localtime(a.starts_at), "DATETIME_FORMAT"),
            "place": a.location.name,
            "code": a.booking_code,
        }
        for a in cancelled
    ]
    return "\n".join(lines)
