"""Pages of a citizen's journey that a service family takes over, for what a form definition cannot show.

Most services are questions and answers, which the form engine asks itself. A few need a page the
engine cannot build from a definition: the Bürgerbüro's Meldebescheinigung asks for whom the
certificate is among the persons the residents' register lists, and issues an electronic one at once
instead of sending an application. A family registers a function for a service's step (by the step's
key) or for its check page (``CHECK``)::

    from amtsweg.applications.journey import CHECK, journey_pages

    @journey_pages.register("meldebescheinigung:person")
    def choose_person(*, request, draft): ...

The form engine calls it when it is about to show that page, after its own checks (the draft exists,
the earlier steps are done, the trust level is met by the gate). It returns the page, or None to let
the engine show its own. A function that takes over a step stores its answers with
``services.draft_save_step``, so that the draft, the check page, the submission and the case work as
for any form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from amtsweg.core.registry import Registry

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from .models import Draft

CHECK = "check"  # the page key of the check-answers page

Page = Callable[..., "HttpResponse | None"]

journey_pages: Registry[Page] = Registry(kind="journey page")


def journey_page(*, slug: str, page: str, request: HttpRequest, draft: Draft) -> HttpResponse | None:
    """The page a family shows instead of the engine's for ``<slug>:<page>``, or None."""
    key = f"{slug}:{page}"
    if key not in journey_pages:
        return None
    return journey_pages.entry(key)(request=request, draft=draft)
