"""The admin report: impressions and clicks per promo over the last days, with a chart drawn on the
server as SVG (no chart script, nothing loaded from other hosts)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Sum
from django.utils import timezone

from polosa.core.charts import Scale

from .models import EventPromo, ItemKind, PartnerArticlePage, PromoDay, SpecialProjectPage

DEFAULT_DAYS = 30
MAX_DAYS = 366
CHART_WIDTH = 720
CHART_HEIGHT = 220
PAD = 32


@dataclass
class Row:
    kind: str
    object_id: int
    title: str
    impressions: int = 0
    clicks: int = 0

    @property
    def kind_label(self) -> str:
        return ItemKind(self.kind).label

    @property
    def ctr(self) -> float:
        return 100 * self.clicks / self.impressions if self.impressions else 0.0


@dataclass
class Chart:
    width: int
    height: int
    impressions_points: str
    max_value: int
    labels: list[tuple[float, str]] = field(default_factory=list)
    bars: list[tuple[float, float, float, int, int, str]] = field(default_factory=list)
    bar_width: float = 6.0
    max_clicks: int = 1


def _titles(pairs: set[tuple[str, int]]) -> dict[tuple[str, int], str]:
    titles = {}
    models = {
        ItemKind.EVENT: EventPromo,
        ItemKind.PROJECT: SpecialProjectPage,
        ItemKind.ARTICLE: PartnerArticlePage,
    }
    for kind, model in models.items():
        ids = [pk for k, pk in pairs if k == kind]
        if ids:
            for pk, title in model.objects.filter(pk__in=ids).values_list("pk", "title"):
                titles[(kind, pk)] = title
    return titles


def report(days: int = DEFAULT_DAYS, today: date | None = None) -> dict:
    """Totals per item and per day for the last `days` days (today included)."""
    days = max(1, min(int(days), MAX_DAYS))
    today = today or timezone.localdate()
    start = today - timedelta(days=days - 1)
    stats = PromoDay.objects.filter(day__gte=start, day__lte=today)
    per_item = stats.values("kind", "object_id").annotate(i=Sum("impressions"), c=Sum("clicks"))
    titles = _titles({(r["kind"], r["object_id"]) for r in per_item})
    rows = [
        Row(r["kind"], r["object_id"], titles.get((r["kind"], r["object_id"]), "—"), r["i"] or 0, r["c"] or 0)
        for r in per_item
    ]
    rows.sort(key=lambda r: (-r.impressions, -r.clicks, r.title))
    per_day = {
        r["day"]: (r["i"] or 0, r["c"] or 0)
        for r in stats.values("day").annotate(i=Sum("impressions"), c=Sum("clicks"))
    }
    series = [
        (start + timedelta(days=n), *per_day.get(start + timedelta(days=n), (0, 0))) for n in range(days)
    ]
    return {
        "rows": rows,
        "series": series,
        "chart": chart(series),
        "days": days,
        "start": start,
        "end": today,
    }


def chart(series: list[tuple[date, int, int]], width: int = CHART_WIDTH, height: int = CHART_HEIGHT) -> Chart:
    """Coordinates for a line of impressions and bars of clicks per day, on one scale."""
    # Clicks are a few per hundred impressions: each gets its own scale, or the bars would vanish.
    max_value = max([1, *(i for _, i, _ in series)])
    max_clicks = max([1, *(c for _, _, c in series)])
    inner_w = width - 2 * PAD
    bar_w = max(2.0, min(16.0, inner_w / max(1, len(series)) * 0.6))
    days = Scale(0, len(series) - 1, PAD, width - PAD)
    impressions_y = Scale(0, max_value, height - PAD, PAD)
    clicks_y = Scale(0, max_clicks, height - PAD, PAD)

    points_i, bars, labels = [], [], []
    for n, (day, impressions, clicks) in enumerate(series):
        x = round(days(n), 1)
        points_i.append(f"{x},{round(impressions_y(impressions), 1)}")
        top = round(clicks_y(clicks), 1)
        bars.append(
            (
                round(x - bar_w / 2, 1),
                top,
                round(height - PAD - top, 1),
                impressions,
                clicks,
                day.strftime("%d.%m"),
            )
        )
        last = len(series) - 1
        if n in (0, last) or (len(series) > 7 and n % 7 == 0 and last - n >= 3):
            labels.append((x, day.strftime("%d.%m")))
    return Chart(
        width,
        height,
        " ".join(points_i),
        max_value,
        labels,
        bars,
        bar_width=round(bar_w, 1),
        max_clicks=max_clicks,
    )
