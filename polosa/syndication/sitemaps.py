"""Sitemaps: articles (paged, 50,000 URLs per file), sections and stories, tags; and Google News.

Items are narrow rows (URL path and times), not page objects, so a 50,000-URL file builds without
loading article bodies. The index's ``lastmod`` comes from one aggregate query per sitemap.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max
from wagtail.models import Page

from polosa.core.sites import PageUrls
from polosa.news.models import ArticlePage, ArticleTag, SectionPage, StoryIndexPage, StoryPage, Tag

URLS_PER_SITEMAP = 50_000


class PolosaSitemap(Sitemap):
    limit = URLS_PER_SITEMAP

    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc

    def get_urls(self, page=1, site=None, protocol=None):
        self._root = PageUrls()
        return super().get_urls(page=page, site=site, protocol=protocol)


def _latest(*dates):
    present = [d for d in dates if d]
    return max(present) if present else None


class ArticleSitemap(PolosaSitemap):
    changefreq = None

    def items(self):
        return (
            ArticlePage.objects.published()
            .order_by("-published_at", "-pk")
            .values_list("url_path", "published_at", "last_published_at", "updated_at")
        )

    def location(self, item):
        return self._root.path(item[0])

    def lastmod(self, item):
        return _latest(*item[1:])

    def get_latest_lastmod(self):
        found = ArticlePage.objects.published().aggregate(
            latest=Max("last_published_at"), published=Max("published_at"), updated=Max("updated_at")
        )
        return _latest(found["latest"], found["published"], found["updated"])


class SectionSitemap(PolosaSitemap):
    """The front page, sections, the story index and story lines."""

    def items(self):
        types = [SectionPage, StoryIndexPage, StoryPage]
        pages = Page.objects.live().public().type(*types).order_by("path")
        home = Page.objects.live().public().filter(depth=2).order_by("path")[:1]
        rows = list(home.values_list("url_path", "last_published_at")) + list(
            pages.values_list("url_path", "last_published_at")
        )
        latest = ArticlePage.objects.published().aggregate(latest=Max("published_at"))["latest"]
        # A listing changes whenever an article is published, so it is as fresh as the newest one.
        return [(path, _latest(modified, latest)) for path, modified in rows]

    def location(self, item):
        return self._root.path(item[0])

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):
        return ArticlePage.objects.published().aggregate(latest=Max("published_at"))["latest"]


class TagSitemap(PolosaSitemap):
    """Tag and person pages that have at least one published article."""

    def items(self):
        published = ArticlePage.objects.published().values("pk")
        return (
            ArticleTag.objects.filter(article__in=published)
            .values("tag__slug")
            .annotate(latest=Max("article__published_at"))
            .order_by("tag__slug")
            .values_list("tag__slug", "latest")
        )

    def location(self, item):
        return Tag(slug=item[0]).get_absolute_url()

    def lastmod(self, item):
        return item[1]

    def get_latest_lastmod(self):
        tagged = ArticleTag.objects.values("article_id")
        return (
            ArticlePage.objects.published()
            .filter(pk__in=tagged)
            .aggregate(latest=Max("published_at"))["latest"]
        )


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap, "tags": TagSitemap}
