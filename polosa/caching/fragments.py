"""Cached fragments: pieces of HTML shared by many pages (the news-feed column, the rates widget).

A fragment is stored with the versions of the keys it recorded while it rendered. Reusing it inside a
page records those same keys into the page, so invalidating a fragment's key also invalidates every
cached page that included it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from . import memory
from .clock import followed_clock
from .dependencies import current_recorder, recording, still_valid

FRAGMENT_PREFIX = "fragment:"


def fragment_entry(name: str, render: Callable[[], str], timeout: int = 600) -> dict:
    """The stored entry of fragment `name` (``html``, ``versions``, ``expires_at``, ``rendered_at``),
    rendering and storing it with `render()` when it is stale.

    Reusing it inside a recording records its keys there, as if it had been rendered in place.
    """
    key = FRAGMENT_PREFIX + name
    local = memory.tier()
    entry = local.get(key) or cache.get(key)
    now = timezone.now()
    if entry is not None and not _usable(entry, now):
        # This process's copy may be older than one another process stored.
        shared = cache.get(key)
        entry = shared if shared is not None and shared is not entry and _usable(shared, now) else None
    if entry is None:
        with recording() as recorder:
            html = str(render())
        entry = {
            "html": html,
            "versions": recorder.versions,
            "expires_at": recorder.expires_at,
            "rendered_at": int(time.time()),
        }
        if recorder.cacheable and recorder.versions:
            seconds = timeout
            if recorder.expires_at is not None:
                seconds = min(seconds, int((recorder.expires_at - now).total_seconds()))
            if seconds > 0:
                cache.set(key, entry, seconds)
                local.put(key, entry, len(html) * 2 + 256)
        return entry
    local.put(key, entry, len(entry["html"]) * 2 + 256)
    outer = current_recorder()
    if outer is not None:
        outer.versions.update(entry["versions"])
        if entry["expires_at"] is not None:
            outer.expire_at(entry["expires_at"])
    return entry


def cached_fragment(name: str, render: Callable[[], str], timeout: int = 600) -> SafeString:
    """Return the HTML of fragment `name`, rendering it with `render()` only when it is stale.

    `render` must call `depends_on` for what it shows; a fragment that records nothing is not stored.
    """
    return mark_safe(fragment_entry(name, render, timeout)["html"])


_CHECKED_AT = "_checked_at_clock"


def _usable(entry: dict, now: datetime) -> bool:
    if entry["expires_at"] is not None and entry["expires_at"] <= now:
        return False
    # Where the process follows the invalidation clock, a fragment checked at its current value is
    # still current: nothing was invalidated since. A cold page uses a dozen fragments, each one read
    # of versions otherwise. The clock is taken before the versions are read, so a change in between
    # moves it past what is recorded here.
    try:
        seen = ("clock", followed_clock())
    except LookupError:
        seen = None
    if seen is not None and entry.get(_CHECKED_AT) == seen:
        return True
    usable = still_valid(entry["versions"])
    if usable and seen is not None:
        entry[_CHECKED_AT] = seen
    return usable
