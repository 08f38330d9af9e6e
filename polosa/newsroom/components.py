"""What the newsroom adds to reader pages: the breaking-news banner and an article's update notes."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html

from polosa.caching import depends_on, includes, keys, valid_until
from polosa.core import dates


def assets(request, context) -> str:
    """The newsroom's small stylesheet (banner, correction notes)."""
    return format_html('<link rel="stylesheet" href="{}">', static("newsroom/newsroom.css"))


def render_banner() -> str:
    from .models import BreakingBanner

    depends_on(keys.BANNER)
    banner = BreakingBanner.objects.showing().first()
    if banner is None:
        return ""
    valid_until(banner.expires_at)
    return render_to_string("newsroom/banner.html", {"banner": banner})


def breaking_banner(request, context) -> str:
    """The "Срочно" banner above the header of every page, until its expiry time.

    One shared fragment: a banner's save or delete invalidates the "banner" key, and the fragment
    (and every cached page that showed it) is not served past the banner's expiry.
    """
    return includes.include("breaking-banner")


def edge_includes() -> list[includes.Include]:
    """The pieces this app declares (hook ``polosa_includes``)."""
    return [includes.Include("breaking-banner", lambda params: render_banner())]


def corrections(request, context) -> str:
    """The article's dated update and correction notes, newest first, under the byline."""
    page = context.get("page")
    notes = getattr(page, "corrections", None)
    # Saving a note sets the article's update time, so an article never updated has none: no query.
    if notes is None or page.updated_at is None:
        return ""
    if page.pk:
        # The notes are part of the article's revision, so they change with its own key.
        depends_on(keys.page(page.pk))
    found = sorted(notes.all(), key=lambda c: c.noted_at, reverse=True)
    if not found:
        return ""
    # "25 ноября, 14:05": the day and the time in the newsroom's zone.
    rows = [(n, f"{dates.day_and_month(n.noted_at)}, {dates.local(n.noted_at):%H:%M}") for n in found]
    return render_to_string("newsroom/corrections.html", {"notes": rows})
