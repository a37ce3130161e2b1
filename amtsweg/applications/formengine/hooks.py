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

from collections.abc import Callable, Mapping
from typing import Any

from .base import FieldError

Rule = Callable[[dict[str, Any], str | None], list[FieldError]]


class HookRegistry:
    """Rule functions by service slug; a service may have several, run in the order registered."""

    def __init__(self) -> None:
        self._rules: dict[str, list[Rule]] = {}

    def register(self, service_slug: str) -> Callable[[Rule], Rule]:
        """Decorator: run the function for ``service_slug`` (see the module docstring)."""

        def decorator(function: Rule) -> Rule:
            rules = self._rules.setdefault(service_slug, [])
            # A module imported twice must not run its rule twice.
            qualified = f"{function.__module__}.{function.__qualname__}"
            rules[:] = [rule for rule in rules if f"{rule.__module__}.{rule.__qualname__}" != qualified]
            rules.append(function)
            return function

        return decorator

    def rules_for(self, service_slug: str) -> list[Rule]:
        """The functions registered for ``service_slug``."""
        return list(self._rules.get(service_slug, []))

    def unregister(self, service_slug: str, function: Rule) -> None:
        """Remove a function again (tests register rules for made-up services)."""
        rules = self._rules.get(service_slug, [])
        if function in rules:
            rules.remove(function)


service_rules = HookRegistry()


def run_service_rules(service_slug: str, answers: Mapping[str, Any], step_key: str | None) -> list[FieldError]:
    """The errors of every rule registered for the service, for one step or (step_key None) the whole form."""
    errors: list[FieldError] = []
    for rule in service_rules.rules_for(service_slug):
        errors.extend(rule(dict(answers), step_key))
    return errors
