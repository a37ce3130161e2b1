"""Per-service hooks of the back office, for service modules (like ``formengine.hooks`` for forms).

A service module (e.g. ``civil_status``) registers functions in its ``AppConfig.ready()``::

    from amtsweg.cases.hooks import case_hooks

    @case_hooks.on_open
    def queue_certificate_order(*, case: Case) -> None:
        ...  # runs inside case_open's transaction; must be idempotent and quick

    @case_hooks.citizen_status
    def certificate_status(*, case: Case) -> str | None:
        ...  # the state the citizen sees, or None for the standard label

    @case_hooks.closed_elsewhere
    def certificate_closing(*, case: Case) -> str | None:
        ...  # why the case page may not end this case (the module ends it itself), or None

Functions decide themselves which services they are for (by ``case.service.slug``),
so a service list kept in configuration can change without re-registering.
An ``on_open`` function that raises undoes the opening (and, for a fee, the
payment's move to "paid" with it): keep them free of outside calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from amtsweg.core.registry import Registry

if TYPE_CHECKING:
    from .models import Case

OnOpen = Callable[..., Any]
CitizenStatus = Callable[..., "str | None"]


class CaseHooks(Registry[Callable[..., Any]]):
    """Functions by kind of hook (``KINDS``), each kind's run in the order registered."""

    KINDS = ("on_open", "citizen_status", "closed_elsewhere")

    def __init__(self) -> None:
        super().__init__(kind="case hook", unique=False)

    def functions(self, kind: str) -> list[Callable[..., Any]]:
        """The functions registered for one kind of hook (see ``KINDS``)."""
        return self.entries(kind)

    def on_open(self, function: OnOpen) -> OnOpen:
        """Decorator: call ``function(case=case)`` when a case is opened (see the module docstring)."""
        return self.add("on_open", function)

    def citizen_status(self, function: CitizenStatus) -> CitizenStatus:
        """Decorator: ``function(case=case)`` may name the state the citizen sees instead of the standard label."""
        return self.add("citizen_status", function)

    def closed_elsewhere(self, function: CitizenStatus) -> CitizenStatus:
        """Decorator: ``function(case=case)`` may say why the case page must not end the case, because the
        service module ends it in its own workflow (e.g. a rejection that must refund). The case page then
        offers no final state and shows the message."""
        return self.add("closed_elsewhere", function)

    def closing_elsewhere_message(self, *, case: Case) -> str | None:
        for function in self.functions("closed_elsewhere"):
            message = function(case=case)
            if message:
                return str(message)
        return None

    def opened(self, *, case: Case) -> None:
        for function in self.functions("on_open"):
            function(case=case)

    def citizen_status_label(self, *, case: Case) -> str | None:
        for function in self.functions("citizen_status"):
            label = function(case=case)
            if label:
                return str(label)
        return None


case_hooks = CaseHooks()
