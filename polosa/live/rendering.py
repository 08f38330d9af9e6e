"""What a live-blog page shows: its entries, the stream's starting point and its JSON-LD."""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse

from polosa.core.dates import iso
from polosa.syndication.structured_data import absolute, publisher

from .models import LiveBlogEntry, LiveBlogEvent, LiveBlogPage

JSON_LD_UPDATES = 50


def entry_text(entry: LiveBlogEntry) -> str:
    return entry.summary


def live_blog_posting(page: LiveBlogPage, entries: list[LiveBlogEntry]) -> dict:
    """schema.org LiveBlogPosting with the newest entries as liveBlogUpdate."""
    times = [e.posted_at for e in entries]
    start = min([*times, page.first_published_at] if page.first_published_at else times, default=None)
    data = {
        "@context": "https://schema.org",
        "@type": "LiveBlogPosting",
        "mainEntityOfPage": {"@type": "WebPage", "@id": page.full_url},
        "url": page.full_url,
        "headline": page.title[:110],
        "description": page.lead,
        "inLanguage": settings.LANGUAGE_CODE,
        "publisher": publisher(),
        "author": [publisher()],
    }
    if start:
        data["coverageStartTime"] = iso(start)
        data["datePublished"] = iso(start)
    if times:
        data["dateModified"] = iso(max(times))
    if page.is_closed and page.closed_at:
        data["coverageEndTime"] = iso(page.closed_at)
    newest = sorted(entries, key=lambda e: (e.posted_at, e.pk), reverse=True)[:JSON_LD_UPDATES]
    data["liveBlogUpdate"] = [
        {
            "@type": "BlogPosting",
            "headline": (entry_text(e)[:107] + "…") if len(entry_text(e)) > 110 else entry_text(e),
            "articleBody": entry_text(e),
            "datePublished": iso(e.posted_at),
            "url": f"{page.full_url}#{e.anchor}",
            **(
                {
                    "author": {
                        "@type": "Person",
                        "name": e.author.name,
                        "url": absolute(e.author.get_absolute_url()),
                    }
                }
                if e.author
                else {}
            ),
            **({"image": absolute(e.image.get_rendition("width-1200").url)} if e.image else {}),
        }
        for e in newest
    ]
    return data


def blog_context(page: LiveBlogPage, request) -> dict:
    entries = list(LiveBlogEntry.objects.published().for_display().filter(page=page))
    last_event = (
        LiveBlogEvent.objects.filter(page_id=page.pk).order_by("-pk").values_list("pk", flat=True).first()
        or 0
    )
    open_for_updates = not page.is_closed and not getattr(request, "is_preview", False)
    return {
        "pinned_entries": [e for e in entries if e.is_pinned],
        "entries": [e for e in entries if not e.is_pinned],
        "key_events": [e for e in entries if e.is_key_event],
        "last_event": last_event,
        "live_updates": open_for_updates,
        "events_url": reverse("live:events", args=[page.pk]),
        "updates_url": reverse("live:updates", args=[page.pk]),
        "poll_seconds": settings.POLOSA_LIVE_POLL_SECONDS,
        "live_script": static("live/live.js"),
        "live_css": static("live/live.css"),
        "live_blog_posting": live_blog_posting(page, entries),
        **post_embeds(entries, open_for_updates),
    }


def post_embeds(entries, open_for_updates: bool) -> dict:
    """What the page needs for Telegram and VK posts: the script that loads one when a reader asks,
    and the networks' script origins its CSP must allow. An open blog may receive a post at any
    moment, so it is ready for every enabled network."""
    from polosa.news.embeds import enabled_script_sources, script_sources

    if open_for_updates:
        sources = enabled_script_sources()
    else:
        sources = script_sources([post for e in entries if (post := e.post) is not None])
    return {
        "post_script_sources": sources,
        "post_embeds_script": static("news/embeds.js") if sources else "",
    }
