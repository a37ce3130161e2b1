"""Sections that other apps add to "Mein Amtsweg", below the citizen's applications.

A service family registers a function under its name::

    from amtsweg.identity.account import AccountSection, account_sections

    @account_sections.register("residents")
    def objections(*, request, identity, account) -> AccountSection | None:
        ...  # the template and its context, or None to show nothing

The template is included with ``section`` as its context. The function decides itself whom it is for (e.g.
only a login with the eID at level "hoch").
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from amtsweg.core.registry import Registry

if TYPE_CHECKING:
    from django.http import HttpRequest

    from .base import Identity
    from .models import CitizenAccount


@dataclass(frozen=True)
class AccountSection:
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)


Section = Callable[..., "AccountSection | None"]
account_sections: Registry[Section] = Registry(kind="account section", unique=False)


def account_sections_for(*, request: HttpRequest, identity: Identity, account: CitizenAccount) -> list[AccountSection]:
    """Every app's section for this citizen, in the order the apps registered them."""
    sections = []
    families = account_sections.keys()
    for family in families:
        for function in account_sections.entries(family):
            section = function(request=request, identity=identity, account=account)
            if section is not None:
                sections.append(section)
    return sections
