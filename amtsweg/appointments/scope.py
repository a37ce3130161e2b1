"""What one booking covers: the chosen service, further services at the same place, and the persons.

Durations add up: each person needs each chosen service, so a booking of two services of 10 and
20 minutes for two persons takes 2 × (10 + 20) = 60 minutes of one counter. Each person counts
against the waiting room. The citizen's choice travels as ``personen`` and ``auch`` (repeated, one
service slug each) in the query string and the form.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.utils.translation import gettext as _

from .models import BookableService, BookingPolicy

MAX_EXTRA_SERVICES = 5


@dataclass(frozen=True)
class BookingScope:
    bookable: BookableService
    persons: int = 1
    extras: tuple[BookableService, ...] = ()
    errors: dict[str, str] = field(default_factory=dict)

    @property
    def duration_minutes(self) -> int:
        return self.persons * (self.bookable.duration_minutes + sum(extra.duration_minutes for extra in self.extras))

    @property
    def query(self) -> str:
        """The choice as query parameters ("" for one person and one service), for links and hidden fields."""
        pairs: list[tuple[str, str]] = []
        if self.persons != 1:
            pairs.append(("personen", str(self.persons)))
        pairs += [("auch", extra.service.slug) for extra in self.extras]
        return urlencode(pairs)

    @property
    def extra_slugs(self) -> list[str]:
        return [extra.service.slug for extra in self.extras]


def booking_scope(*, bookable: BookableService, persons: str | None, also: list[str]) -> BookingScope:
    """The scope from the citizen's (untrusted) input; bad input gives ``errors`` and falls back to one
    person and the services that exist here, so the page can say what is wrong and keep the rest."""
    errors: dict[str, str] = {}
    policy: BookingPolicy = bookable.location.booking_policy
    count = 1
    if persons not in (None, ""):
        try:
            count = int(persons)
        except (TypeError, ValueError):
            count = 0
        if not 1 <= count <= policy.max_persons:
            errors["personen"] = _("Choose between 1 and %(most)s persons") % {"most": policy.max_persons}
            count = 1
    slugs = [slug for slug in dict.fromkeys(also) if slug and slug != bookable.service.slug]
    extras: tuple[BookableService, ...] = ()
    if slugs:
        found = {
            extra.service.slug: extra
            for extra in BookableService.objects.filter(
                location_id=bookable.location_id, service__slug__in=slugs[:MAX_EXTRA_SERVICES], case_link_only=False
            ).select_related("service")
        }
        extras = tuple(found[slug] for slug in slugs if slug in found)
        if len(slugs) > MAX_EXTRA_SERVICES:
            errors["auch"] = _("Choose at most %(most)s further services") % {"most": MAX_EXTRA_SERVICES}
        elif len(extras) != len(slugs):
            errors["auch"] = _("Choose further services from the list")
    return BookingScope(bookable=bookable, persons=count, extras=extras, errors=errors)


def other_services(*, bookable: BookableService) -> list[BookableService]:
    """The further services the same place offers, to combine with ``bookable`` in one booking."""
    return list(
        BookableService.objects.filter(location_id=bookable.location_id, case_link_only=False)
        .exclude(pk=bookable.pk)
        .select_related("service")
        .order_by("service__name")
    )
