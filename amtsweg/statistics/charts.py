"""Charts of the usage figures as plain SVG, drawn on the server: no script, and the same figures are always in a
table beside them. Coordinates are formatted here as plain numbers (a template would localise a decimal comma)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640  # the drawing area of a column chart, in SVG units
HEIGHT = 200
LEFT = 48  # room for the axis labels
BAR_LENGTH = 360  # the longest bar of a bar chart


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def nice_top(most: int) -> int:
    """A round top for the axis at or above ``most``: 1, 2 or 5 times a power of ten."""
    top = 1
    while True:
        for step in (1, 2, 5):
            if step * top >= most:
                return step * top
        top *= 10


@dataclass(frozen=True)
class Column:
    label: str
    online: int
    counter: int
    x: str
    width: str
    online_y: str
    online_height: str
    counter_y: str
    counter_height: str
    show_label: bool


@dataclass(frozen=True)
class ColumnChart:
    columns: list[Column]
    top: int
    ticks: list[tuple[str, int]]  # (y, value)
    width: int
    height: int
    baseline: str


def column_chart(points: Sequence[tuple[str, int, int]]) -> ColumnChart:
    """Stacked columns per period, online below and counter above: ``points`` are (label, online, counter)."""
    most = max((online + counter for _label, online, counter in points), default=0)
    top = nice_top(max(most, 1))
    slot = WIDTH / max(len(points), 1)
    width = max(slot * 0.7, 1.0)
    every = max(1, round(len(points) / 12))  # at most about twelve labels under the axis
    columns = []
    for index, (label, online, counter) in enumerate(points):
        online_height = HEIGHT * online / top
        counter_height = HEIGHT * counter / top
        columns.append(
            Column(
                label=label,
                online=online,
                counter=counter,
                x=_number(LEFT + index * slot + (slot - width) / 2),
                width=_number(width),
                online_y=_number(HEIGHT - online_height),
                online_height=_number(online_height),
                counter_y=_number(HEIGHT - online_height - counter_height),
                counter_height=_number(counter_height),
                show_label=index % every == 0,
            )
        )
    ticks = [(_number(HEIGHT - HEIGHT * part / 4), top * part // 4) for part in range(5)]
    return ColumnChart(columns, top, ticks, LEFT + WIDTH, HEIGHT + 40, _number(HEIGHT))


@dataclass(frozen=True)
class Bar:
    label: str
    percent: float
    y: int
    length: str
    text_x: str


def share_bars(rows: Sequence[tuple[str, float | None]]) -> list[Bar]:
    """Horizontal bars of a share in percent (None: nothing to show), one row of 32 units each."""
    bars = []
    for index, (label, percent) in enumerate(rows):
        length = BAR_LENGTH * (percent or 0) / 100
        bars.append(Bar(label, percent or 0.0, index * 32, _number(length), _number(length + 8)))
    return bars
