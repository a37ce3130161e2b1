"""Per-service checks before a citizen fills in or sends a form, for what a trust level cannot say.

The trust-level gate (``identity.middleware``) asks for a login at the service's level. Some services
need more: the Bürgerbüro's may only be used by a person the residents' register knows under the data of
their ID (BMeldDigiV § 4). A service module registers a function for its catalogue slug::

    from amtsweg.applications.gates import service_gates

    @service_gates.register("auskunftssperre")
    def in_the_register(*, request, service, draft, submitting) -> HttpResponse | None:
        ...  # None: go on; a response: the page to show instead (and nothing is saved or sent)

It runs on every page of the form after the start page (starting, each question, the check page) and once
more right before the submission (``submitting`` True), outside any transaction, so it may ask an outside
service. ``draft`` is the citizen's draft (None while the form is being started).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from amtsweg.core.registry import Registry

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from amtsweg.catalogue.models import Service

    from .models import Draft

Gate = Callable[..., "HttpResponse | None"]

service_gates: Registry[Gate] = Registry(kind="service gate", unique=False)


def service_gate_answer(
    *, request: HttpRequest, service: Service, draft: Draft | None, submitting: bool = False
) -> HttpResponse | None:
    """The page a service's gate shows instead of the form, or None when every gate lets the citizen go on."""
    for gate in service_gates.entries(service.slug):
        answer: HttpResponse | None = gate(request=request, service=service, draft=draft, submitting=submitting)
        if answer is not None:
            return answer
    return None
