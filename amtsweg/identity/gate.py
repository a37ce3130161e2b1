"""The one place where a service's lowest trust level is enforced (see middleware.TrustLevelGateMiddleware).

Forms (start, steps, save, check) and the status pages of a submission need a
session at the service's level or higher. The catalogue page and the form's
start page stay open, so that citizens can read what is needed before logging in.
Each view declares which of these it is (``core.trustgate``); here the
declaration becomes a level.
"""

from __future__ import annotations

from typing import Any

from amtsweg.applications.models import Submission
from amtsweg.applications.selectors import service_trust_level
from amtsweg.catalogue.constants import TrustLevel
from amtsweg.catalogue.selectors import service_with_department
from amtsweg.core.trustgate import Gate, TrustGate


def required_level(*, gate: TrustGate, kwargs: dict[str, Any], method: str) -> str:
    """The level the requested page needs ("none" if it needs no login)."""
    if not gate.applies_to(method):
        level = None
    elif gate.by == Gate.FORM:
        level = service_trust_level(slug=str(kwargs.get("slug", "")))
    elif gate.by == Gate.SUBMISSION:
        # The submission's service id only; its level from the process's copy of the service (no join).
        found = Submission.objects.filter(uuid=kwargs["uuid"]).values_list("service_id", flat=True)[:1]
        service_id = next(iter(found), None)
        level = service_with_department(pk=service_id).trust_level if service_id is not None else None
    else:
        level = None
    return level or TrustLevel.NONE
