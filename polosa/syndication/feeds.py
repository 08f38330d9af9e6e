"""RSS 2.0 feeds (the whole site, a section, a tag) and the Yandex News feed.

Small subclasses of Django's ``Feed``. Every feed records its cache dependencies in ``get_object``
(before reading any article), so a publish that changes its items invalidates the cached feed.
Item guids are ``tag:`` URIs built from the article's id and its first publication year: they stay
the same when the headline, slug or section changes.
"""

from __future__ import annotations

import mimetypes
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.translation import gettext as _

from polosa.caching import depends_on, keys
from polosa.core.sites import PageUrls
from polosa.news import newsworthy
from polosa.news.models import ArticleGenre, ArticlePage, SectionPage, Tag
from polosa.search.indexing import body_text

from .structured_data import absolute

# Yandex News knows "message", "article" and "interview"; a column is an "article" there.
YANDEX_GENRES = {
    ArticleGenre.NEWS: "message",
    ArticleGenre.ANALYSIS: "article",
    ArticleGenre.INTERVIEW: "interview",
    ArticleGenre.OPINION: "article",
}

FEED_SIZE = 50
YANDEX_FEED_SIZE = 100
# Yandex News ignores items older than eight days.
YANDEX_FEED_DAYS = 8
ENCLOSURE_RENDITION = "fill-1200x675"
YANDEX_NS = "http://news.yandex.ru"
MEDIA_NS = "http://search.yahoo.com/mrss/"


def article_guid(article: ArticlePage) -> str:
    """A permanent id (RFC 4151 tag URI): independent of the headline, slug and section."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    year = (article.first_published_at or article.published_at or timezone.now()).year
    return f"tag:{host},{year}:article:{article.pk}"


def _image_enclosure(image) -> Enclosure | None:
    if image is None:
        return None
    rendition = image.get_rendition(ENCLOSURE_RENDITION)
    try:
        length = rendition.file.size
    except OSError:  # a missing file on storage must not break the feed
        length = 0
    mime = mimetypes.guess_type(rendition.file.name)[0] or "image/jpeg"
    return Enclosure(absolute(rendition.url), str(length), mime)


class ArticleFeed(Feed):
    """The site's RSS 2.0 feed; the section and tag feeds narrow its items."""

    feed_type = Rss201rev2Feed
    item_guid_is_permalink = False
    size = FEED_SIZE
    language = settings.LANGUAGE_CODE

    def get_object(self, request, *args, **kwargs):
        depends_on(keys.ARTICLES, keys.SITE)
        return None

    def title(self, obj=None):
        return settings.SITE_NAME

    def link(self, obj=None):
        return settings.SITE_URL + "/"

    def description(self, obj=None):
        return str(settings.SITE_DESCRIPTION)

    def feed_url(self, obj=None):
        return settings.SITE_URL + reverse("syndication:rss")

    def articles(self, obj):
        return ArticlePage.objects.published()

    def items(self, obj):
        articles = list(
            self.articles(obj)
            .select_related("section", "hero_image")
            .prefetch_related("tag_links__tag", "authors", "hero_image__renditions")[: self.size]
        )
        # One site-root lookup for all items (the Feed instance is shared between requests, so the
        # URL is kept on each item, not on self).
        urls = PageUrls()
        for article in articles:
            article.feed_url = absolute(urls(article) or "/")
        return articles

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.lead

    def item_link(self, item):
        return item.feed_url

    def item_guid(self, item):
        return article_guid(item)

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.modified_at

    def item_author_name(self, item):
        return ", ".join(a.name for a in item.authors.all()) or None

    def item_categories(self, item):
        found = [item.section.title] if item.section_id and item.section else []
        return found + [link.tag.name for link in item.tag_links.all()]

    def item_enclosures(self, item):
        enclosure = _image_enclosure(item.hero_image)
        return [enclosure] if enclosure else []


class SectionFeed(ArticleFeed):
    def get_object(self, request, slug):
        section = get_object_or_404(SectionPage.objects.live().public(), slug=slug)
        depends_on(keys.section(section.pk), keys.page(section.pk), keys.SITE)
        return section

    def title(self, obj=None):
        return f"{obj.title} — {settings.SITE_NAME}"

    def link(self, obj=None):
        return obj.full_url

    def description(self, obj=None):
        return obj.description or _("News of the section “%(name)s”") % {"name": obj.title}

    def feed_url(self, obj=None):
        return settings.SITE_URL + reverse("syndication:section_rss", args=[obj.slug])

    def articles(self, obj):
        return ArticlePage.objects.published().in_section(obj)


class TagFeed(ArticleFeed):
    def get_object(self, request, slug):
        tag = get_object_or_404(Tag, slug=slug)
        depends_on(keys.tag(tag.pk), keys.tagged(tag.pk), keys.SITE)
        return tag

    def title(self, obj=None):
        return f"{obj.name} — {settings.SITE_NAME}"

    def link(self, obj=None):
        return absolute(obj.get_absolute_url())

    def description(self, obj=None):
        return _("Latest news about %(name)s") % {"name": obj.name}

    def feed_url(self, obj=None):
        return settings.SITE_URL + reverse("syndication:tag_rss", args=[obj.slug])

    def articles(self, obj):
        return ArticlePage.objects.published().with_tag(obj)


# --- Yandex News --------------------------------------------------------------------------------


class YandexNewsFeedGenerator(Rss201rev2Feed):
    """RSS 2.0 with the yandex and media namespaces: full text, genre, several enclosures."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:yandex": YANDEX_NS, "xmlns:media": MEDIA_NS}

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        logo = self.feed.get("yandex_logo")
        if logo:
            handler.addQuickElement("yandex:logo", logo)

    def add_item_elements(self, handler, item):
        enclosures = item.get("enclosures") or []
        super().add_item_elements(handler, {**item, "enclosures": enclosures[:1]})
        for enclosure in enclosures[1:]:
            handler.addQuickElement(
                "enclosure",
                "",
                {"url": enclosure.url, "length": enclosure.length, "type": enclosure.mime_type},
            )
        if enclosures:
            handler.addQuickElement(
                "media:content",
                "",
                {"url": enclosures[0].url, "type": enclosures[0].mime_type, "medium": "image"},
            )
        handler.addQuickElement("media:rating", "nonadult", {"scheme": "urn:simple"})
        handler.addQuickElement("yandex:genre", item["genre"])
        handler.addQuickElement("yandex:full-text", item["full_text"])


class YandexNewsFeed(ArticleFeed):
    """Yandex News: newsworthy articles of the last eight days, each with its full text."""

    feed_type = YandexNewsFeedGenerator
    size = YANDEX_FEED_SIZE

    def feed_url(self, obj=None):
        return settings.SITE_URL + reverse("syndication:yandex")

    def feed_extra_kwargs(self, obj):
        from django.templatetags.static import static

        return {
            "yandex_logo": absolute(static("polosa/logo-600x60.png")),
        }

    def articles(self, obj):
        since = timezone.now() - timedelta(days=YANDEX_FEED_DAYS)
        return newsworthy.newsworthy(ArticlePage.objects.published().filter(published_at__gte=since))

    def item_enclosures(self, item):
        images = [item.hero_image] if item.hero_image else []
        for block in item.body:
            if block.block_type == "image" and block.value.get("image"):
                images.append(block.value["image"])
        found = []
        for image in images[:5]:
            if enclosure := _image_enclosure(image):
                found.append(enclosure)
        return found

    def item_extra_kwargs(self, item):
        return {
            "genre": YANDEX_GENRES.get(item.genre, "message"),
            "full_text": body_text(item) or item.lead,
        }
