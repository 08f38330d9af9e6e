"""The news feed: every published article, newest first by first-publication time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from polosa.news.models import ArticlePage


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


def latest_items(limit: int) -> list[FeedItem]:
    articles = (
        ArticlePage.objects.published()
        .select_related("section")
        .only(
            "id", "title", "url_path", "published_at", "is_breaking", "section__title", "section__url_path"
        )[:limit]
    )
    return [
        FeedItem(
            id=a.pk,
            title=a.title,
            url=a.url,
            section_title=a.section.title if a.section else "",
            published_at=a.published_at,
            is_breaking=a.is_breaking,
        )
        for a in articles
    ]
