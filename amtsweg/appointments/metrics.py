"""The appointments module's figures for Prometheus (core/metrics.py): the booking holds, counted at each scrape."""

from __future__ import annotations

from django.utils import timezone

from amtsweg.core.metrics import Gauge

from .selectors import booking_holds_summary


def booking_holds_gauges() -> list[Gauge]:
    now = timezone.now()
    held, oldest = booking_holds_summary(now=now)
    return [
        Gauge("booking_holds", "Places held for a citizen who has not confirmed yet (holds not run out).", held),
        Gauge(
            "booking_hold_oldest_age_seconds",
            "How long ago the oldest of those holds was taken (0 when none is held).",
            max((now - oldest).total_seconds(), 0.0) if oldest is not None else 0.0,
        ),
    ]
