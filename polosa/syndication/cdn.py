"""The feed and sitemap addresses a CDN must drop when what they list changes."""

from __future__ import annotations

from django.urls import reverse

from polosa.caching import keys
from polosa.news.models import SectionPage, Tag

# Every list of articles: the site feed, the Yandex feed and the sitemaps.
SITE_WIDE = ("syndication:rss", "syndication:yandex", "syndication:sitemap", "syndication:news_sitemap")


def feed_urls(changed: frozenset[str]) -> list[str]:
    """Site-wide feeds and sitemaps on any article change; a section's or tag's feed on its own keys."""
    urls = []
    if changed & {keys.ARTICLES, keys.SITE}:
        urls += [reverse(name) for name in SITE_WIDE]
    section_ids, tag_ids = set(), set()
    for key in changed:
        kind, _, value = key.partition(":")
        if value.isdigit():
            if kind == "section":
                section_ids.add(int(value))
            elif kind in ("tag", "tagged"):
                tag_ids.add(int(value))
    if section_ids:
        slugs = SectionPage.objects.filter(pk__in=section_ids).values_list("slug", flat=True)
        urls += [reverse("syndication:section_rss", args=[slug]) for slug in slugs]
    if tag_ids:
        slugs = Tag.objects.filter(pk__in=tag_ids).values_list("slug", flat=True)
        urls += [reverse("syndication:tag_rss", args=[slug]) for slug in slugs]
    return urls
