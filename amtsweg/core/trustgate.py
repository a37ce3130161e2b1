"""Every citizen-facing view says on itself whether the trust-level gate applies to it.

The gate (``identity.middleware.TrustLevelGateMiddleware``) refuses a service's
form pages and a submission's status pages to a session below the service's
trust level. What it checks, it reads from the view:

- ``@trust_gate(Gate.FORM)``: the level of the service whose form the URL names
  by its ``slug``;
- ``@trust_gate(Gate.SUBMISSION)``: the level of the service of the submission
  the URL names by its ``uuid``;
- ``@public``: no login is needed. The view may still check other things (the
  session's access to a submission, a signed token), just not a trust level.

``tests/test_architecture.py`` walks the URLconf and fails for a citizen URL
whose view says neither, so no view is added without that decision. Put the
decorator outermost, above ``require_http_methods`` and the like: it marks the
function the URLconf holds and wraps nothing (no cost per request).

This lives in ``core`` so that every app can mark its views without importing
``identity``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

ATTRIBUTE = "trust_gate"


class Gate(StrEnum):
    FORM = "form"  # the service named by the URL's ``slug``
    SUBMISSION = "submission"  # the service of the submission named by the URL's ``uuid``
    PUBLIC = "public"  # no login needed


@dataclass(frozen=True)
class TrustGate:
    by: Gate
    methods: frozenset[str] | None = None  # the HTTP methods gated; None: every method

    def applies_to(self, method: str) -> bool:
        return self.by != Gate.PUBLIC and (self.methods is None or method in self.methods)


def trust_gate[V: Callable[..., Any]](by: Gate, *, methods: Iterable[str] | None = None) -> Callable[[V], V]:
    """Declare how the gate finds the trust level the view needs (only for ``methods``, if given)."""
    declared = TrustGate(by=by, methods=frozenset(methods) if methods is not None else None)

    def mark(view: V) -> V:
        setattr(view, ATTRIBUTE, declared)
        return view

    return mark


def public[V: Callable[..., Any]](view: V) -> V:
    """Declare that the view needs no login of any trust level."""
    return trust_gate(Gate.PUBLIC)(view)


def trust_gate_of(view: Callable[..., Any]) -> TrustGate | None:
    """What the view declared; None if it declared nothing (staff pages, the admin, the demo providers)."""
    return getattr(view, ATTRIBUTE, None)
