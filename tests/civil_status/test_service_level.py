"""The measured service level of certificate orders: per ISO week of payment, sent within 1, 2 or more working days.

Seeded orders with known dates around Fronleichnam (Thursday 4 June 2026, a
public holiday in Hesse): counting calendar days, or ignoring the holiday,
gives other numbers.
"""

import datetime

import pytest

from amtsweg.civil_status import selectors
from amtsweg.civil_status.constants import OrderStatus

from .fulfilment import at, back_office, order, standesamt_staff  # noqa: F401

pytestmark = pytest.mark.usefixtures("back_office")

D = datetime.date


def seeded(paid: datetime.date, sent: datetime.date | None = None, *, status: str | None = None, hour: int = 10):
    created = order(paid_at=at(paid, hour))
    created.due_on = selectors.order_due_on(service=created.case.service, paid_on=paid)
    if sent is not None:
        created.status, created.sent_at, created.printed_at = OrderStatus.SENT, at(sent, 15), at(sent, 9)
    if status is not None:
        created.status = status
    created.save()
    return created


@pytest.fixture
def week_of_fronleichnam(forms):
    return {
        "same_day": seeded(D(2026, 6, 1), D(2026, 6, 1)),  # Mon → Mon: 0 → within 1
        "next_day": seeded(D(2026, 6, 2), D(2026, 6, 3)),  # Tue → Wed: 1 → within 1
        "over_holiday": seeded(D(2026, 6, 3), D(2026, 6, 5)),  # Wed → Fri, Thu a holiday: 1 → within 1
        "two_over_holiday": seeded(D(2026, 6, 3), D(2026, 6, 8)),  # Wed → Mon: Fri, Mon → within 2
        "three": seeded(D(2026, 6, 2), D(2026, 6, 8)),  # Tue → Mon: Wed, Fri, Mon → more than 2
        "open": seeded(D(2026, 6, 5)),  # Fri, never sent: due Tue 9 June, overdue now
        "rejected": seeded(D(2026, 6, 4), status=OrderStatus.REJECTED),  # paid on the holiday itself
        "late_evening": seeded(D(2026, 6, 7), D(2026, 6, 9), hour=23),  # Sun 23:00 → Tue: Mon, Tue → within 2
        # the next week
        "week24_two": seeded(D(2026, 6, 8), D(2026, 6, 10)),  # Mon → Wed: 2 → within 2
        "week24_weekend": seeded(D(2026, 6, 12), D(2026, 6, 16)),  # Fri → Tue: Mon, Tue → within 2
        "week24_four": seeded(D(2026, 6, 12), D(2026, 6, 18)),  # Fri → Thu: Mon..Thu → more than 2
    }


def test_the_due_date_skips_the_holiday(week_of_fronleichnam):
    assert week_of_fronleichnam["open"].due_on == D(2026, 6, 9)
    assert week_of_fronleichnam["over_holiday"].due_on == D(2026, 6, 8)


def test_working_days_to_send_count_hesse_holidays_and_weekends(week_of_fronleichnam):
    days = {key: selectors.order_working_days_to_send(o) for key, o in week_of_fronleichnam.items()}
    assert days == {
        "same_day": 0,
        "next_day": 1,
        "over_holiday": 1,
        "two_over_holiday": 2,
        "three": 3,
        "open": None,
        "rejected": None,
        "late_evening": 2,
        "week24_two": 2,
        "week24_weekend": 2,
        "week24_four": 4,
    }


def test_the_weekly_report_gives_exact_counts(week_of_fronleichnam):
    level = selectors.service_level(user=standesamt_staff(), start=D(2026, 5, 25), end=D(2026, 6, 21))
    rows = {(w.year, w.week): w for w in level.weeks}
    assert list(rows) == [(2026, 24), (2026, 23)]  # newest first; weeks without payments are left out
    week23, week24 = rows[(2026, 23)], rows[(2026, 24)]
    assert week23.monday == D(2026, 6, 1)
    assert (week23.paid, week23.within_1, week23.within_2, week23.later, week23.open, week23.rejected) == (
        8,
        3,
        2,
        1,
        1,
        1,
    )
    assert week23.within_2_share == 83  # 5 of 6 sent
    assert (week24.paid, week24.within_1, week24.within_2, week24.later, week24.open, week24.rejected) == (
        3,
        0,
        2,
        1,
        0,
        0,
    )


def test_overdue_now_lists_the_open_orders_past_their_due_date(week_of_fronleichnam):
    fresh = order()  # paid now: due in two working days
    level = selectors.service_level(user=standesamt_staff(), start=D(2026, 5, 25), end=D(2026, 6, 21))
    assert level.overdue == [week_of_fronleichnam["open"]]
    assert fresh not in level.overdue


def test_the_report_page_shows_the_counts(client, week_of_fronleichnam):
    client.force_login(standesamt_staff())
    html = client.get("/intern/urkunden/servicelevel/?wochen=104").content.decode()
    row = html[html.index('data-week="2026-W23"') :]
    row = row[: row.index("</tr>")]
    for column, value in [("paid", 8), ("within_1", 3), ("within_2", 2), ("later", 1), ("open", 1), ("rejected", 1)]:
        assert f'data-column="{column}">{value}<' in row, column
    assert week_of_fronleichnam["open"].case.reference in html  # overdue now


@pytest.mark.parametrize("weeks", ["0", "105", "99999999999999999999"])
def test_the_report_refuses_a_number_of_weeks_it_cannot_show_with_a_message(client, kassel, weeks):
    client.force_login(standesamt_staff())
    response = client.get("/intern/urkunden/servicelevel/", {"wochen": weeks})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Geben Sie eine Anzahl von 1 bis 104 Wochen ein." in html
    assert "Die letzten 12 Wochen" in html
