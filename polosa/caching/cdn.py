"""Purging a CDN (or any shared cache in front of the site) when pages change.

When keys are invalidated (after the change commits), the URLs that show them are purged through
Wagtail's frontend cache (`WAGTAILFRONTENDCACHE`, built from `CDN_PURGE_*` environment variables by
`polosa.caching.conf`). Nothing happens when no backend is configured.

Which URLs a key stands for: ``page:<id>`` (and ``section:<id>``, ``story:<id>``) is that page's URL;
apps register resolvers for their own keys (tags, authors, /news/, feeds, sitemaps) under Wagtail's
hook ``polosa_cdn_urls`` in their ``wagtail_hooks.py``: ``resolver(keys: frozenset[str]) -> URLs``
(absolute, or paths under SITE_URL); a resolver that raises is logged and skipped::

    hooks.register("polosa_cdn_urls", views.cdn_urls)
 Keys shown on every page ("feed", "site", "most-read") are not expanded into every URL:
such pages age out of the CDN after ``s-maxage`` (POLOSA_CDN_MAX_AGE), and the feed column refreshes
itself in the reader's browser meanwhile.

Wagtail queues the purge itself as a background task (`purge_urls_from_cache_task`, django-tasks): a
CDN's API can take seconds, and an editor's publish must not wait for it. A failed purge is logged by
the task runner; the page then leaves the CDN after ``s-maxage``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable

from django.conf import settings
from wagtail import hooks

logger = logging.getLogger(__name__)

HOOK = "polosa_cdn_urls"

UrlResolver = Callable[[frozenset[str]], Iterable[str]]

PAGE_KINDS = ("page:", "section:", "story:")


def is_enabled() -> bool:
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def absolute(url: str) -> str:
    return url if url.startswith(("http://", "https://")) else settings.SITE_URL + url


def page_urls(keys: frozenset[str]) -> set[str]:
    from wagtail.models import Page

    ids = set()
    for key in keys:
        kind, _, value = key.partition(":")
        if f"{kind}:" in PAGE_KINDS and value.isdigit():
            ids.add(int(value))
    if not ids:
        return set()
    urls = set()
    # Unpublished and private pages too: the CDN may still hold what they showed before.
    for page in Page.objects.filter(pk__in=ids):
        url = page.get_full_url()
        if url:
            urls.add(url)
    return urls


def urls_for_keys(keys: Iterable[str]) -> set[str]:
    """Every URL that shows one of `keys` and can be named without listing the whole site."""
    keys = frozenset(keys)
    urls = page_urls(keys)
    for resolver in hooks.get_hooks(HOOK):
        try:
            urls.update(absolute(u) for u in resolver(keys))
        except Exception:
            logger.exception("CDN purge: URL resolver %r failed for %s", resolver, sorted(keys))
    return urls


def purge(keys: Iterable[str] = (), urls: Iterable[str] = ()) -> set[str]:
    """Queue a purge of the URLs of `keys` and of `urls`; returns them. Failures are logged, never
    raised: the page cache is already correct, and the CDN expires the page anyway."""
    from wagtail.contrib.frontend_cache.utils import purge_urls_from_cache

    found = urls_for_keys(keys) | {absolute(u) for u in urls}
    if not found:
        return found
    try:
        purge_urls_from_cache(sorted(found))
    except Exception:
        logger.exception("CDN purge failed for %d URLs (they expire after s-maxage)", len(found))
    else:
        logger.info("CDN purge queued for %d URLs", len(found))
    return found


def schedule_purge(keys: Iterable[str] = (), urls: Iterable[str] = ()) -> None:
    """Purge when a CDN backend is configured; otherwise do nothing (not even the lookups)."""
    if is_enabled():
        purge(keys, urls)


__all__ = ["HOOK", "absolute", "purge", "schedule_purge", "urls_for_keys"]
