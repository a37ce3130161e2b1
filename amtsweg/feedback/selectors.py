"""Reads of the feedback module: the campaign in force, the dashboard figures, the ideas, the CSV rows."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import Aggregate, Avg, Count, Q, QuerySet
from django.db.models.functions import TruncWeek
from django.utils import timezone

from amtsweg.catalogue.models import Service

from .constants import RATING_SCALE, SATISFIED_FROM, QuestionRole
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


def satisfaction_aggregates() -> dict[str, Aggregate]:
    """The survey's satisfaction figures as aggregates over responses (for ``aggregate`` or ``annotate``):
    ``rated``, the responses with a rating, ``average``, their mean (``None`` without any), and ``satisfied``,
    those rated ``SATISFIED_FROM`` or better."""
    return {
        "rated": Count("pk", filter=Q(satisfaction__isnull=False)),
        "average": Avg("satisfaction"),
        "satisfied": Count("pk", filter=Q(satisfaction__gte=SATISFIED_FROM)),
    }


def satisfaction_average_shown(average: float | None) -> float | None:
    """A mean rating as the figures show it: two decimals."""
    return round(average, 2) if average is not None else None


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
    average = responses.aggregate(**satisfaction_aggregates())["average"]
    most = max(counts.values(), default=0)
    bars = [
        Bar(
            value=value,
            count=counts.get(value, 0),
            percent=round(100 * counts.get(value, 0) / rated, 1) if rated else 0.0,
            width=round(CHART_WIDTH * counts.get(value, 0) / most, 1) if most else 0.0,
            y=(value - RATING_SCALE[0]) * 36,
        )
        for value in RATING_SCALE
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
        average=satisfaction_average_shown(average),
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
    # By week and then by the random key: never by the order in which the responses came in.
    return ideas.annotate(week=TruncWeek("submitted_on")).order_by("-week", "uuid")


def entry_codes_digest(codes: list[str]) -> str:
    """SHA-256 (hex) of the entry numbers, sorted, one per line, UTF-8, without a final line break."""
    import hashlib

    return hashlib.sha256("\n".join(sorted(codes)).encode("utf-8")).hexdigest()


# Below this many responses of one service in one week, an idea is shown without its satisfaction rating:
# in a small service, the rating and the week together could point to the one person who wrote it.
MIN_GROUP_SIZE = 3


def iso_week(day: datetime.date) -> str:
    """The ISO week of a day as in the CSV export, e.g. 2026-W48."""
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def small_groups(*, responses: QuerySet[Response]) -> set[tuple[int | None, datetime.date]]:
    """(service id, Monday of the week) of every service/week group with fewer than MIN_GROUP_SIZE responses."""
    rows = (
        responses.annotate(week=TruncWeek("submitted_on"))
        .values("service_id", "week")
        .annotate(n=Count("uuid"))
        .order_by()
    )
    return {(row["service_id"], _as_date(row["week"])) for row in rows if row["n"] < MIN_GROUP_SIZE}


def _as_date(value: Any) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def in_small_group(response: Response, small: set[tuple[int | None, datetime.date]]) -> bool:
    monday = response.submitted_on - datetime.timedelta(days=response.submitted_on.weekday())
    return (response.service_id, monday) in small


@dataclass(frozen=True)
class ServiceSatisfaction:
    """The survey's figures of one service in a period.

    ``average`` and ``satisfied_share`` are ``None`` (``hidden``) when fewer than ``MIN_GROUP_SIZE``
    responses rated the service: the mean of one or two ratings would tell those citizens' ratings."""

    service_id: int
    responses: int
    rated: int
    average: float | None
    satisfied_share: float | None

    @property
    def hidden(self) -> bool:
        """Whether the ratings are left out because too few responses rated the service."""
        return self.rated < MIN_GROUP_SIZE

    @property
    def satisfied_percent(self) -> float | None:
        """``satisfied_share`` in percent with one decimal, as the dashboard's bars show shares."""
        return None if self.satisfied_share is None else round(100 * self.satisfied_share, 1)


