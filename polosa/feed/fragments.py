"""The news-feed column beside every public page: one cached fragment shared by all pages."""

from django.conf import settings
from django.template.loader import render_to_string

from polosa.caching import cached_fragment, depends_on, keys

from . import queries


def render_feed_column() -> str:
    depends_on(keys.FEED)
    items = queries.latest_items(settings.POLOSA_FEED_COLUMN_SIZE)
    return render_to_string("feed/feed_column.html", {"items": items})


def feed_column(request, context) -> str:
    # Feed times read "21:52" today and "Вчера, 21:52" after midnight, so the page cache's
    # midnight cut-off covers the fragment too; the fragment keys on the date for the same reason.
    from django.utils import timezone

    today = timezone.localdate().isoformat()
    return cached_fragment(f"feed-column:{today}", render_feed_column)
