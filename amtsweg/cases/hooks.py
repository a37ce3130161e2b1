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

    @case_hooks.on_status
    def write_the_decision(*, case: Case, from_status: str, to_status: str, actor: Any) -> None:
        ...  # runs inside case_transition's transaction, before the move is saved; CaseError refuses it

    @case_hooks.staff_panel
    def register_panel(*, case: Case, user: Any) -> CasePanel | None:
        ...  # a section of the case page: a template and its context, or None

    @case_hooks.inbox_lines
    def checklist_state(*, cases: Sequence[Any]) -> Mapping[str, str]:
        ...  # {case uuid: a short line} for the inbox rows of one page; one query, no outside call

    @case_hooks.on_decision
    def cancel_unneeded_appointments(*, case: Case, decision: str, actor: Any) -> str | None:
        ...  # runs inside case_checklist_decide's transaction; a sentence for the citizen's message, or None

    @case_hooks.citizen_panel
    def partner_panel(*, case: Case | None, submission: Any) -> CasePanel | None:
        ...  # a section of the citizen's status page, or None

    @case_hooks.statistics
    def triage_figures(*, case: Case) -> Mapping[str, Any]:
        ...  # the case's own anonymous figures for its statistics record when it closes (codes, numbers)

    @case_hooks.figures
    def triage_section(*, user: Any, department_ids: set[int] | None) -> CasePanel | None:
        ...  # a section of the department leads' figures page, or None

Functions decide themselves which services they are for (by ``case.service.slug``),
so a service list kept in configuration can change without re-registering.
An ``on_open`` function that raises undoes the opening (and, for a fee, the
payment's move to "paid" with it): keep them free of outside calls.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from amtsweg.core.registry import Registry

if TYPE_CHECKING:
    from .models import Case

OnOpen = Callable[..., Any]
CitizenStatus = Callable[..., "str | None"]


@dataclass(frozen=True)
class CasePanel:
    """A section a service module adds to the case page: ``template`` is included with ``panel`` as the context."""

    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


StaffPanel = Callable[..., "CasePanel | None"]
InboxLines = Callable[..., Mapping[str, str]]


class CaseHooks(Registry[Callable[..., Any]]):
    """Functions by kind of hook (``KINDS``), each kind's run in the order registered."""

    KINDS = (
        "on_open",
        "citizen_status",
        "closed_elsewhere",
        "on_status",
        "staff_panel",
        "inbox_lines",
        "on_decision",
        "citizen_panel",
        "statistics",
        "figures",
    )

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

    def on_status(self, function: OnOpen) -> OnOpen:
        """Decorator: call ``function(case=case, from_status=..., to_status=..., actor=...)`` when staff move a
        case on (``case_transition``), inside its transaction with the case row locked, after the move is
        allowed and before it is saved. Raising ``CaseError`` refuses the move: nothing is saved, staff see the
        message. It may call an outside service (e.g. write a decision to the residents' register): it holds
        only this case's lock, and a move that is refused after the call can be made again."""
        return self.add("on_status", function)

    def staff_panel(self, function: StaffPanel) -> StaffPanel:
        """Decorator: ``function(case=case, user=user)`` may return a ``CasePanel`` that the case page shows
        (e.g. what the residents' register says about the applicant), or None. It runs on every display of the
        case page, for the staff member who sees it."""
        return self.add("staff_panel", function)

    def inbox_lines(self, function: InboxLines) -> InboxLines:
        """Decorator: ``function(cases=cases)`` is given the rows of one inbox page (each with ``uuid``,
        ``reference``, ``status`` and ``service_id``) and returns ``{uuid: text}``: a short line the row shows
        under the service (e.g. "3 of 5 documents"). It runs once per page for all its rows: it decides itself
        which cases it is for, reads with one query at most and calls no outside service."""
        return self.add("inbox_lines", function)

    def on_decision(self, function: CitizenStatus) -> CitizenStatus:
        """Decorator: call ``function(case=case, decision=..., actor=...)`` when staff decide from the checklist
        whether an appointment is needed (``case_checklist_decide``), inside its transaction with the case row
        locked, in the citizen's language. It may return a sentence that is added to the message the citizen
        gets (e.g. that the appointment they booked is cancelled as no longer needed), or None."""
        return self.add("on_decision", function)

    def statistics(self, function: Callable[..., Mapping[str, Any]]) -> Callable[..., Mapping[str, Any]]:
        """Decorator: ``function(case=case)`` returns the case's own anonymous figures (e.g. a topic and the
        hours to the first contact), stored in its statistics record when it closes, inside the closing
        transaction. Codes and numbers only: the record outlives the case and must not name anybody."""
        return self.add("statistics", function)

    def figures(self, function: StaffPanel) -> StaffPanel:
        """Decorator: ``function(user=user, department_ids=ids)`` may return a ``CasePanel`` that the figures page
        of the department leads shows (``ids``: the user's departments, None for all), or None."""
        return self.add("figures", function)

    def statistics_details(self, *, case: Case) -> dict[str, Any]:
        """The figures of every ``statistics`` function for ``case``, merged."""
        details: dict[str, Any] = {}
        for function in self.functions("statistics"):
            details.update(function(case=case) or {})
        return details

    def figures_panels(self, *, user: Any, department_ids: Any) -> list[CasePanel]:
        panels = (function(user=user, department_ids=department_ids) for function in self.functions("figures"))
        return [panel for panel in panels if panel is not None]

    def decided(self, *, case: Case, decision: str, actor: Any) -> list[str]:
        texts = (function(case=case, decision=decision, actor=actor) for function in self.functions("on_decision"))
        return [str(text) for text in texts if text]

    def citizen_panel(self, function: StaffPanel) -> StaffPanel:
        """Decorator: ``function(case=case, submission=submission)`` may return a ``CasePanel`` that the
        citizen's status page shows (e.g. whether the partner has confirmed their part), or None. ``case`` is
        None while a fee is unpaid. It runs on every display of the status page: it reads, it never writes."""
        return self.add("citizen_panel", function)

    def citizen_panels(self, *, case: Case | None, submission: Any) -> list[CasePanel]:
        panels = (function(case=case, submission=submission) for function in self.functions("citizen_panel"))
        return [panel for panel in panels if panel is not None]

    def lines(self, *, cases: Sequence[Any]) -> dict[str, list[str]]:
        """The lines of every ``inbox_lines`` function for ``cases`` (inbox rows), by the case's uuid."""
        lines: dict[str, list[str]] = {}
        if not cases:
            return lines
        for function in self.functions("inbox_lines"):
            for uuid, text in function(cases=cases).items():
                if text:
                    lines.setdefault(str(uuid), []).append(str(text))
        return lines

    def status_changing(self, *, case: Case, from_status: str, to_status: str, actor: Any) -> None:
        for function in self.functions("on_status"):
            function(case=case, from_status=from_status, to_status=to_status, actor=actor)

    def panels(self, *, case: Case, user: Any) -> list[CasePanel]:
        panels = (function(case=case, user=user) for function in self.functions("staff_panel"))
        return [panel for panel in panels if panel is not None]

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
