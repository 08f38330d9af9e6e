"""Extension point: which articles count as news for aggregators and news-only surfaces.

Advertising law keeps paid material out of news aggregators: partner articles must never reach the
Google News sitemap, the Yandex/Dzen feeds or search results presented as news. The app that owns
such material registers an exclusion under Wagtail's hook ``polosa_news_exclusion`` in its
``wagtail_hooks.py``; the apps that build news-only surfaces pass their article querysets through
:func:`newsworthy`::

    from wagtail import hooks

    hooks.register("polosa_news_exclusion", lambda articles: articles.exclude(partner_marking__isnull=False))

    from polosa.news import newsworthy

    items = newsworthy.newsworthy(ArticlePage.objects.live())

Ordinary listings (the feed column, sections, tags) show paid material with its marking and do not
use this filter.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from wagtail import hooks

HOOK = "polosa_news_exclusion"

Exclusion = Callable[[QuerySet], QuerySet]


def newsworthy(articles: QuerySet) -> QuerySet:
    """``articles`` without the material registered exclusions keep out of news surfaces."""
    for exclusion in hooks.get_hooks(HOOK):
        articles = exclusion(articles)
    return articles
