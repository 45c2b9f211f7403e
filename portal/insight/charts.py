"""Charts drawn on the server as SVG (templates/insight/_charts.html draws what this module measures).

Why our own small SVG and not a charting library: the page's Content Security Policy allows styles and scripts from
our own files only, so no inline ``style`` and no script; the libraries that draw SVG in Python (pygal,
matplotlib) put ``<style>`` blocks or ``style=`` attributes in what they draw and add scripts for tooltips, and none
of them also gives the numbers as a table. Two chart shapes are enough here — columns over months, bars by
category — and each is some arithmetic here plus a short template, using only presentation attributes (``x``,
``height``, ``fill``), which the policy allows. Every chart is ``role="img"`` with a title and a description, and
its numbers are in a table next to it (and in its CSV).

A count hidden by small-number suppression is drawn as a dashed outline marked "<5", never as a bar of any height.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from portal.common.privacy import Count

WIDTH = 400
COLUMN_HEIGHT = 220
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 12, 30
BAR_ROW = 40  # a label line and a bar, per category
LABEL_CHARACTERS = 48


@dataclass(frozen=True)
class Mark:
    """One column or bar, measured in the SVG's own units."""

    label: str
    short_label: str
    count: Count
    x: float
    y: float
    width: float
    height: float

    @property
    def hidden(self) -> bool:
        return self.count.hidden

    @property
    def text(self) -> str:
        return "<5" if self.count.hidden else str(self.count)


@dataclass(frozen=True)
class Tick:
    value: int
    y: float


@dataclass(frozen=True)
class Chart:
    slug: str  # unique on the page: ids for the title and description
    kind: str  # "columns" or "bars"
    title: str
    description: str
    marks: list[Mark]
    ticks: list[Tick]
    width: int
    height: int
    show_every: int = 1  # label every nth column (24 months do not fit one label each)

    @property
    def baseline(self) -> float:
        return self.height - BOTTOM


def nice_top(value: int) -> int:
    """The smallest 1, 2 or 5 × 10ⁿ at or above ``value`` (at least 5): the top of the axis."""
    value = max(value, 5)
    magnitude = 1
    while True:
        for step in (1, 2, 5):
            if step * magnitude >= value:
                return step * magnitude
        magnitude *= 10


def _top(counts: list[Count]) -> int:
    return nice_top(max((c.value or 0 for c in counts), default=0))


def column_chart(slug: str, title: str, points: list[tuple[str, str, Count]], *, what: str) -> Chart:
    """Columns over time: ``points`` are (label, short label, count), oldest first."""
    top = _top([count for _l, _s, count in points])
    plot_width, plot_height = WIDTH - LEFT - RIGHT, COLUMN_HEIGHT - TOP - BOTTOM
    slot = plot_width / max(len(points), 1)
    marks = []
    for index, (label, short, count) in enumerate(points):
        # A hidden count is drawn at the height of 5: it may be anything below that.
        height = plot_height * ((5 if count.hidden else (count.value or 0)) / top)
        marks.append(Mark(label, short, count, x=LEFT + index * slot + slot * 0.15, y=TOP + plot_height - height,
                          width=slot * 0.7, height=height))
    divisions = 4 if str(top).startswith("2") else 5  # 0-5-10-15-20, or 0-2-4-6-8-10 and 0-1-2-3-4-5
    ticks = [Tick(value=top * step // divisions, y=TOP + plot_height - plot_height * step / divisions)
             for step in range(divisions + 1)]
    return Chart(slug=slug, kind="columns", title=title, description=_describe(points, what), marks=marks,
                 ticks=ticks, width=WIDTH, height=COLUMN_HEIGHT, show_every=1 if len(points) <= 12 else 2)


def bar_chart(slug: str, title: str, points: list[tuple[str, Count]], *, what: str) -> Chart:
    """Horizontal bars by category (a unit, a value): the label above each bar, so long names fit a phone."""
    top = _top([count for _label, count in points])
    plot_width = WIDTH - 64  # room for the number after the longest bar
    marks = []
    for index, (label, count) in enumerate(points):
        width = plot_width * ((5 if count.hidden else (count.value or 0)) / top)
        short = label if len(label) <= LABEL_CHARACTERS else label[:LABEL_CHARACTERS - 1] + "…"
        marks.append(Mark(label, short, count, x=0, y=index * BAR_ROW + 20, width=width, height=14))
    return Chart(slug=slug, kind="bars", title=title, description=_describe(
        [(label, label, count) for label, count in points], what), marks=marks, ticks=[], width=WIDTH,
        height=max(len(points), 1) * BAR_ROW + 4)


def _describe(points: list[tuple[str, str, Count]], what: str) -> str:
    """One or two sentences for people who cannot see the chart; the table beside it has every number."""
    if not points:
        return _("%(what)s: nothing to show.", what=what)
    shown = [(label, count.value) for label, _short, count in points if not count.hidden]
    parts = [f"{what}."]
    if shown and max(value for _label, value in shown) > 0:
        label, value = max(shown, key=lambda item: item[1])
        parts.append(_("Highest: %(value)s (%(label)s).", value=f"{value:,}", label=label))
    if len(shown) < len(points):
        parts.append(_("Counts below 5 are marked \"<5\"."))
    parts.append(_("The table below has every number."))
    return " ".join(parts)
