"""The pages `make bench` measures. Later features add their scenarios here.

Each figure is reported as a ratio to the minimal view measured by the same
server in the same run, because the machines are shared and noisy.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    name: str
    path: str
    min_ratio: float | None = 0.5  # goal: at least this share of the minimal view's rate
    max_p95_ms: float | None = 50.0  # goal: p95 latency below this at the run's connection count
    headers: tuple[str, ...] = ()
    connections: int | None = None  # None: the run's --connections
    min_rps: float | None = None  # goal: at least this many requests per second


NO_CACHE = "Cookie: sessionid=benchmark-bypasses-the-page-cache"

BASELINE = Scenario("minimal view (baseline)", "/_bench/minimal", min_ratio=None, max_p95_ms=None)

PAGES = [
    Scenario("start page", "/"),
    Scenario("catalogue", "/leistungen/"),
    Scenario("service page", "/leistungen/geburtsurkunde/"),
    Scenario("search", "/suche/?q=Auto+anmelden"),
    Scenario("service page (English)", "/en/leistungen/kfz-neuzulassung/"),
    # The same pages rendered every time: a session cookie bypasses the page
    # cache. No goal; shown so that the cost of a cache miss stays visible.
    Scenario("start page, uncached", "/", min_ratio=None, max_p95_ms=None, headers=(NO_CACHE,)),
    Scenario(
        "service page, uncached", "/leistungen/geburtsurkunde/", min_ratio=None, max_p95_ms=None, headers=(NO_CACHE,)
    ),
    Scenario("search, uncached", "/suche/?q=Auto+anmelden", min_ratio=None, max_p95_ms=None, headers=(NO_CACHE,)),
]

# Issue: the demo provider's signed "paid" notification, each payment's sent 32
# times at once (notifications.py). Goal: at least 500/s on 2 cores, and no
# payment changed twice (checked in the database after the run).
NOTIFICATIONS = Scenario(
    "payment notifications", "/zahlung/benachrichtigung/demo/", min_ratio=None, max_p95_ms=None, min_rps=500.0
)
