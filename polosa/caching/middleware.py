"""Whole-page cache for anonymous readers.

Sits high in the middleware stack so a hit is answered before sessions, authentication or the
database are touched. Editors (anyone with a session cookie), previews, non-GET requests, responses
that set cookies or vary on them, pages that show messages, and views that did not declare their
dependencies are never stored.

HTTP caching: stored pages carry an ``ETag`` (a hash of the bytes) and ``Last-Modified`` (when they
were rendered), so a reader's conditional GET is answered 304 from the cache without rendering, and a
``Cache-Control`` with ``s-maxage``, ``stale-while-revalidate`` and ``stale-if-error`` for a CDN.

Stampede guard: when many readers miss the same page at once (it was just invalidated by a publish),
one of them renders it under a short lock in the shared cache and the others wait for its entry.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import time
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, get_conditional_response
from django.utils.http import http_date

from .dependencies import Recorder, recording, still_valid

logger = logging.getLogger(__name__)

ENTRY_PREFIX = "pagecache:"
LOCK_PREFIX = "pagecache-lock:"
# A render holding the lock longer than this is presumed dead; the next reader renders instead.
LOCK_SECONDS = 10
# How long readers wait for another reader's render before rendering themselves.
WAIT_SECONDS = 5.0
WAIT_STEP = 0.02
# A page found uncacheable is remembered briefly, so its readers do not queue behind the lock.
UNCACHEABLE_SECONDS = 10
CACHE_HEADER = "X-Polosa-Cache"
# Query parameters that only track where a reader came from; they never change the page.
TRACKING_PARAMS = ("utm_", "yclid", "gclid", "fbclid", "_openstat", "from")
# Headers worth keeping with a stored page; per-request ones (Date, Set-Cookie) are left out.
STORED_HEADERS = {
    "content-type",
    "content-language",
    "content-security-policy",
    "link",
    "x-robots-tag",
    "cache-control",
    "vary",
    "last-modified",
    "etag",
}
NEVER_CACHED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/_util/", "/static/", "/media/")


def _cookie_names() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, "messages")


def request_is_cacheable(request: HttpRequest) -> bool:
    if not settings.POLOSA_PAGE_CACHE_ENABLED:
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(NEVER_CACHED_PREFIXES):
        return False
    if any(name in request.COOKIES for name in _cookie_names()):
        return False
    return not request.META.get("HTTP_AUTHORIZATION")


def entry_key(request: HttpRequest) -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    params = sorted(
        (k, v)
        for k, v in parse_qsl(request.META.get("QUERY_STRING", ""), keep_blank_values=True)
        if not k.startswith(TRACKING_PARAMS)
    )
    lang = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    raw = f"{request.scheme}://{host}{request.path}?{urlencode(params)}|{lang}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def _varies_on_cookie(response: HttpResponse) -> bool:
    vary = response.get("Vary", "")
    return any(v.strip().lower() == "cookie" for v in cc_delim_re.split(vary))


def response_is_cacheable(request: HttpRequest, response: HttpResponse, recorder: Recorder) -> bool:
    if response.status_code != 200 or response.streaming:
        return False
    if not recorder.cacheable or not recorder.versions:
        return False
    if response.cookies or _varies_on_cookie(response):
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-store", "no-cache")):
        return False
    if getattr(request, "is_preview", False):
        return False
    if shows_messages(request):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def shows_messages(request: HttpRequest) -> bool:
    """Whether the response carries a flash message (one reader's, never everyone's)."""
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    return bool(getattr(storage, "_queued_messages", None) or getattr(storage, "_loaded_data", None))


def cache_control(seconds: int) -> str:
    """Browsers revalidate (cheap: a 304 from the page cache); a CDN keeps the page `s-maxage`
    seconds, serves it stale while it refetches, and keeps serving it when the origin fails."""
    browser = min(settings.POLOSA_HTTP_MAX_AGE, seconds)
    cdn = min(settings.POLOSA_CDN_MAX_AGE, seconds)
    return (
        f"public, max-age={browser}, s-maxage={cdn}, "
        f"stale-while-revalidate={settings.POLOSA_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.POLOSA_STALE_IF_ERROR}"
    )


def content_etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def seconds_to_keep(recorder: Recorder, now: datetime) -> int:
    """How long an entry may live: the configured time, cut at the next local midnight (feed times
    read "Вчера" after it) and at any expiry a view declared."""
    seconds = settings.POLOSA_PAGE_CACHE_SECONDS
    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    seconds = min(seconds, int((midnight - local).total_seconds()))
    if recorder.expires_at is not None:
        seconds = min(seconds, int((recorder.expires_at - now).total_seconds()))
    return seconds


def _response_from_entry(request: HttpRequest, entry: dict) -> HttpResponse:
    response = HttpResponse(b"" if request.method == "HEAD" else entry["content"], status=entry["status"])
    for name, value in entry["headers"]:
        response[name] = value
    if request.method == "HEAD":
        response["Content-Length"] = str(len(entry["content"]))
    response = get_conditional_response(
        request, etag=response.get("ETag"), last_modified=entry.get("last_modified"), response=response
    )
    response[CACHE_HEADER] = "hit"
    return response


class PageCacheMiddleware:
    """Works under WSGI and ASGI. Under ASGI a request the cache does not concern (an event stream, a
    POST, an editor) goes straight to the view without a thread hop."""

    sync_capable = True
    async_capable = True

    def __init__(self, get_response):
        self.get_response = get_response
        self.is_async = iscoroutinefunction(get_response)
        if self.is_async:
            markcoroutinefunction(self)

    def __call__(self, request: HttpRequest):
        if self.is_async:
            return self.__acall__(request)
        key = entry_key(request) if request_is_cacheable(request) else None
        if key is None:
            return self.not_concerned(request, self.get_response(request))
        hit, entry = self.read(request, key)
        if hit is not None:
            return hit
        lock = self.acquire(key, entry)
        if lock is False:
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline:
                time.sleep(WAIT_STEP)
                hit, waiting = self.check_waiting(request, key)
                if hit is not None or not waiting:
                    break
            if hit is not None:
                return hit
            lock = None
        try:
            with recording() as recorder:
                response = self.get_response(request)
            return self.finish(request, key, response, recorder)
        finally:
            self.release(key, lock)

    async def __acall__(self, request: HttpRequest):
        key = entry_key(request) if request_is_cacheable(request) else None
        if key is None:
            return self.not_concerned(request, await self.get_response(request))
        # One thread hop for the whole hit: the entry and its versions are read together.
        hit, entry = await sync_to_async(self.read)(request, key)
        if hit is not None:
            return hit
        lock = await sync_to_async(self.acquire)(key, entry)
        if lock is False:
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline:
                await asyncio.sleep(WAIT_STEP)
                hit, waiting = await sync_to_async(self.check_waiting)(request, key)
                if hit is not None or not waiting:
                    break
            if hit is not None:
                return hit
            lock = None
        try:
            with recording() as recorder:
                response = await self.get_response(request)
            return await sync_to_async(self.finish)(request, key, response, recorder)
        finally:
            await sync_to_async(self.release)(key, lock)

    # --- Reading ---

    def serve(self, request: HttpRequest, entry: dict | None) -> HttpResponse | None:
        if entry is not None and entry.get("content") is not None and still_valid(entry["versions"]):
            return _response_from_entry(request, entry)
        return None

    def read(self, request: HttpRequest, key: str) -> tuple[HttpResponse | None, dict | None]:
        entry = cache.get(key)
        return self.serve(request, entry), entry

    def lookup(self, request: HttpRequest, key: str) -> HttpResponse | None:
        return self.serve(request, cache.get(key))

    # --- The stampede guard ---

    def acquire(self, key: str, entry: dict | None) -> str | bool | None:
        """A lock token when this request should render; False when another request is rendering;
        None when no lock is needed (the page was found uncacheable a moment ago)."""
        if entry is not None and entry.get("uncacheable"):
            return None
        token = secrets.token_hex(8)
        return token if cache.add(LOCK_PREFIX + key, token, LOCK_SECONDS) else False

    def check_waiting(self, request: HttpRequest, key: str) -> tuple[HttpResponse | None, bool]:
        """While another request renders: its stored page, or whether it is still rendering."""
        found = cache.get_many([key, LOCK_PREFIX + key])
        hit = self.serve(request, found.get(key))
        return hit, LOCK_PREFIX + key in found

    def release(self, key: str, token: str | bool | None) -> None:
        if token and cache.get(LOCK_PREFIX + key) == token:
            cache.delete(LOCK_PREFIX + key)

    # --- Writing ---

    def not_concerned(self, request: HttpRequest, response: HttpResponse) -> HttpResponse:
        """A response the page cache does not store: an editor's page must not land in a CDN either."""
        if (
            request.method in ("GET", "HEAD")
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and "Cache-Control" not in response
            and not request.path_info.startswith(NEVER_CACHED_PREFIXES)
        ):
            response["Cache-Control"] = "private, no-cache"
        return response

    def finish(
        self, request: HttpRequest, key: str, response: HttpResponse, recorder: Recorder
    ) -> HttpResponse:
        if response_is_cacheable(request, response, recorder):
            now = timezone.now()
            seconds = seconds_to_keep(recorder, now)
            if seconds > 0:
                if "Cache-Control" not in response:
                    response["Cache-Control"] = cache_control(seconds)
                response["ETag"] = content_etag(response.content)
                last_modified = int(now.timestamp())
                response["Last-Modified"] = http_date(last_modified)
                self.store(key, response, recorder, seconds, last_modified)
                response[CACHE_HEADER] = "miss"
                conditional = get_conditional_response(
                    request, etag=response["ETag"], last_modified=last_modified, response=response
                )
                if conditional is not response:
                    conditional[CACHE_HEADER] = "miss"
                return conditional
        elif response.status_code == 200 and not getattr(response, "streaming", False):
            if not recorder.cacheable and "Cache-Control" not in response:
                # Personal or volatile: no shared cache on the way may keep it.
                response["Cache-Control"] = "private, no-cache"
            cache.set(key, {"uncacheable": True, "versions": {}}, UNCACHEABLE_SECONDS)
        return response

    def store(
        self, key: str, response: HttpResponse, recorder: Recorder, seconds: int, last_modified: int = 0
    ) -> None:
        entry = {
            "status": response.status_code,
            "content": response.content,
            "headers": [(k, v) for k, v in response.items() if k.lower() in STORED_HEADERS],
            "versions": recorder.versions,
            "last_modified": last_modified or int(time.time()),
        }
        cache.set(key, entry, seconds)
