"""Cached fragments: pieces of HTML shared by many pages (the news-feed column, the rates widget).

A fragment is stored with the versions of the keys it recorded while it rendered. Reusing it inside a
page records those same keys into the page, so invalidating a fragment's key also invalidates every
cached page that included it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from .dependencies import current_recorder, recording, still_valid

FRAGMENT_PREFIX = "fragment:"


def cached_fragment(name: str, render: Callable[[], str], timeout: int = 600) -> SafeString:
    """Return the HTML of fragment `name`, rendering it with `render()` only when it is stale.

    `render` must call `depends_on` for what it shows; a fragment that records nothing is not stored.
    """
    key = FRAGMENT_PREFIX + name
    entry = cache.get(key)
    now = timezone.now()
    if entry is not None and _usable(entry, now):
        outer = current_recorder()
        if outer is not None:
            outer.versions.update(entry["versions"])
            if entry["expires_at"] is not None:
                outer.expire_at(entry["expires_at"])
        return mark_safe(entry["html"])

    with recording() as recorder:
        html = str(render())
    if recorder.cacheable and recorder.versions:
        seconds = timeout
        if recorder.expires_at is not None:
            seconds = min(seconds, int((recorder.expires_at - now).total_seconds()))
        if seconds > 0:
            cache.set(
                key,
                {"html": html, "versions": recorder.versions, "expires_at": recorder.expires_at},
                seconds,
            )
    return mark_safe(html)


def _usable(entry: dict, now: datetime) -> bool:
    if entry["expires_at"] is not None and entry["expires_at"] <= now:
        return False
    return still_valid(entry["versions"])
