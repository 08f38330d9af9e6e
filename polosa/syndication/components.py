"""Tags this app adds to the <head> of reader pages (slot ``head``)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html_join
from django.utils.translation import gettext as _

from polosa.core.templatetags.polosa_tags import json_ld

from . import structured_data


def alternate_feeds(request, context) -> str:
    """<link rel="alternate"> to the site's RSS and, on a section or tag page, to its own feed."""
    links = [(settings.SITE_NAME, reverse("syndication:rss"))]
    page = context.get("page")
    if page is not None and page.specific_class.__name__ == "SectionPage":
        links.append(
            (f"{page.title} — {settings.SITE_NAME}", reverse("syndication:section_rss", args=[page.slug]))
        )
    tag = context.get("tag")
    if tag is not None and getattr(tag, "slug", None):
        links.append((f"{tag.name} — {settings.SITE_NAME}", reverse("syndication:tag_rss", args=[tag.slug])))
    return format_html_join(
        "\n", '<link rel="alternate" type="application/rss+xml" title="{}" href="{}">', links
    )


def front_page_meta(request, context) -> str:
    """On the front page: WebSite with SearchAction, and Open Graph / Twitter tags of the site."""
    page = context.get("page")
    if page is None or page.depth != 2 or page.specific_class.__name__ != "HomePage":
        return ""
    return render_to_string(
        "syndication/website_meta.html",
        {
            "website": json_ld(structured_data.website()),
            "SITE_NAME": settings.SITE_NAME,
            "url": settings.SITE_URL + "/",
            "description": str(settings.SITE_DESCRIPTION),
            "title": _("%(name)s: main news") % {"name": settings.SITE_NAME},
        },
    )
