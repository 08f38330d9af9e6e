"""Extension point: other apps place their own rows into the news feed (partner material, promos).

The feed column and the `/news/` page ask every registered provider what to insert before they
render. A provider is a callable ``provider(placement) -> iterable of FeedInsert``; register it
under Wagtail's hook ``polosa_feed_inserts`` in your app's ``wagtail_hooks.py``::

    from wagtail import hooks

    from polosa.feed import inserts

    @hooks.register("polosa_feed_inserts")
    def partner_rows(placement):
        if placement.surface == inserts.COLUMN or placement.first_page:
            depends_on("promos")          # record what the row shows, like any view
            valid_until(promo.show_until)  # and when it must disappear
            yield inserts.FeedInsert(position=3, html=render_to_string("promos/feed_row.html", ...))

Rules a provider must follow:
- ``html`` is one complete ``<li>`` element, rendered from a template (a plain ``str`` is escaped),
  carrying its own marking (for an ad: «Реклама», the advertiser and the erid).
- The column is one cached fragment shared by every page and every reader, so the rows must not
  depend on the request or the reader; record dependencies with ``polosa.caching.depends_on`` and
  ``valid_until`` so the column and the pages that include it are rebuilt when the rows change.
- ``position`` is 1-based among the rows the reader sees; rows past the end are dropped, several
  rows asking for one position keep the providers' order (the hook's ``order``, then
  ``INSTALLED_APPS``).
- A provider that raises is logged and skipped: partner material never breaks the news feed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.html import conditional_escape
from django.utils.safestring import SafeString
from wagtail import hooks

logger = logging.getLogger(__name__)

COLUMN = "column"  # the news-feed column beside every page
PAGE = "page"  # the /news/ page

HOOK = "polosa_feed_inserts"


@dataclass(frozen=True)
class Placement:
    """Where the feed is being rendered."""

    surface: str  # COLUMN or PAGE
    size: int  # how many news items this surface shows
    first_page: bool = True  # False on the /news/ pages reached with "Show more"
    section_slug: str = ""  # the /news/ page's section filter, if any
    day: date | None = None  # the /news/ page's day filter, if any


@dataclass(frozen=True)
class FeedInsert:
    """One row a provider puts into the feed."""

    position: int
    html: str
    key: str = ""  # a stable name for the row (for tests and for the live refresh)
    is_insert = True

    def render(self) -> SafeString:
        return conditional_escape(self.html)


Provider = Callable[[Placement], Iterable[FeedInsert]]


def inserts_for(placement: Placement) -> list[FeedInsert]:
    """Every provider's rows for `placement`, in the providers' hook order."""
    found = []
    for provider in hooks.get_hooks(HOOK):
        try:
            found.extend(row for row in provider(placement) if isinstance(row, FeedInsert))
        except Exception:
            logger.exception("feed insert provider %r failed; the feed is shown without its rows", provider)
    return found


def merge(items: list, rows: list[FeedInsert]) -> list:
    """`items` with each insert placed at its position (1-based among the merged rows)."""
    if not rows:
        return list(items)
    merged = list(items)
    last = -1
    for row in sorted(rows, key=lambda r: r.position):
        # Ties keep the providers' order: each row goes after the one placed before it.
        index = max(row.position - 1, last + 1)
        if index > len(merged):
            break
        merged.insert(index, row)
        last = index
    return merged
