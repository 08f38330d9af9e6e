"""Extension point: which articles count as news for aggregators and news-only surfaces.

Advertising law keeps paid material out of news aggregators: partner articles must never reach the
Google News sitemap, the Yandex/Dzen feeds or search results presented as news. The app that owns
such material registers an exclusion in its ``AppConfig.ready()``; the apps that build news-only
surfaces pass their article querysets through :func:`newsworthy`::

    from polosa.news import newsworthy

    newsworthy.register_exclusion(lambda articles: articles.exclude(partner_marking__isnull=False))

    items = newsworthy.newsworthy(ArticlePage.objects.live())

Ordinary listings (the feed column, sections, tags) show paid material with its marking and do not
use this filter.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet

Exclusion = Callable[[QuerySet], QuerySet]

_exclusions: list[Exclusion] = []


def register_exclusion(exclusion: Exclusion) -> None:
    """Add a queryset filter that removes non-news articles; registering twice is harmless."""
    if exclusion not in _exclusions:
        _exclusions.append(exclusion)


def newsworthy(articles: QuerySet) -> QuerySet:
    """``articles`` without the material registered exclusions keep out of news surfaces."""
    for exclusion in _exclusions:
        articles = exclusion(articles)
    return articles
