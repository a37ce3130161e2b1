"""Where citizens give up: the form funnel, counted on the server without cookies or personal data.

The journey's views call these functions at each point of a form: a draft started, a step reached (on its
first view or post), the check page reached, an application sent, and the fields whose errors a citizen met.
Each point is counted once per draft: the draft remembers the points it was counted at
(``Draft.funnel_counted``), so a reload or a return to a step is not counted again. Only the day, the form
version, the step's and the field's keys are counted (``statistics.FunnelCount``), never an answer or an
identifier. The draft's mark is written without touching ``updated_at``, which drives its retention.

Counting must never break the citizen's request: a failure is logged and the request goes on.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.db import DatabaseError, transaction

from amtsweg.statistics.constants import FunnelKind
from amtsweg.statistics.hooks import FormLabels, form_labels
from amtsweg.statistics.services import funnel_count

from .formengine.base import FieldError, Step, tr
from .models import Draft, FormVersion
from .selectors import definition_of

logger = logging.getLogger(__name__)


def _marks_new(*, draft: Draft, marks: list[str]) -> list[str]:
    """Of ``marks``, those the draft was not counted at yet; they are recorded on the draft at once.

    The draft's row is locked while its marks are read and written, so two parallel requests of one draft
    (a double click) count a point once. ``update()`` leaves ``updated_at`` as it is."""
    wanted = [mark for mark in dict.fromkeys(marks) if mark not in draft.funnel_counted]
    if not wanted:
        return []
    try:
        with transaction.atomic():
            current = Draft.objects.select_for_update().filter(pk=draft.pk).values_list("funnel_counted", flat=True)
            counted = next(iter(current), None)
            if counted is None:  # the draft is gone (sent or discarded by a parallel request)
                return []
            new = [mark for mark in wanted if mark not in counted]
            if new:
                Draft.objects.filter(pk=draft.pk).update(funnel_counted=[*counted, *new])
            draft.funnel_counted = [*counted, *new]
    except DatabaseError:
        logger.warning("funnel: the draft's marks could not be written (service %s)", draft.service_id)
        return []
    return new


def _count(draft: Draft, kind: str, *, step: str = "", field: str = "", position: int = 0) -> None:
    funnel_count(
        service_id=draft.service_id,
        form_version=draft.form_version.number,
        kind=kind,
        step=step,
        field=field,
        position=position,
    )


def funnel_started(*, draft: Draft) -> None:
    """A citizen started a draft of the form."""
    if _marks_new(draft=draft, marks=["started"]):
        _count(draft, FunnelKind.STARTED)


def funnel_step(*, draft: Draft, step_key: str, position: int) -> None:
    """A citizen reached a step (``position``: its place in the form, from 0), counted on the first visit."""
    if _marks_new(draft=draft, marks=[f"step:{step_key}"]):
        _count(draft, FunnelKind.STEP, step=step_key, position=position)


def funnel_errors(*, draft: Draft, step: Step, position: int, errors: Iterable[FieldError]) -> None:
    """A citizen's post of a step failed: count each field with an error once per draft (the step's own rules,
    whose errors name no field of the step, as the field "")."""
    own = {spec.key for spec in step.fields}
    fields = list(dict.fromkeys(error.key if error.key in own else "" for error in errors))
    new = _marks_new(draft=draft, marks=[f"error:{step.key}:{field}" for field in fields])
    for mark in new:
        _count(draft, FunnelKind.ERROR, step=step.key, field=mark.split(":", 2)[2], position=position)


def funnel_check(*, draft: Draft) -> None:
    """A citizen reached the check page with every step answered."""
    definition = definition_of(form_version=draft.form_version)
    if _marks_new(draft=draft, marks=["check"]):
        _count(draft, FunnelKind.CHECK, position=len(definition.steps))


def funnel_submitted(*, draft: Draft) -> None:
    """The request that made the submission of ``draft`` (not a repeated click) sent the application."""
    definition = definition_of(form_version=draft.form_version)
    _count(draft, FunnelKind.SUBMITTED, position=len(definition.steps) + 1)


@form_labels.register("forms")
def funnel_form_labels(*, service_id: int, form_version: int) -> FormLabels:
    """The step titles and field labels of one version of a service's form, for the staff's funnel page."""
    version = FormVersion.objects.filter(service_id=service_id, number=form_version).first()
    if version is None:
        return FormLabels()
    try:
        definition = definition_of(form_version=version)
    except ValueError:  # a definition that no longer parses: the keys will do
        return FormLabels()
    return FormLabels(
        steps={step.key: tr(step.title) for step in definition.steps},
        fields={spec.key: tr(spec.label) for step in definition.steps for spec in step.fields},
    )
