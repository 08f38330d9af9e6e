"""The page cache's hit path in the ASGI layer, in front of Django.

A hit used to pass Django's request construction and middleware chain, with thread hops for every
cache read; here it is answered in the event loop: the entry and its fragments from this process's
memory (`polosa.caching.memory`) or the shared cache, their versions in one read (a native asyncio
Redis ``MGET``), then the stored bytes and headers exactly as `PageCacheMiddleware` would send them
(`polosa.caching.pages` builds both), ETag/304 and HEAD included.

Anything else — a miss, a stale fragment, an editor, a POST, an event stream, an unknown host —
goes to Django untouched, where the middleware renders and stores it.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.http.cookie import parse_cookie
from django.http.request import split_domain_port, validate_host

from . import clock, pages
from .dependencies import aget_many, aread_clock, aread_versions

logger = logging.getLogger(__name__)


async def find(key: str, skip: frozenset[str] = frozenset()) -> pages.Found:
    steps = pages.lookup_steps(key, pages.now(), skip)
    answer = None
    try:
        while True:
            kind, names = steps.send(answer)
            if kind == "get":
                answer = await aget_many(names)
            elif kind == "clock":
                try:
                    answer = clock.known_clock()
                except LookupError:
                    answer = await aread_clock()
            else:
                answer = await aread_versions(names)
    except StopIteration as done:
        return done.value


def _allowed_hosts() -> list[str]:
    allowed = settings.ALLOWED_HOSTS
    if settings.DEBUG and not allowed:
        return [".localhost", "127.0.0.1", "[::1]"]
    return allowed


def request_key(scope: dict, headers: dict[bytes, bytes]) -> str | None:
    """The page-cache key Django's request would get (`middleware.entry_key`), or None when the page
    cache does not concern this request or only Django can tell (an unusual host, for instance)."""
    path = scope["path"]
    if path.startswith(pages.NEVER_CACHED_PREFIXES) or b"authorization" in headers:
        return None
    cookie = headers.get(b"cookie")
    if cookie is not None:
        names = parse_cookie(cookie.decode("latin-1"))
        if any(name in names for name in pages.cookie_names()):
            return None
    if settings.USE_X_FORWARDED_HOST and b"x-forwarded-host" in headers:
        host = headers[b"x-forwarded-host"].decode("latin-1")
    else:
        host = headers.get(b"host", b"").decode("latin-1")
    domain, _port = split_domain_port(host)
    if not host or not domain or not validate_host(domain, _allowed_hosts()):
        return None
    scheme = scope.get("scheme", "http")
    if settings.SECURE_PROXY_SSL_HEADER:
        name, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = headers.get(name.removeprefix("HTTP_").lower().replace("_", "-").encode())
        if value is not None:
            scheme = "https" if value.decode("latin-1").split(",")[0].strip() == secure_value else "http"
    query = scope.get("query_string", b"").decode("utf-8", "replace")
    # No LocaleMiddleware: every reader gets the site's language, as in `entry_key`.
    return pages.entry_key(scheme, host, path, query, settings.LANGUAGE_CODE)


async def answer(scope: dict) -> tuple[int, list[tuple[str, str]], bytes] | None:
    if scope["method"] not in ("GET", "HEAD") or not settings.POLOSA_PAGE_CACHE_ENABLED:
        return None
    headers = dict(scope.get("headers") or ())
    key = request_key(scope, headers)
    if key is None:
        return None
    mode = pages.include_mode(b"ESI/1.0" in headers.get(b"surrogate-capability", b""))
    found = await find(key, pages.skipped_pieces(mode))
    if not pages.is_page_entry(found.entry):
        return None
    holes = found.pieces()
    if found.fresh:
        state = "hit"
    elif found.unchecked and all(fragment is not None for _, fragment in holes):
        # The shared cache is down: this process's copy, however old, beats a page rendered from the
        # database for every reader (the outage is logged once by the cache backend).
        state = "stale"
    else:
        return None
    delivery = pages.deliver(found.entry, holes, mode, pages.now())
    method = scope["method"]
    if_none_match = headers.get(b"if-none-match")
    if_modified_since = headers.get(b"if-modified-since")
    status = pages.conditional_status(
        method,
        if_none_match.decode("latin-1") if if_none_match else None,
        if_modified_since.decode("latin-1") if if_modified_since else None,
        delivery,
    )
    return pages.response_parts(method, status, delivery, state)


class PageCacheApp:
    """ASGI middleware: answers page-cache hits itself, passes everything else to `app`."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http":
            try:
                found = await answer(scope)
            except Exception:
                # The hit path must never be why a reader gets an error: Django answers instead.
                logger.exception("page-cache hit path failed for %s", scope.get("path"))
                found = None
            if found is not None:
                status, headers, body = found
                await send(
                    {
                        "type": "http.response.start",
                        "status": status,
                        "headers": [(k.lower().encode("latin-1"), v.encode("latin-1")) for k, v in headers],
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return
        await self.app(scope, receive, send)
