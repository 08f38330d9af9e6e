"""The page cache and what a cached page depends on.

Every reader-facing view that wants to be cached says what it shows by calling `depends_on` with
dependency keys before it reads the data, for example ``depends_on("page:12", "feed", "section:3")``.
Whatever changes that data calls `invalidate` with the same keys after its transaction commits. A
cached page is served only while every key it recorded still has the version it had at render time,
so a publish makes exactly the pages that show the changed thing miss on their next request.

A view that keeps its own copy of something (a per-process memo, a browser-side version token) checks
it with `current_versions` (or `read_versions`, which says None when the shared cache is down).
`TRACKING_PARAMS` are the query parameters (prefixes) the page cache ignores, so a view that rejects
unknown parameters lets them through; `CACHE_HEADER` is the response header that says hit or miss.

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

# What other apps may use. Everything else in this package is its own business: an app that needs
# more asks for it here rather than reaching into a submodule. `keys` is the module of key builders.
from . import keys
from .dependencies import (
    current_recorder,
    current_versions,
    depends_on,
    do_not_cache,
    forget_affected_keys,
    invalidate,
    invalidate_on_commit,
    read_versions,
    recording,
    replace_affected_keys,
    valid_until,
)
from .fragments import cached_fragment
from .pages import CACHE_HEADER, TRACKING_PARAMS

__all__ = [
    "CACHE_HEADER",
    "TRACKING_PARAMS",
    "cached_fragment",
    "current_recorder",
    "current_versions",
    "depends_on",
    "do_not_cache",
    "forget_affected_keys",
    "invalidate",
    "invalidate_on_commit",
    "keys",
    "read_versions",
    "recording",
    "replace_affected_keys",
    "valid_until",
]
