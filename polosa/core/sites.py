"""Wagtail's default site follows SITE_URL, so page URLs (canonical, og:url, JSON-LD) are absolute on it."""

from __future__ import annotations

import logging
from urllib.parse import urlsplit

logger = logging.getLogger(__name__)


def point_default_site_at(site_url: str) -> bool:
    """Give the default Wagtail site `site_url`'s host name and port; True if that changed it."""
    from wagtail.models import Site

    parts = urlsplit(site_url)
    if not parts.hostname:
        return False
    port = parts.port or (443 if parts.scheme == "https" else 80)
    changed = (
        Site.objects.filter(is_default_site=True)
        .exclude(hostname=parts.hostname, port=port)
        .update(hostname=parts.hostname, port=port)
    )
    if changed:
        from polosa.caching import keys
        from polosa.caching.dependencies import invalidate_on_commit

        # update() sends no signal: Wagtail's cached root paths would keep the old address for page
        # URLs, and stored pages and fragments would keep showing it.
        Site.clear_site_root_paths_cache()
        invalidate_on_commit(keys.SITE, keys.ARTICLES, keys.FEED, keys.HOME)
        logger.info("the default site now answers at %s:%s (SITE_URL)", parts.hostname, port)
    return bool(changed)
