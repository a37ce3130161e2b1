"""The dashboard on the generated demo figures: the release's numbers for the release's periods, and, for other
seeds, plans and periods, the same figures as an independent count of the generated records."""

import datetime
import random
from collections import Counter

import pytest

from amtsweg.statistics.demo import demo_plan_with, demo_records_generate, demo_records_load
from tests.accounts.factories import StaffFactory

pytestmark = pytest.mark.django_db
URL = "/intern/statistik/"


@pytest.fixture
def chief(client, kassel, settings):
    settings.STAFF_2FA_REQUIRED = False
    client.force_login(StaffFactory(is_superuser=True))
    return client


def _figure(client, query, figure):
    page = client.get(URL, query).content.decode()
    return page.split(f'id="figure-{figure}">', 1)[1].split("<", 1)[0].strip()


def test_the_dashboard_shows_the_press_releases_figures(chief):
    demo_records_load()
    half_year = {"von": "2020-01-01", "bis": "2020-06-30", "abteilung": "standesamt"}
    certificates = int(_figure(chief, half_year, "received"))
    online, share = _figure(chief, half_year, "online").split(" ", 1)
    assert certificates == 6279 and 3 * int(online) > certificates
    assert share.startswith("(3") and share.endswith("%)")
    figures = [
        ({"von": "2020-01-01", "bis": "2020-05-31", "abteilung": "buergerbuero"}, 1838),
        ({"von": "2020-03-01", "bis": "2020-05-31", "abteilung": "zuwanderung"}, 2248),
        ({"von": "2020-01-01", "bis": "2020-05-31", "abteilung": "kfz"}, 129),
    ]
    for query, expected in figures:
        assert int(_figure(chief, query, "online").split(" ")[0]) == expected, query


def _cells(page: str, slug: str) -> list[str]:
    marker = f'data-service="{slug}"'
    if marker not in page:
        return []
    row = page.split(marker, 1)[1].split("</tr>", 1)[0]
    return [cell.split("</td>")[0].strip() for cell in row.split('kern-table__cell--numeric">')[1:]]


def _periods(rng: random.Random) -> list[dict[str, str]]:
    month = rng.randint(1, 6)
    first = datetime.date(2020, 1, 1) + datetime.timedelta(days=rng.randint(0, 150))
    last = first + datetime.timedelta(days=rng.randint(0, 60))
    return [
        {"zeitraum": f"2020-{month:02d}"},
        {"zeitraum": f"2020-Q{rng.randint(1, 2)}"},
        {"von": first.isoformat(), "bis": last.isoformat()},
    ]


def _bounds(query: dict[str, str]) -> tuple[datetime.date, datetime.date]:
    if "von" in query:
        return datetime.date.fromisoformat(query["von"]), datetime.date.fromisoformat(query["bis"])
    key = query["zeitraum"]
    if "-Q" in key:
        quarter = int(key[-1])
        first = datetime.date(2020, 3 * quarter - 2, 1)
        last = datetime.date(2020, 3 * quarter + 1, 1) - datetime.timedelta(days=1)
        return first, last
    month = int(key[-2:])
    first = datetime.date(2020, month, 1)
    following = datetime.date(2020, month + 1, 1) if month < 12 else datetime.date(2021, 1, 1)
    return first, following - datetime.timedelta(days=1)


@pytest.mark.parametrize(
    ("seed", "totals"),
    [
        (7, {"certificates": (300, 450), "vehicles_online": 17}),
        (11, {"certificates": (120, 80), "buergerbuero_online": 222, "immigration_contact": 95}),
    ],
)
def test_the_dashboard_agrees_with_an_independent_count_of_the_generated_records(chief, seed, totals):
    plan = demo_plan_with(seed=seed, **totals)
    generated = demo_records_generate(plan=plan, seed=seed)
    demo_records_load(plan=plan, seed=seed)
    slugs = {record.service.slug for record in generated.cases}

    for query in _periods(random.Random(seed)):
        first, last = _bounds(query)
        received, online = Counter(), Counter()
        for record in generated.cases:
            if first <= record.submitted_on <= last:
                received[record.service.slug] += record.count
                if record.channel == "online":
                    online[record.service.slug] += record.count
        page = chief.get(URL, query).content.decode()
        for slug in slugs:
            cells = _cells(page, slug)
            shown = (int(cells[0]), int(cells[1])) if cells else (0, 0)
            assert shown == (received[slug], online[slug]), (query, slug)
        assert int(_figure(chief, query, "received")) == sum(received.values()), query
