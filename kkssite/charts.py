"""Bar charts for the statistics page, laid out at build time: the geometry of an SVG (theme/templates/
_chart.html draws it), no script and no library served to visitors.

A chart is horizontal bars, one row per value: the label on a line of its own above its bar (so long names fit
on a phone), the number at the end of the bar. Coordinates are in the SVG's own units (VIEW_WIDTH wide; the page
scales it), written with at most one decimal so the same numbers always give the same bytes. The chart is an
image with a text alternative (role="img" and its title); its numbers are in the data table beside it.
"""

from __future__ import annotations

from dataclasses import dataclass

VIEW_WIDTH = 400
ROW = 44  # height of one row: label, bar, gap
LABEL_Y = 16  # baseline of the label in its row
BAR_Y = 22
BAR_HEIGHT = 14
VALUE_ROOM = 72  # room right of the longest bar for its number
GAP = 6  # between a bar's end and its number


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: str  # worded: "1 234"
    y: str  # top of the row
    label_y: str
    bar_y: str
    width: str
    value_x: str
    value_y: str


@dataclass(frozen=True, slots=True)
class Chart:
    id: str  # for the title's id
    caption: str  # shown under the chart
    title: str  # the text alternative: what the chart shows
    width: int
    height: int
    bar_height: int
    bars: tuple[Bar, ...]


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def bar_chart(chart_id: str, caption: str, title: str, rows: list[tuple[str, float, str]]) -> Chart:
    """A chart of (label, value, worded value) rows, in their order; bars scaled to the largest value."""
    largest = max((value for _label, value, _text in rows), default=0) or 1
    room = VIEW_WIDTH - VALUE_ROOM
    bars = []
    for index, (label, value, text) in enumerate(rows):
        top = index * ROW
        width = max(value / largest * room, 1.0 if value else 0.0)
        bars.append(Bar(label, text, _n(top), _n(top + LABEL_Y), _n(top + BAR_Y), _n(width), _n(width + GAP),
                        _n(top + BAR_Y + BAR_HEIGHT - 1)))
    return Chart(chart_id, caption, title, VIEW_WIDTH, max(len(rows), 1) * ROW, BAR_HEIGHT, tuple(bars))
