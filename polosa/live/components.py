"""Live pieces in the page shell: the "Прямой эфир" block (slots), shown only while a broadcast is on
air, and the open live blogs («Онлайн») on the front page and in the news-feed column."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.template.loader import render_to_string
from django.templatetags.static import static

from polosa.caching import current_versions, depends_on, includes, keys, valid_until


def render_broadcast(placement: str) -> str:
    """The block for the broadcast on air now, or ""; the page expires at the schedule's next edge."""
    from .models import on_air

    depends_on(keys.LIVE_BROADCASTS)
    broadcast, changes_at = on_air()
    valid_until(changes_at)
    if broadcast is None:
        return ""
    return render_to_string(
        "live/broadcast_block.html",
        {
            "broadcast": broadcast,
            "placement": placement,
            "hls_script": static("live/vendor/hls.min.js"),
            "live_script": static("live/live.js"),
            "live_css": static("live/live.css"),
        },
    )


def broadcast_on_home(request, context) -> str:
    return includes.include("live-broadcast", placement="home")


def broadcast_beside_article(request, context) -> str:
    if getattr(request, "is_preview", False):
        return ""
    return includes.include("live-broadcast", placement="article")


PLACEMENTS = ("home", "article")


def render_included_broadcast(params: dict[str, str]) -> str:
    placement = params.get("placement")
    return render_broadcast(placement) if placement in PLACEMENTS else ""


def edge_includes() -> list[includes.Include]:
    """The pieces this app declares (hook ``polosa_includes``)."""
    # An edge include: going on or off air re-renders the block once, not every page.
    return [
        includes.Include("live-broadcast", render_included_broadcast, params=("placement",)),
        includes.Include("live-blogs", render_open_blogs),
    ]


# --- Open live blogs on the front page and in the feed column («Онлайн») -----------------------------

OPEN_BLOGS_ON_HOME = 3
OPEN_BLOGS_IN_COLUMN = 2
OPEN_BLOGS_MAX = max(OPEN_BLOGS_ON_HOME, OPEN_BLOGS_IN_COLUMN)


@dataclass(frozen=True)
class OpenBlog:
    pk: int
    title: str
    lead: str
    url: str
    first_published_at: datetime | None


OPEN_BLOGS_CACHE_PREFIX = "live-blogs-open:"


def open_blogs(limit: int) -> list[OpenBlog]:
    """The open live blogs, newest first; records what their rows show (which are open, their titles).

    The front page's strip and the column ask in one render: the list is kept in the shared cache
    under the live-blogs version, so the second asks the cache, not the database (two queries,
    the blogs and their view restrictions)."""
    from .models import LiveBlogPage

    depends_on(keys.LIVE_BLOGS)
    version = current_versions([keys.LIVE_BLOGS])[keys.LIVE_BLOGS]
    cache_key = f"{OPEN_BLOGS_CACHE_PREFIX}{version}"
    blogs = cache.get(cache_key)
    if blogs is None:
        blogs = [
            OpenBlog(blog.pk, blog.title, blog.lead, blog.url, blog.first_published_at)
            for blog in LiveBlogPage.objects.open()[:OPEN_BLOGS_MAX]
        ]
        cache.set(cache_key, blogs, 3600)
    blogs = blogs[:limit]
    depends_on(*(keys.page(blog.pk) for blog in blogs))
    return blogs


def render_open_blogs(params: dict[str, str]) -> str:
    """The front page's «Онлайн» strip: one line per open live blog, or "" while none is open."""
    blogs = open_blogs(OPEN_BLOGS_ON_HOME)
    if not blogs:
        return ""
    return render_to_string("live/home_blogs.html", {"blogs": blogs})


def open_blogs_on_home(request, context) -> str:
    """First on the front page, above the main story: an edge include, so opening or closing a live
    blog re-renders the strip, not the page."""
    return includes.include("live-blogs")


def feed_rows(placement):
    """Open live blogs at the top of the news-feed column, marked «Онлайн» (not on the /news/ page,
    which lists articles by the time they were published)."""
    from polosa.feed import inserts

    if placement.surface != inserts.COLUMN:
        return []
    return [
        inserts.FeedInsert(
            position=1,
            html=render_to_string("live/feed_row.html", {"blog": blog}),
            key=f"live-blog:{blog.pk}",
        )
        for blog in open_blogs(OPEN_BLOGS_IN_COLUMN)
    ]
