"""A rate history as an SVG line chart, drawn on the server so it reads without JavaScript.

The figure carries its own summary (``<title>``/``<desc>``); the page adds the full table of values
as the text alternative.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from polosa.core import dates
from polosa.core.charts import Scale, nice_step

from . import formatting

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 64, 16, 16, 36


@dataclass(frozen=True)
class Point:
    day: date
    value: Decimal  # for the chart's nominal


def short_day(day: date) -> str:
    return f"{day.day} {dates.short_month(day.month)}"


def long_day(day: date) -> str:
    return f"{day.day} {dates.genitive_month(day.month)} {day.year}"


def summary(points: list[Point], name: str) -> str:
    low = min(points, key=lambda p: p.value)
    high = max(points, key=lambda p: p.value)
    first, last = points[0], points[-1]
    return _(
        "%(name)s: from %(first)s on %(first_day)s to %(last)s on %(last_day)s; "
        "lowest %(low)s on %(low_day)s, highest %(high)s on %(high_day)s."
    ) % {
        "name": name,
        "first": formatting.number(first.value, 4),
        "first_day": long_day(first.day),
        "last": formatting.number(last.value, 4),
        "last_day": long_day(last.day),
        "low": formatting.number(low.value, 4),
        "low_day": long_day(low.day),
        "high": formatting.number(high.value, 4),
        "high_day": long_day(high.day),
    }


def render_svg(points: list[Point], title: str, chart_id: str = "rate-chart") -> SafeString:
    """The chart; "" without points. Two or more points draw a line, one draws a dot."""
    if not points:
        return mark_safe("")
    values = [float(p.value) for p in points]
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - max(abs(low) * 0.01, 0.01), high + max(abs(high) * 0.01, 0.01)
    step = nice_step(high - low)
    axis_low = (low // step) * step
    axis_high = -((-high) // step) * step
    first_day, last_day = points[0].day, points[-1].day
    span_days = (last_day - first_day).days
    days = Scale(0, span_days, LEFT, WIDTH - RIGHT)
    y = Scale(axis_low, axis_high, HEIGHT - BOTTOM, TOP)

    def x(day: date) -> float:
        return days((day - first_day).days)

    places = 2 if step >= 0.1 else 4
    grid = []
    tick = axis_low
    while tick <= axis_high + step / 2:
        grid.append(
            format_html(
                '<line class="chart__grid" x1="{}" x2="{}" y1="{}" y2="{}"/>'
                '<text class="chart__label" x="{}" y="{}" text-anchor="end">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                f"{y(tick):.1f}",
                f"{y(tick):.1f}",
                LEFT - 6,
                f"{y(tick) + 4:.1f}",
                formatting.number(Decimal(str(round(tick, 6))), places),
            )
        )
        tick += step
    label_days = [first_day, last_day]
    if span_days > 14:
        middle = min(points, key=lambda p: abs((p.day - first_day).days - span_days / 2)).day
        label_days.insert(1, middle)
    anchors = ["start", "middle", "end"] if len(label_days) == 3 else ["start", "end"]
    x_labels = format_html_join(
        "",
        '<text class="chart__label" x="{}" y="{}" text-anchor="{}">{}</text>',
        (
            (f"{x(day):.1f}", HEIGHT - 10, anchor, short_day(day))
            for day, anchor in zip(label_days, anchors, strict=True)
        ),
    )
    coords = " ".join(f"{x(p.day):.1f},{y(float(p.value)):.1f}" for p in points)
    line = (
        format_html('<polyline class="chart__line" fill="none" points="{}"/>', coords)
        if len(points) > 1
        else format_html(
            '<circle class="chart__dot" cx="{}" cy="{}" r="4"/>',
            f"{x(first_day):.1f}",
            f"{y(values[0]):.1f}",
        )
    )
    return format_html(
        '<svg class="chart" id="{id}" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" '
        'aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg">'
        '<title id="{id}-title">{title}</title><desc id="{id}-desc">{desc}</desc>'
        '{grid}<line class="chart__axis" x1="{left}" x2="{left}" y1="{top}" y2="{bottom}"/>'
        "{line}{x_labels}</svg>",
        id=chart_id,
        w=WIDTH,
        h=HEIGHT,
        title=title,
        desc=summary(points, title),
        grid=mark_safe("".join(grid)),
        left=LEFT,
        top=TOP,
        bottom=HEIGHT - BOTTOM,
        line=line,
        x_labels=x_labels,
    )
