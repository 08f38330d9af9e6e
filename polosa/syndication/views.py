"""Sitemap index and files, the Google News sitemap and robots.txt."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.sitemaps import views as sitemap_views
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from polosa.caching import depends_on, keys, valid_until
from polosa.core.sites import PageUrls
from polosa.news import newsworthy
from polosa.news.models import ArticlePage

from .sitemaps import SITEMAPS

NEWS_SITEMAP_HOURS = 48
NEWS_SITEMAP_LIMIT = 1000


def sitemap_index(request):
    """sitemap.xml: one entry per file of each sitemap (50,000 URLs a file), with its lastmod."""
    depends_on(keys.ARTICLES, keys.SITE)
    entries = []
    for name, sitemap_class in SITEMAPS.items():
        sitemap = sitemap_class()
        location = settings.SITE_URL + reverse("syndication:sitemap_section", args=[name])
        lastmod = sitemap.get_latest_lastmod()
        for page in range(1, sitemap.paginator.num_pages + 1):
            entries.append(
                {"location": location if page == 1 else f"{location}?p={page}", "lastmod": lastmod}
            )
    return render(
        request, "syndication/sitemap_index.xml", {"entries": entries}, content_type="application/xml"
    )


def sitemap_section(request, section):
    if section not in SITEMAPS:
        raise Http404("No such sitemap.")
    depends_on(keys.ARTICLES, keys.SITE)
    return sitemap_views.sitemap(request, SITEMAPS, section=section, template_name="syndication/sitemap.xml")


def news_articles(now=None):
    """What the Google News sitemap lists: newsworthy articles of the last 48 hours, newest first."""
    now = now or timezone.now()
    since = now - timedelta(hours=NEWS_SITEMAP_HOURS)
    articles = ArticlePage.objects.published().filter(published_at__gte=since, published_at__lte=now)
    return newsworthy.newsworthy(articles).only("title", "url_path", "published_at")[:NEWS_SITEMAP_LIMIT]


def news_sitemap(request):
    depends_on(keys.ARTICLES, keys.SITE)
    articles = list(news_articles())
    if articles:
        # The oldest item leaves the 48-hour window at this moment; the file must not outlive it.
        valid_until(min(a.published_at for a in articles) + timedelta(hours=NEWS_SITEMAP_HOURS))
    root = PageUrls()
    items = [{"location": settings.SITE_URL + root.path(a.url_path), "article": a} for a in articles]
    context = {"items": items, "publication_name": settings.SITE_NAME, "language": settings.LANGUAGE_CODE}
    return render(request, "syndication/news_sitemap.xml", context, content_type="application/xml")


def robots_txt(request):
    depends_on(keys.SITE)
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /django-admin/",
        "Disallow: /_util/",
        "Disallow: /search/",
        "",
        f"Sitemap: {settings.SITE_URL}{reverse('syndication:sitemap')}",
        f"Sitemap: {settings.SITE_URL}{reverse('syndication:news_sitemap')}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
