"""Whole-page cache for anonymous readers.

Sits high in the middleware stack so a hit is answered before sessions, authentication or the
database are touched. Editors (anyone with a session cookie), previews, non-GET requests, responses
that set cookies or vary on them, and views that did not declare their dependencies are never stored.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime, timedelta
from urllib.parse import parse_qsl, urlencode

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re

from .dependencies import Recorder, recording, still_valid

logger = logging.getLogger(__name__)

ENTRY_PREFIX = "pagecache:"
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
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


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
            return self.get_response(request)
        hit = self.lookup(request, key)
        if hit is not None:
            return hit
        with recording() as recorder:
            response = self.get_response(request)
        return self.finish(request, key, response, recorder)

    async def __acall__(self, request: HttpRequest):
        key = entry_key(request) if request_is_cacheable(request) else None
        if key is None:
            return await self.get_response(request)
        hit = await sync_to_async(self.lookup)(request, key)
        if hit is not None:
            return hit
        with recording() as recorder:
            response = await self.get_response(request)
        return await sync_to_async(self.finish)(request, key, response, recorder)

    def lookup(self, request: HttpRequest, key: str) -> HttpResponse | None:
        entry = cache.get(key)
        if entry is not None and still_valid(entry["versions"]):
            return _response_from_entry(request, entry)
        return None

    def finish(
        self, request: HttpRequest, key: str, response: HttpResponse, recorder: Recorder
    ) -> HttpResponse:
        if response_is_cacheable(request, response, recorder):
            seconds = seconds_to_keep(recorder, timezone.now())
            if seconds > 0:
                self.store(key, response, recorder, seconds)
                response[CACHE_HEADER] = "miss"
        return response

    def store(self, key: str, response: HttpResponse, recorder: Recorder, seconds: int) -> None:
        entry = {
            "status": response.status_code,
            "content": response.content,
            "headers": [(k, v) for k, v in response.items() if k.lower() in STORED_HEADERS],
            "versions": recorder.versions,
        }
        cache.set(key, entry, seconds)
