"""Reads of the feedback module: the campaign in force, the dashboard figures, the ideas, the CSV rows."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from amtsweg.catalogue.models import Service

from .models import Campaign, Question, RaffleEntry, Response


def campaign_active(*, service_id: int | None = None, on: datetime.date | None = None) -> Campaign | None:
    """The campaign running on ``on`` for the service: one that names it first, else one for all services."""
    on = on or timezone.localdate()
    running = Campaign.objects.filter(starts_on__lte=on, ends_on__gte=on).order_by("-starts_on", "pk")
    if service_id is not None:
        named = running.filter(services__pk=service_id).first()
        if named is not None:
            return named
    return running.filter(services__isnull=True).first()


def campaign_questions(*, campaign: Campaign) -> list[Question]:
    return list(campaign.questions.order_by("order", "pk"))


def feedback_may_see_all(*, user: Any) -> bool:
    return bool(user.is_superuser or user.has_perm("feedback.view_all_results"))


def feedback_services_visible(*, user: Any) -> QuerySet[Service]:
    """The services whose results ``user`` may see: their departments' services, or all for leadership."""
    services = Service.objects.select_related("department").order_by("name")
    if feedback_may_see_all(user=user):
        return services
    return services.filter(department__in=user.departments.all())


def responses_in_scope(
    *, user: Any, service: Service | None, date_from: datetime.date, date_to: datetime.date
) -> QuerySet[Response]:
    """Responses of the period, limited to the service or, without one, to everything ``user`` may see.

    Responses through the general footer link have no service: only leadership sees them.
    """
    queryset = Response.objects.filter(submitted_on__gte=date_from, submitted_on__lte=date_to)
    if service is not None:
        return queryset.filter(service=service)
    if feedback_may_see_all(user=user):
        return queryset
    return queryset.filter(service__in=feedback_services_visible(user=user))


@dataclass(frozen=True)
class Bar:
    value: int
    count: int
    percent: float
    width: float
    y: int

    @property
    def svg(self) -> dict[str, str]:
        """Coordinates as plain numbers (never localised with a decimal comma)."""
        return {
            "width": f"{self.width:.1f}",
            "rect_y": str(self.y + 6),
            "text_y": str(self.y + 24),
            "label_x": str(int(self.width) + 30),
        }


@dataclass(frozen=True)
class Figures:
    responses: int
    rated: int
    average: float | None
    bars: list[Bar]
    submissions: int
    response_rate: float | None
    linked_responses: int


CHART_WIDTH = 320  # the longest bar, in SVG units


def dashboard_figures(
    *,
    responses: QuerySet[Response],
    services: QuerySet[Service] | None,
    date_from: datetime.date,
    date_to: datetime.date,
) -> Figures:
    """Satisfaction distribution and average, and the response rate.

    The response rate is the responses that came through an application's
    link (they carry its service) divided by the submissions of the same
    services in the period.
    """
    from amtsweg.applications.models import Submission

    counts = dict(
        responses.filter(satisfaction__isnull=False).values_list("satisfaction").annotate(n=Count("pk")).order_by()
    )
    rated = sum(counts.values())
    average = responses.aggregate(avg=Avg("satisfaction"))["avg"]
    most = max(counts.values(), default=0)
    bars = [
        Bar(
            value=value,
            count=counts.get(value, 0),
            percent=round(100 * counts.get(value, 0) / rated, 1) if rated else 0.0,
            width=round(CHART_WIDTH * counts.get(value, 0) / most, 1) if most else 0.0,
            y=(value - 1) * 36,
        )
        for value in range(1, 6)
    ]
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min))
    submissions = Submission.objects.filter(submitted_at__gte=start, submitted_at__lt=end)
    linked = responses.exclude(channel="portal")
    if services is not None:
        submissions = submissions.filter(service__in=services)
    submitted = submissions.count()
    linked_count = linked.count()
    return Figures(
        responses=responses.count(),
        rated=rated,
        average=round(average, 2) if average is not None else None,
        bars=bars,
        submissions=submitted,
        response_rate=round(100 * linked_count / submitted, 1) if submitted else None,
        linked_responses=linked_count,
    )


def ideas_of(*, responses: QuerySet[Response], tag: str = "", open_only: bool = False) -> QuerySet[Response]:
    ideas = responses.exclude(idea="").select_related("service").prefetch_related("tags")
    if tag:
        ideas = ideas.filter(tags__slug=tag)
    if open_only:
        ideas = ideas.filter(implemented=False)
    return ideas.order_by("-submitted_on", "-pk")


def campaign_public(*, campaign: Campaign) -> dict[str, Any]:
    """What the public draw page shows: before the draw the commitment, after it the seed and every entry number."""
    entries = RaffleEntry.objects.filter(campaign=campaign).order_by("code")
    return {
        "campaign": campaign,
        "entry_count": entries.count(),
        "codes": list(entries.values_list("code", flat=True)) if campaign.drawn_at else [],
        "winners": _winners_in_rank_order(campaign) if campaign.drawn_at else [],
    }


def _winners_in_rank_order(campaign: Campaign) -> list[str]:
    from .draw import rank_key

    codes = RaffleEntry.objects.filter(campaign=campaign, won=True).values_list("code", flat=True)
    return sorted(codes, key=lambda code: (rank_key(seed=campaign.seed, code=code), code))


def raffle_winners(*, campaign: Campaign) -> QuerySet[RaffleEntry]:
    return RaffleEntry.objects.filter(campaign=campaign, won=True).order_by("code")


def responses_csv_rows(*, responses: QuerySet[Response]) -> tuple[list[str], list[list[str]]]:
    """Header and rows: day, service, channel, satisfaction, every answer key seen, idea, tags, implemented."""
    rows = list(responses.select_related("service").prefetch_related("tags").order_by("submitted_on", "pk"))
    keys: list[str] = []
    for response in rows:
        for key in response.answers:
            if key not in keys:
                keys.append(key)
    header = ["Tag", "Leistung", "Kanal", "Zufriedenheit", *keys, "Idee", "Schlagworte", "Umgesetzt"]
    out = []
    for response in rows:
        out.append(
            [
                response.submitted_on.isoformat(),
                (response.service.name_de or response.service.name) if response.service else "",
                response.channel,
                str(response.satisfaction or ""),
                *[str(response.answers.get(key, "")) for key in keys],
                response.idea,
                ", ".join(tag.name_de or tag.name for tag in response.tags.all()),
                "ja" if response.implemented else "nein",
            ]
        )
    return header, out


def open_campaigns_with_raffle() -> QuerySet[Campaign]:
    return Campaign.objects.filter(raffle_enabled=True).filter(Q(drawn_at__isnull=False) | Q(commitment__gt=""))
