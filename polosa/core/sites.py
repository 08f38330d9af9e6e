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
        from polosa.caching import invalidate_on_commit, keys

        # update() sends no signal: Wagtail's cached root paths would keep the old address for page
        # URLs, and stored pages and fragments would keep showing it.
        Site.clear_site_root_paths_cache()
        invalidate_on_commit(keys.SITE, keys.ARTICLES, keys.FEED, keys.HOME)
        logger.info("the default site now answers at %s:%s (SITE_URL)", parts.hostname, port)
    return bool(changed)


# --- Which site a request is for, without asking the database every time ---------------------------
# Wagtail finds a request's site with a query (Site joined to its root page), then loads the root page's
# specific row to route from it, and every article reads its view restrictions: three of the nine
# queries of a cold article. The answers change only when a site, its root page or a page's privacy
# does, so each process keeps them, checked against those three dependency keys' versions in one cache
# read (a Redis MGET; no query).

_known_sites: dict[tuple[str, int], tuple[object, dict[str, str]]] = {}


def site_for(hostname: str, port: int):
    """The Wagtail site answering `hostname`:`port` (as Wagtail's `Site.find_for_request` finds it);
    None when no site answers."""
    from wagtail.models import Site
    from wagtail.models.sites import get_site_for_hostname

    from polosa.caching import current_versions, keys, read_versions

    known = _known_sites.get((hostname, port))
    if known is not None:
        site, versions = known
        current = read_versions(versions)
        if current is not None and all(current.get(k) == v for k, v in versions.items()):
            return site
    # The versions are read before the rows: a change in between leaves a copy that the next
    # request finds out of date, never one that looks current.
    versions = current_versions([keys.SITE, keys.VIEW_RESTRICTIONS])
    try:
        site = get_site_for_hostname(hostname, port)
    except Site.DoesNotExist:
        return None
    versions.update(current_versions([keys.page(site.root_page_id)]))
    # Wagtail routes from `site.root_page.specific`, loaded on first use and then kept on this copy;
    # Wagtail copies attributes set on a page to its specific form, so the flag reaches it too.
    site.root_page.__dict__[_NO_PRIVATE_PAGES] = _NoPrivatePages()
    if len(_known_sites) > 64:  # a handful of sites; a flood of unknown host names must not grow it
        _known_sites.clear()
    _known_sites[(hostname, port)] = (site, versions)
    return site


_NO_PRIVATE_PAGES = "_polosa_no_private_pages"


class _NoPrivatePages:
    """Whether no page at all is private, asked once per copy of a site, when a page first needs it."""

    def __init__(self) -> None:
        self.answer: bool | None = None

    def __bool__(self) -> bool:
        if self.answer is None:
            from wagtail.models import PageViewRestriction

            self.answer = not PageViewRestriction.objects.exists()
        return self.answer


def known_without_private_pages(root) -> bool:
    """True when `root` is a site's root page from `site_for` (checked current at the start of this
    request) and no page is private: the pages under it need not look their view restrictions up."""
    return bool(root.__dict__.get(_NO_PRIVATE_PAGES))


def forget_known_sites() -> None:
    _known_sites.clear()


def remember_site_for_request(request) -> None:
    """Give Wagtail the request's site from `site_for`, so routing starts at the root page without a
    query. Wagtail keeps the site it found on the request as ``request._wagtail_site`` and reuses it
    (`Site.find_for_request`); that attribute is its own, so this is the one place that sets it, and
    ``polosa/core/tests/test_known_sites.py`` fails if Wagtail stops reading it."""
    from django.http.request import split_domain_port

    hostname = split_domain_port(request.get_host())[0]
    port = request.get_port()
    request._wagtail_site = site_for(hostname, int(port) if port.isdigit() else 80)


class PageUrls:
    """Page URLs for many pages with one lookup of the site roots: the feed's lines, the RSS items,
    the sitemaps' rows.

    Page.get_url() looks the roots up (a cache read) for every page without a request and resolves
    a URL pattern for each; a feed of thirty lines only needs the roots once. With one site (the
    usual newsroom) the URL is the path below the site root; otherwise Wagtail decides (with the
    request, it looks the roots up once per request).
    """

    def __init__(self, request=None):
        from django.urls import reverse
        from wagtail.models import Site

        self.request = request
        self.roots = Site.get_site_root_paths()
        single = len({root.site_id for root in self.roots}) == 1
        self.prefix = reverse("wagtail_serve", args=("",)) if single else None

    def __call__(self, page) -> str | None:
        if self.prefix is not None and page.url_path.startswith(self.roots[0].root_path):
            return self.path(page.url_path)
        return page.get_url(self.request)

    def path(self, url_path: str) -> str:
        """The path on the site from a url_path alone, for rows too narrow to be pages (a sitemap of
        50,000 URLs): below the first site's root; a page outside it keeps its url_path."""
        root = self.roots[0].root_path if self.roots else "/"
        if url_path.startswith(root):
            return (self.prefix or "/") + url_path[len(root) :]
        return url_path
