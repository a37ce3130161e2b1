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
from dataclasses import dataclass
from typing import TYPE_CHECKING

from amtsweg.core.registry import Registry

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponse

    from .models import Draft, Submission

CHECK = "check"  # the page key of the check-answers page


@dataclass(frozen=True)
class CitizenDocument:
    """A document a family offers with a submission on the confirmation and status pages (a link)."""

    title: str
    url: str


Page = Callable[..., "HttpResponse | None"]

journey_pages: Registry[Page] = Registry(kind="journey page")

# A family's documents of a sent application, by the service's slug: ``function(submission=...)`` returns
# a list of ``CitizenDocument`` (e.g. the Standesamt's prepared declaration of leaving the church, to sign
# at the counter). The confirmation and status pages list them under the summary PDF.
citizen_documents: Registry[Callable[..., list[CitizenDocument]]] = Registry(kind="citizen document")


def journey_page(*, slug: str, page: str, request: HttpRequest, draft: Draft) -> HttpResponse | None:
    """The page a family shows instead of the engine's for ``<slug>:<page>``, or None."""
    key = f"{slug}:{page}"
    if key not in journey_pages:
        return None
    return journey_pages.entry(key)(request=request, draft=draft)


def citizen_documents_of(*, submission: Submission) -> list[CitizenDocument]:
    """The documents the service's family offers with this submission (``citizen_documents``)."""
    slug = submission.service.slug
    if slug not in citizen_documents:
        return []
    return list(citizen_documents.entry(slug)(submission=submission))