def satisfaction_by_service(
    *, service_ids: Iterable[int] | None, date_from: datetime.date, date_to: datetime.date
) -> list[ServiceSatisfaction]:
    """Per service, the survey responses of the days ``date_from`` to ``date_to`` (both included): how many,
    how many rated, the mean rating (1 to 5, two decimals) and the share rated ``SATISFIED_FROM`` or better.

    ``service_ids``: only these services (``None``: every service). Responses through the general footer
    link have no service and are left out. A service with fewer than ``MIN_GROUP_SIZE`` ratings in the
    period gets its counts but no mean and no share (the feedback dashboard's small-group rule). Services
    without a response are left out; most responses first."""
    responses = Response.objects.filter(submitted_on__gte=date_from, submitted_on__lte=date_to, service__isnull=False)
    if service_ids is not None:
        responses = responses.filter(service_id__in=list(service_ids))
    # The shared aggregates' names are not known to the type checker: the rows are read as plain mappings.
    rows: Iterable[Mapping[str, Any]] = (
        responses.order_by()
        .values("service_id")
        .annotate(responses=Count("pk"), **satisfaction_aggregates())
        .order_by("-responses", "service_id")
    )
    figures = []
    for row in rows:
        shown = row["rated"] >= MIN_GROUP_SIZE
        figures.append(
            ServiceSatisfaction(
                service_id=row["service_id"],
                responses=row["responses"],
                rated=row["rated"],
                average=satisfaction_average_shown(row["average"]) if shown else None,
                satisfied_share=row["satisfied"] / row["rated"] if shown else None,
            )
        )
    return figures


def campaign_public(*, campaign: Campaign, on: datetime.date | None = None) -> dict[str, Any]:
    """What the public draw page shows.

    Before the draw the commitment; from the day after the last day (when no
    entry can come any more) every entry number and the SHA-256 over their
    sorted list, so that nobody can add or remove an entry at the draw; after
    the draw also the seed and the winners.
    """
    on = on or timezone.localdate()
    entries = RaffleEntry.objects.filter(campaign=campaign).order_by("code")
    closed = campaign.drawn_at is not None or on > campaign.ends_on
    codes = list(entries.values_list("code", flat=True)) if closed else []
    return {
        "campaign": campaign,
        "entry_count": entries.count(),
        "entries_closed": closed,
        "codes": codes,
        "codes_digest": entry_codes_digest(codes) if closed else "",
        "winners": _winners_in_rank_order(campaign) if campaign.drawn_at else [],
    }


def _winners_in_rank_order(campaign: Campaign) -> list[str]:
    from .draw import rank_key

    codes = RaffleEntry.objects.filter(campaign=campaign, won=True).values_list("code", flat=True)
    return sorted(codes, key=lambda code: (rank_key(seed=campaign.seed, code=code), code))


def raffle_winners(*, campaign: Campaign) -> QuerySet[RaffleEntry]:
    return RaffleEntry.objects.filter(campaign=campaign, won=True).order_by("code")


def responses_csv_rows(*, responses: QuerySet[Response]) -> tuple[list[str], list[list[str]]]:
    """Header and rows: ISO week, service, channel, satisfaction, every answer key seen, idea, tags, implemented.

    The week, not the day, and in a service/week group of fewer than
    MIN_GROUP_SIZE responses an idea's rating and answers are left out (the
    note column says so): both would help to find the person behind an idea.
    Rows are ordered by week and the random key, never by arrival.
    """
    small = small_groups(responses=responses)
    rows = list(
        responses.select_related("service")
        .prefetch_related("tags")
        .annotate(week=TruncWeek("submitted_on"))
        .order_by("week", "uuid")
    )
    keys: list[str] = []
    for response in rows:
        for key in response.answers:
            if key not in keys:
                keys.append(key)
    header = ["Woche", "Leistung", "Kanal", "Zufriedenheit", *keys, "Idee", "Schlagworte", "Umgesetzt", "Hinweis"]
    idea_keys = set(Question.objects.filter(role=QuestionRole.IDEA).values_list("key", flat=True))
    out = []
    for response in rows:
        hidden = bool(response.idea) and in_small_group(response, small)
        out.append(
            [
                iso_week(response.submitted_on),
                (response.service.name_de or response.service.name) if response.service else "",
                response.channel,
                "" if hidden else str(response.satisfaction or ""),
                *["" if hidden and key not in idea_keys else str(response.answers.get(key, "")) for key in keys],
                response.idea,
                ", ".join(tag.name_de or tag.name for tag in response.tags.all()),
                "ja" if response.implemented else "nein",
                f"Bewertung ausgeblendet: weniger als {MIN_GROUP_SIZE} Antworten dieser Leistung in dieser Woche"
                if hidden
                else "",
            ]
        )
    return header, out


def open_campaigns_with_raffle() -> QuerySet[Campaign]:
    return Campaign.objects.filter(raffle_enabled=True).filter(Q(drawn_at__isnull=False) | Q(commitment__gt=""))
