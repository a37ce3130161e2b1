"""Per-service rules in Python, for what a definition cannot say declaratively.

A service module registers a function for its catalogue slug::

    from amtsweg.applications.formengine.base import FieldError
    from amtsweg.applications.formengine.hooks import service_rules

    @service_rules.register("nebenwohnung-abmelden")
    def one_address_in_kassel(answers: dict, step_key: str | None) -> list[FieldError]:
        if step_key in ("main", None) and not (is_kassel(answers.get("main_address")) or ...):
            return [FieldError("main_address", gettext("..."), part="postcode")]
        return []

The function runs after the declarative rules of a step have passed
(``step_key`` is the step's key), and once more before submission
(``step_key`` is None), over all answers given so far. It returns errors for
fields; an error's key should be a field of that step, so the error summary
can link to it. Functions must not change ``answers``: they get a copy.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from amtsweg.core.registry import Registry

from .base import FieldError

Rule = Callable[[dict[str, Any], str | None], list[FieldError]]


class HookRegistry(Registry[Rule]):
    """Rule functions by service slug; a service may have several, run in the order registered."""

    def __init__(self) -> None:
        super().__init__(kind="service rule", unique=False)

    def rules_for(self, service_slug: str) -> list[Rule]:
        """The functions registered for ``service_slug``."""
        return self.entries(service_slug)

    def unregister(self, service_slug: str, function: Rule) -> None:
        """Remove a function again (tests register rules for made-up services)."""
        self.remove(service_slug, function)


service_rules = HookRegistry()


def run_service_rules(service_slug: str, answers: Mapping[str, Any], step_key: str | None) -> list[FieldError]:
    """The errors of every rule registered for the service, for one step or (step_key None) the whole form."""
    errors: list[FieldError] = []
    for rule in service_rules.rules_for(service_slug):
        errors.extend(rule(dict(answers), step_key))
    return errors


# --- notices: what a service works out from the answers and tells the citizen and staff -----------------


@dataclass(frozen=True)
class Notice:
    """A fact a service works out from the answers, shown on the check page, the confirmation page, in the
    confirmation email and the summary PDF (e.g. the deadline of a death notice). ``warning``: shown as a
    warning (a deadline already passed)."""

    key: str
    title: str
    text: str
    warning: bool = False


NoticeRule = Callable[..., list[Notice]]

service_notices: Registry[NoticeRule] = Registry(kind="service notice", unique=False)


def notices_for(service_slug: str, answers: Mapping[str, Any], *, sent_on: datetime.date | None = None) -> list[Notice]:
    """The notices of every function registered for the service (``function(answers, sent_on=...)``):
    ``sent_on`` is the day the form was sent, None while it is being filled in (today)."""
    notices: list[Notice] = []
    for function in service_notices.entries(service_slug):
        notices.extend(function(dict(answers), sent_on=sent_on))
    return notices
