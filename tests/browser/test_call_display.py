"""The waiting-room call display on the TVs it runs on: nothing overlaps and no code overflows its row,
empty and full, at 1920×1080 and at 1366×768."""

import datetime

import pytest
from django.utils import timezone

from amtsweg.appointments.constants import AppointmentStatus
from amtsweg.appointments.models import Appointment
from tests.appointments.test_booking import make_office

from .conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every element of the screen that shows text; two of them must never cover each other.
BOXES_JS = """() => [...document.querySelectorAll('h1, th, td, p')]
  .filter(e => e.offsetParent !== null && e.innerText.trim())
  .map(e => { const r = e.getBoundingClientRect(); const style = getComputedStyle(e);
    return {text: e.innerText.trim(), x: r.x, y: r.y, w: r.width, h: r.height,
            overflow: e.scrollWidth > e.clientWidth + 1,
            lines: parseFloat(style.lineHeight) / parseFloat(style.fontSize)}; })"""


def _overlaps(boxes):
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            width = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
            height = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
            if width > 1 and height > 1:
                found.append((a["text"], b["text"]))
    return found


def _problems(boxes):
    """Boxes that cover each other, text wider than its box, and lines closer than the letters are high."""
    return {
        "overlapping": _overlaps(boxes),
        "overflowing": [b["text"] for b in boxes if b["overflow"]],
        "lines overlapping": [b["text"] for b in boxes if b["lines"] < 1.0],  # NaN ("normal") passes
    }


NO_PROBLEMS = {"overlapping": [], "overflowing": [], "lines overlapping": []}


def _call(bookable, code, minutes_ago):
    now = timezone.now()
    return Appointment.objects.create(
        booking_code=code,
        location=bookable.location,
        service=bookable.service,
        starts_at=now,
        ends_at=now + datetime.timedelta(minutes=15),
        counter=len(code) % 8,
        status=AppointmentStatus.CHECKED_IN,
        name="Erika Mustermann",
        email="erika@example.org",
        called_at=now - datetime.timedelta(minutes=minutes_ago),
    )


@pytest.mark.parametrize("size", [(1920, 1080), (1366, 768)])
def test_the_call_display_fits_the_waiting_room_screen(browser, live_server, size):
    bookable = make_office(counters=8)
    context = browser.new_context(
        java_script_enabled=True, locale="de-DE", viewport={"width": size[0], "height": size[1]}
    )
    screen = context.new_page()
    url = f"{live_server.url}/aufruf/{bookable.location.slug}/"

    screen.goto(url)
    boxes = screen.evaluate(BOXES_JS)
    assert any("Bitte warten Sie" in box["text"] for box in boxes)
    assert _problems(boxes) == NO_PROBLEMS

    if timezone.localtime().time() < datetime.time(0, 10):
        pytest.skip("too close to midnight for today's calls")
    for number, code in enumerate(["WWWWWM", "MMMMMW", "K7M4QX", "ABCDEF", "ZZZZZZ", "HJKLMN", "234567", "PQRSTU"]):
        _call(bookable, code, minutes_ago=number + 1)
    screen.goto(url)
    boxes = screen.evaluate(BOXES_JS)
    codes = [box for box in boxes if box["text"] in {"WWWWWM", "MMMMMW", "PQRSTU"}]
    assert len(codes) == 3
    assert _problems(boxes) == NO_PROBLEMS
    # All eight calls on the screen without scrolling, each code large enough to read across the room.
    last = max(box["y"] + box["h"] for box in boxes)
    assert last <= size[1]
    assert min(box["h"] for box in codes) >= size[1] * 0.06
    assert_accessible(screen, exempt={"meta-refresh": "live call display on the waiting-room screen"})
    context.close()
