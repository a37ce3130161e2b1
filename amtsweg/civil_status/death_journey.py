"""The death notice's own page in the form engine's journey (``applications.journey``): the stop.

A death is reported to the Standesamt of the place of death (§ 28 PStG). A citizen who answers that the person
died outside the city names the town, and is then shown a page that says where to go instead, with the
authority finder and the public administration's number, rather than an error: the form goes no further (the
service rule refuses the step and the submission all the same, ``rules.sterbefall_voranzeige``).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from amtsweg.applications import selectors as application_selectors
from amtsweg.applications import services as application_services
from amtsweg.applications.formengine.registry import field_types
from amtsweg.applications.journey import journey_pages
from amtsweg.applications.models import Draft

from . import death_notice, entitlement

ELSEWHERE = "elsewhere"


@journey_pages.register(f"{death_notice.SLUG}:{ELSEWHERE}")
def death_elsewhere(*, request: HttpRequest, draft: Draft) -> HttpResponse | None:
    """After the town of a death outside the city is given: the page that sends the citizen to its Standesamt.

    The question itself, and any error in the answer (empty, too long, the city itself), are the engine's."""
    if request.method != "POST" or request.POST.get("action") == "save":
        return None
    definition = application_selectors.definition_of(form_version=draft.form_version)
    spec = next(spec for spec in definition.step(ELSEWHERE).fields if spec.key == "death_town")
    cleaned = field_types.get(spec.type).clean(spec, request.POST, request.FILES)
    town = cleaned.value
    if cleaned.errors or not isinstance(town, str) or entitlement.in_registry_district(town):
        return None
    # What was typed is kept; the step stays open, so the form cannot go on.
    application_services.draft_save_step(
        draft=draft, step_key=ELSEWHERE, step_answers={"death_town": town}, complete=False
    )
    return render(
        request,
        "civil_status/death_elsewhere.html",
        {
            "service": draft.service,
            "town": town,
            "city": settings.PORTAL["city"],
            "finder_url": settings.CIVIL_STATUS_DEATH_NOTICE["finder_url"],
            "back_url": reverse("applications:step", kwargs={"slug": death_notice.SLUG, "step": "place"}),
        },
    )
