"""The news feed: every published article, newest first by first-publication time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import cached_property

from polosa.core import dates
from polosa.core.sites import PageUrls
from polosa.news.models import ArticlePage

# What a feed line shows; .only() keeps the rows narrow (no body, no lead).
FEED_FIELDS = (
    "id",
    "title",
    "url_path",
    "published_at",
    "is_breaking",
    "section__title",
    "section__url_path",
)


@dataclass(frozen=True)
class FeedItem:
    """One line of the news feed ("Лента новостей")."""

    id: int
    title: str
    url: str
    section_title: str
    published_at: datetime
    is_breaking: bool = False
    kind: str = "article"

    @property
    def stamp(self) -> int:
        """Microseconds since the epoch: what the live refresh compares to find newer items."""
        return int(self.published_at.timestamp() * 1_000_000)

    # Worked out once per line: the /news/ template shows the day in three places.
    @cached_property
    def day_label(self) -> str:
        return dates.long_date(self.published_at)

    @cached_property
    def clock(self) -> str:
        return dates.local(self.published_at).strftime("%H:%M")

    @cached_property
    def iso(self) -> str:
        return dates.iso(self.published_at)


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """The start and end of a day in the newsroom's time zone, as aware datetimes."""
    start = timezone.make_aware(datetime.combine(day, time.min))
    end = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    return start, end


def feed_queryset(section=None, day: date | None = None) -> QuerySet:
    """Published articles for the feed, optionally of one section and one local day, newest first."""
    articles = ArticlePage.objects.published()
    if section is not None:
        articles = articles.in_section(section)
    if day is not None:
        start, end = day_bounds(day)
        articles = articles.filter(published_at__gte=start, published_at__lt=end)
    return articles.select_related("section").only(*FEED_FIELDS)


def to_items(articles, request: HttpRequest | None = None) -> list[FeedItem]:
    """Feed lines for article rows."""
    items = []
    url = PageUrls(request)
    for article in articles:
        items.append(
            FeedItem(
                id=article.pk,
                title=article.title,
                url=url(article),
                section_title=article.section.title if article.section_id else "",
                published_at=article.published_at,
                is_breaking=article.is_breaking,
            )
        )
    return items


def latest_items(limit: int, request: HttpRequest | None = None) -> list[FeedItem]:
    return to_items(feed_queryset()[:limit], request)
