"""The feed's pieces in other pages: the news-feed column, "most read", the read counter, assets.

The column is one cached fragment shared by every page. It records the "feed" key, whose version
also serves as the ETag of the live-refresh endpoint: a reader's poll answers 304 while it holds.
"""

from __future__ import annotations

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from polosa.caching import current_recorder, current_versions, depends_on, includes, keys
from polosa.readership import reads

from . import inserts, queries


def feed_etag(version: str | None = None) -> str:
    """The live-refresh validator: the feed's version and the day (times read "вчера" after midnight)."""
    if version is None:
        version = current_versions([keys.FEED])[keys.FEED]
    return f'"{version}-{timezone.localdate().isoformat()}"'


def column_rows(request=None) -> list:
    """The column's rows: the newest articles with any providers' inserts placed among them."""
    size = settings.POLOSA_FEED_COLUMN_SIZE
    items = queries.latest_items(size, request)
    return inserts.merge(items, inserts.inserts_for(inserts.Placement(surface=inserts.COLUMN, size=size)))


def render_feed_column(request=None) -> str:
    from django.template.loader import render_to_string

    depends_on(keys.FEED)
    recorder = current_recorder()
    version = recorder.versions.get(keys.FEED) if recorder is not None else None
    return render_to_string(
        "feed/feed_column.html",
        {
            "rows": column_rows(request),
            "etag": feed_etag(version),
            "poll_seconds": settings.POLOSA_FEED_POLL_SECONDS,
        },
    )


def feed_column_pending(params) -> str:
    """The column's title and a link to the feed, until the browser has fetched the column."""
    from django.template.loader import render_to_string

    return render_to_string("feed/feed_column_pending.html")


def feed_column(request, context) -> str:
    """The column beside every page but /news/ (which is the feed): an edge include, so a publish
    re-renders it once, not every page."""
    if context.get("is_feed_page"):
        return ""
    return includes.include("feed-column")


def render_most_read() -> str:
    from django.template.loader import render_to_string

    depends_on(keys.MOST_READ)
    size = getattr(settings, "POLOSA_MOST_READ_SIZE", 5)
    articles = reads.articles_by_ids(reads.most_read_ids(size))[:size]
    # A title change or an unpublish of a listed article rebuilds the block.
    depends_on(*(keys.page(a.pk) for a in articles))
    if not articles:
        return ""
    return render_to_string("feed/most_read.html", {"articles": articles})


def most_read() -> str:
    """ "Самое читаемое": hidden until something was read; an edge include (it changes with reads)."""
    return includes.include("most-read")


def edge_includes() -> list[includes.Include]:
    """The pieces this app declares (hook ``polosa_includes``)."""
    return [
        # Feed times read "21:52" today and "вчера, 21:52" after midnight: the column is kept per day.
        includes.Include(
            "feed-column", lambda params: render_feed_column(), daily=True, placeholder=feed_column_pending
        ),
        includes.Include("most-read", lambda params: render_most_read()),
    ]


def most_read_on_home(request, context) -> str:
    """In the column beside the front page, under the news feed."""
    from polosa.front.models import HomePage

    return most_read() if isinstance(context.get("page"), HomePage) else ""


def most_read_on_article(request, context) -> str:
    """After an article's tags, where a reader who finished it looks for the next one."""
    return most_read()


def read_counter(request, context) -> str:
    """The article's read count beside its story line, and the address its beacon posts to.

    The page does not depend on the count (that would rebuild it on every read); the count in a
    cached page is a little old, and the beacon's answer brings it up to date in the browser. A page
    nobody has read yet shows no counter.
    """
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    page = context.get("page")
    if page is None or not getattr(page, "published_at", None) or getattr(request, "is_preview", False):
        return ""
    count = reads.total(page.pk)
    # No "Прочтений: 0": the counter stays hidden until there are reads (feed.js shows it when the
    # beacon's answer brings the first ones).
    return format_html(
        '<span class="read-count" data-read-count data-read-url="{}"{}>'
        '<span class="visually-hidden">{} </span><span data-read-value>{}</span></span>',
        reverse("feed:read", args=[page.pk]),
        "" if count else mark_safe(" hidden"),
        _("Reads:"),
        number_format(count, force_grouping=True),
    )


def assets(request, context) -> str:
    """The feed's stylesheet and script (a static file: the CSP allows no inline script)."""
    return format_html(
        '<link rel="stylesheet" href="{}">\n<script src="{}" defer></script>',
        static("feed/feed.css"),
        static("feed/feed.js"),
    )
