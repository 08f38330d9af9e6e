"""Structured data (schema.org JSON-LD) and sharing tags (Open Graph, Twitter) for reader pages."""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static

from polosa.core.dates import iso

HERO_RENDITIONS = {"16x9": "fill-1200x675", "4x3": "fill-1200x900", "1x1": "fill-1200x1200"}


def absolute(url: str) -> str:
    """An absolute URL for `url`, which may already be absolute (media on a CDN)."""
    if url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url


def publisher() -> dict:
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "logo": {
            "@type": "ImageObject",
            "url": absolute(static("polosa/logo-600x60.png")),
            "width": 600,
            "height": 60,
        },
    }


def hero_images(article) -> list[str]:
    if not article.hero_image:
        return []
    return [absolute(article.hero_image.get_rendition(spec).url) for spec in HERO_RENDITIONS.values()]


def news_article(article) -> dict:
    """schema.org NewsArticle for an article page, as Google and Yandex read it.

    An article type may name another schema.org Article type in ``schema_type`` (paid material says
    ``AdvertiserContentArticle``, so search engines do not take it for news).
    """
    data = {
        "@context": "https://schema.org",
        "@type": getattr(article, "schema_type", "NewsArticle"),
        "mainEntityOfPage": {"@type": "WebPage", "@id": article.full_url},
        "url": article.full_url,
        "headline": article.title[:110],
        "description": article.lead,
        "inLanguage": settings.LANGUAGE_CODE,
        "isAccessibleForFree": True,
        "publisher": publisher(),
    }
    if images := hero_images(article):
        data["image"] = images
    if article.published_at:
        data["datePublished"] = iso(article.published_at)
    if modified := article.modified_at:
        data["dateModified"] = iso(modified)
    authors = [
        {"@type": "Person", "name": a.name, "url": absolute(a.get_absolute_url())}
        for a in article.author_list
    ]
    data["author"] = authors or [publisher()]
    if article.section_id:
        data["articleSection"] = article.section.title
    if tags := article.tags:
        data["keywords"] = [t.name for t in tags]
    return data


def breadcrumb_list(crumbs: list[tuple[str, str]], current: tuple[str, str] | None = None) -> dict:
    items = [("/", settings.SITE_NAME), *((url, label) for label, url in crumbs)]
    if current:
        items.append((current[1], current[0]))
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {"@type": "ListItem", "position": i, "name": name, "item": absolute(url)}
            for i, (url, name) in enumerate(items, start=1)
        ],
    }


def sharing_tags(article) -> dict:
    """Open Graph and Twitter card values for an article."""
    image = article.hero_image.get_rendition(HERO_RENDITIONS["16x9"]) if article.hero_image else None
    return {
        "title": article.title,
        "description": article.lead,
        "url": article.full_url,
        "image": absolute(image.url) if image else "",
        "image_width": image.width if image else None,
        "image_height": image.height if image else None,
        "image_alt": article.hero_image.alt_text if article.hero_image else "",
        "published": iso(article.published_at) if article.published_at else "",
        "modified": iso(article.modified_at) if article.modified_at else "",
        "section": article.section.title if article.section_id else "",
        "tags": [t.name for t in article.tags],
        "authors": [absolute(a.get_absolute_url()) for a in article.author_list],
    }


def website() -> dict:
    """schema.org WebSite with a SearchAction, for the front page (the sitelinks search box)."""
    from django.urls import reverse

    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": settings.SITE_URL + "/",
        "inLanguage": settings.LANGUAGE_CODE,
        "publisher": publisher(),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": settings.SITE_URL + reverse("search:search") + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def translations(page) -> list[tuple[str, str]]:
    """(language code, absolute URL) of the live translations of `page`, itself included; empty when
    the site has a single language (no query then)."""
    if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
        return []
    found = [
        (t.locale.language_code, t.full_url)
        for t in page.get_translations(inclusive=True).live().public().select_related("locale")
        if t.full_url
    ]
    return found if len(found) > 1 else []
