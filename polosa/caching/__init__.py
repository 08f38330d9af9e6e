"""The page cache and what a cached page depends on.

Every reader-facing view that wants to be cached says what it shows by calling `depends_on` with
dependency keys before it reads the data, for example ``depends_on("page:12", "feed", "section:3")``.
Whatever changes that data calls `invalidate` with the same keys after its transaction commits. A
cached page is served only while every key it recorded still has the version it had at render time,
so a publish makes exactly the pages that show the changed thing miss on their next request.

Keys in use (add new kinds here):
    page:<id>       the page itself (its own URL)
    articles        any change to the set or order of published articles (site RSS, sitemaps, /news/)
    feed            the news-feed column beside every page (its visible items changed)
    section:<id>    the articles listed under a section
    story:<id>      the articles of a story line
    tag:<id>        a tag's own name, kind, photo and description
    tagged:<id>     the articles carrying a tag
    author:<id>     an author's name, photo and article list
    authored:<id>   the articles by an author (their page's list)
    site            navigation, site settings, anything in the shell of every page
    home            the front page's curated main and top stories
    most-read       the "most read" block (changes when the reads flush finds a new order)
    rates           Bank of Russia rates: the widget and /rates/ (an import stored new or changed rates)
    live-broadcasts the live broadcasts and their on-air schedule (polosa.live)
    banner          the breaking-news banner at the top of every page (polosa.newsroom)
"""

from .dependencies import (
    current_recorder,
    depends_on,
    do_not_cache,
    forget_affected_keys,
    invalidate,
    invalidate_on_commit,
    replace_affected_keys,
    valid_until,
)
from .fragments import cached_fragment

__all__ = [
    "cached_fragment",
    "current_recorder",
    "depends_on",
    "do_not_cache",
    "forget_affected_keys",
    "invalidate",
    "invalidate_on_commit",
    "replace_affected_keys",
    "valid_until",
]
