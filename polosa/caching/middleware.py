"""Whole-page cache for anonymous readers: misses, and hits where the ASGI hit path is not in front.

First in the middleware stack, so a hit is answered before sessions, authentication or the database
are touched, and so a stored page keeps every header the render sent, the security headers included.
Editors (anyone with a session cookie), previews, non-GET requests, responses that set cookies or vary
on them, pages that show messages, and views that did not declare their dependencies are never stored.

A page is rendered as a shell (`polosa.caching.includes`): the shared pieces beside it are holes,
filled here from their own fragments, or sent as ``<esi:include>`` to an ESI edge. So a publish that
changes the news feed re-renders one fragment, not every page that shows it.

HTTP caching: stored pages carry an ``ETag`` (a hash of the bytes) and ``Last-Modified``, so a
reader's conditional GET is answered 304 without rendering, and a ``Cache-Control`` with
``s-maxage``, ``stale-while-revalidate`` and ``stale-if-error`` for a CDN, and the dependency keys in
the edge's header (``xkey``) so the edge can be purged by key.

Stampede guard: when many readers miss the same page at once (it was just invalidated by a publish),
one of them renders it under a short lock in the shared cache and the others wait for its entry.

Faults: when the database is down, a reader gets the stored page even though it is stale
(``X-Polosa-Cache: stale``), or the Russian "temporarily unavailable" page (503) when there is none.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from asgiref.sync import iscoroutinefunction, markcoroutinefunction, sync_to_async
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import DisallowedHost
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re

from polosa.core import errors

from . import includes, pages
from .dependencies import (
    Recorder,
    read_clock,
    read_versions,
    recording,
    replay_missed_invalidations,
    shared_cache_available,
)
from .pages import CACHE_HEADER, NEVER_CACHED_PREFIXES, TRACKING_PARAMS, cache_control, content_etag

logger = logging.getLogger(__name__)

__all__ = [
    "CACHE_HEADER",
    "NEVER_CACHED_PREFIXES",
    "TRACKING_PARAMS",
    "PageCacheMiddleware",
    "cache_control",
    "content_etag",
    "entry_key",
    "request_is_cacheable",
]

LOCK_PREFIX = "pagecache-lock:"
# A render holding the lock longer than this is presumed dead; the next reader renders instead.
LOCK_SECONDS = 10
# How long readers wait for another reader's render before rendering themselves.
WAIT_SECONDS = 5.0
WAIT_STEP = 0.02
# A page found uncacheable is remembered briefly, so its readers do not queue behind the lock.
UNCACHEABLE_SECONDS = 10
# Set on a response by the error views when the database could not be reached.
DATABASE_DOWN_ATTRIBUTE = "polosa_database_unavailable"


def request_is_cacheable(request: HttpRequest) -> bool:
    if not settings.POLOSA_PAGE_CACHE_ENABLED:
        return False
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path_info.startswith(NEVER_CACHED_PREFIXES):
        return False
    if any(name in request.COOKIES for name in pages.cookie_names()):
        return False
    return not request.META.get("HTTP_AUTHORIZATION")


def entry_key(request: HttpRequest) -> str | None:
    try:
        host = request.get_host()
    except DisallowedHost:
        return None
    lang = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    return pages.entry_key(request.scheme, host, request.path, request.META.get("QUERY_STRING", ""), lang)


def include_mode(request: HttpRequest) -> str | None:
    """How the edge pieces leave for this request (an ESI edge's claim is trusted only when
    POLOSA_EDGE_INCLUDES says one is in front)."""
    return pages.include_mode("ESI/1.0" in request.META.get("HTTP_SURROGATE_CAPABILITY", ""))


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
    cache_control_value = response.get("Cache-Control", "").lower()
    if any(word in cache_control_value for word in ("private", "no-store", "no-cache")):
        return False
    if getattr(request, "is_preview", False):
        return False
    if shows_messages(request):
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def shows_messages(request: HttpRequest) -> bool:
    """Whether the response carries a flash message (one reader's, never everyone's).

    Django's message storage has no public "anything pending?" that leaves the session untouched
    (len() loads it, and an accessed session varies the response on its cookie); its two private
    attributes are read here only, and test_http_caching's message tests fail if they go away."""
    storage = getattr(request, "_messages", None)
    if storage is None:
        return False
    return bool(getattr(storage, "_queued_messages", None) or getattr(storage, "_loaded_data", None))


def seconds_to_keep(recorder: Recorder, now: datetime) -> int:
    """How long an entry may live: the configured time, cut at the next local midnight (dates read
    "Вчера" after it) and at any expiry a view declared."""
    seconds = settings.POLOSA_PAGE_CACHE_SECONDS
    local = timezone.localtime(now)
    midnight = (local + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    seconds = min(seconds, int((midnight - local).total_seconds()))
    if recorder.expires_at is not None:
        seconds = min(seconds, int((recorder.expires_at - now).total_seconds()))
    return seconds


def read_found(key: str, skip: frozenset[str] = frozenset()) -> pages.Found:
    """Drive the shared lookup with synchronous reads."""
    steps = pages.lookup_steps(key, pages.now(), skip)
    answer = None
    try:
        while True:
            kind, names = steps.send(answer)
            if kind == "get":
                answer = cache.get_many(names)
            elif kind == "clock":
                answer = read_clock()
            else:
                answer = read_versions(names)
    except StopIteration as done:
        return done.value


def fill_pieces(found: pages.Found, render_stale: bool) -> list[tuple[includes.Hole, dict]] | None:
    """Each hole of a found page with its fragment: the stored one where current; else, with
    `render_stale`, through the fragment cache (rendering what is stale); else the stored one however
    old (the database is down); else None."""
    filled = []
    for hole, fragment in found.pieces():
        if render_stale and not (found.fresh and fragment is not None):
            try:
                fragment = includes.hole_fragment(hole)
            except DatabaseError as error:
                if fragment is None or not errors.database_unavailable(error):
                    raise
                logger.warning("database unavailable: served the stored %s piece", hole.name)
        if fragment is None:
            return None
        filled.append((hole, fragment))
    return filled


def http_response(request: HttpRequest, delivery: pages.Delivery, state: str) -> HttpResponse:
    status = pages.conditional_status(
        request.method,
        request.META.get("HTTP_IF_NONE_MATCH"),
        request.META.get("HTTP_IF_MODIFIED_SINCE"),
        delivery,
    )
    status, headers, body = pages.response_parts(request.method, status, delivery, state)
    response = HttpResponse(body, status=status)
    for name, value in headers:
        response[name] = value
    return response


def serve_found(
    request: HttpRequest, found: pages.Found, state: str, render_stale: bool
) -> HttpResponse | None:
    filled = fill_pieces(found, render_stale)
    if filled is None:
        return None
    delivery = pages.deliver(found.entry, filled, include_mode(request), pages.now())
    return http_response(request, delivery, state)


def changed_meanwhile(recorder: Recorder) -> bool:
    """Whether a key the render recorded was invalidated before it finished (one read per miss)."""
    current = read_versions(recorder.versions)
    return current is not None and any(current.get(k) != v for k, v in recorder.versions.items())


def database_unavailable(response: HttpResponse) -> bool:
    return bool(getattr(response, DATABASE_DOWN_ATTRIBUTE, False))


# What `PageCacheMiddleware.steps` asks its caller to do.
RENDER = object()  # call the view: the rest of the middleware chain


@dataclass(frozen=True)
class Call:
    function: Callable
    args: tuple
    thread_sensitive: bool = True


@dataclass(frozen=True)
class Wait:
    seconds: float


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
        steps = self.steps(request)
        step = next(steps)
        while True:
            try:
                if step is RENDER:
                    result = self.get_response(request)
                elif isinstance(step, Wait):
                    result = time.sleep(step.seconds)
                else:
                    result = step.function(*step.args)
            except BaseException as error:
                # Raised where the steps asked for it, so their lock release runs as it would inline.
                advance = functools.partial(steps.throw, error)
            else:
                advance = functools.partial(steps.send, result)
            try:
                step = advance()
            except StopIteration as done:
                return done.value

    async def __acall__(self, request: HttpRequest):
        steps = self.steps(request)
        step = next(steps)
        while True:
            try:
                if step is RENDER:
                    result = await self.get_response(request)
                elif isinstance(step, Wait):
                    result = await asyncio.sleep(step.seconds)
                else:
                    call = sync_to_async(step.function, thread_sensitive=step.thread_sensitive)
                    result = await call(*step.args)
            except BaseException as error:
                advance = functools.partial(steps.throw, error)
            else:
                advance = functools.partial(steps.send, result)
            try:
                step = advance()
            except StopIteration as done:
                return done.value

    def steps(self, request: HttpRequest):
        """The request's way through the cache, once for both entry points: it yields each thing to
        be done (a cache or database call, a wait, the view) and the sync or async caller does it,
        sending the result back. Only the caller knows whether that means a thread hop."""
        key = entry_key(request) if request_is_cacheable(request) else None
        if key is None:
            response = yield RENDER
            return self.not_concerned(request, response)
        answer, lock, found = yield Call(self.begin, (request, key))
        if answer is not None:
            return answer
        if lock is False:
            deadline = time.monotonic() + WAIT_SECONDS
            while time.monotonic() < deadline:
                yield Wait(WAIT_STEP)
                # Off the request thread: waiting readers must not queue behind each other there.
                answer, waiting = yield Call(self.check_waiting, (request, key), thread_sensitive=False)
                if answer is not None or not waiting:
                    break
            if answer is not None:
                return answer
            lock = None
        try:
            with recording(leave_holes=True) as recorder:
                response = yield RENDER
            return (yield Call(self.finish, (request, key, response, recorder, found)))
        finally:
            yield Call(self.release, (key, lock))

    # --- Reading ---

    def begin(
        self, request: HttpRequest, key: str
    ) -> tuple[HttpResponse | None, str | bool | None, pages.Found]:
        """A hit, or the lock to render under (see `acquire`) and what was found for stale-if-error."""
        replay_missed_invalidations()
        found = read_found(key, pages.skipped_pieces(include_mode(request)))
        if pages.is_page_entry(found.entry):
            if found.fresh:
                return serve_found(request, found, "hit", render_stale=False), None, found
            if found.shell_fresh:
                # Only shared pieces changed: render those, not the page.
                return serve_found(request, found, "hit", render_stale=True), None, found
            if found.unchecked:
                # The shared cache is down: this process's copy beats rendering for every reader.
                stale = serve_found(request, found, "stale", render_stale=False)
                if stale is not None:
                    return stale, None, found
        return None, self.acquire(key, found.entry), found

    # --- The stampede guard ---

    def acquire(self, key: str, entry: dict | None) -> str | bool | None:
        """A lock token when this request should render; False when another request is rendering;
        None when no lock is needed (the page was found uncacheable a moment ago, or the shared
        cache is down and cannot hold a lock)."""
        if isinstance(entry, dict) and entry.get("uncacheable"):
            return None
        token = secrets.token_hex(8)
        if cache.add(LOCK_PREFIX + key, token, LOCK_SECONDS):
            return token
        return False if shared_cache_available() else None

    def check_waiting(self, request: HttpRequest, key: str) -> tuple[HttpResponse | None, bool]:
        """While another request renders: its stored page, or whether it is still rendering."""
        rendering = cache.get(LOCK_PREFIX + key) is not None
        found = read_found(key, pages.skipped_pieces(include_mode(request)))
        if found.fresh:
            return serve_found(request, found, "hit", render_stale=False), rendering
        return None, rendering

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
        self, request: HttpRequest, key: str, response: HttpResponse, recorder: Recorder, found: pages.Found
    ) -> HttpResponse:
        if database_unavailable(response) and pages.is_page_entry(found.entry):
            stale = serve_found(request, found, "stale", render_stale=False)
            if stale is not None:
                logger.warning("database unavailable: served a stale copy of %s", request.path)
                return stale
        if response_is_cacheable(request, response, recorder):
            now = timezone.now()
            seconds = seconds_to_keep(recorder, now)
            if seconds > 0 and changed_meanwhile(recorder):
                # A change committed while this rendered, and its purge has already passed the
                # edge: this copy must not be kept there (nor here) for the full s-maxage.
                response["Cache-Control"] = "public, max-age=0, s-maxage=0"
                return self.filled(response)
            if seconds > 0:
                own = response.get("Cache-Control")
                entry = pages.build_entry(
                    response.status_code,
                    response.content,
                    response.items(),
                    recorder.versions,
                    seconds,
                    own,
                    now.timestamp(),
                )
                # Not into this process's memory yet: a page enters it when it is read again, so
                # one-off addresses (cache-busting queries, crawlers) never fill it.
                cache.set(key, entry, seconds)
                skipped = pages.skipped_pieces(include_mode(request))
                stored = pages.Found(entry, shell_fresh=True, skipped=skipped)
                served = serve_found(request, stored, "miss", render_stale=True)
                if served is not None:
                    return served
        elif response.status_code == 200 and not getattr(response, "streaming", False):
            if not recorder.cacheable and "Cache-Control" not in response:
                # Personal or volatile: no shared cache on the way may keep it.
                response["Cache-Control"] = "private, no-cache"
            cache.set(key, {"uncacheable": True, "versions": {}}, UNCACHEABLE_SECONDS)
        return self.filled(response)

    def filled(self, response: HttpResponse) -> HttpResponse:
        """A response not stored (a 404, an uncacheable page) with its holes filled in place."""
        if getattr(response, "streaming", False) or b"<!--polosa-include:" not in response.content:
            return response
        parts = includes.split_shell(response.content)
        pieces = {hole: includes.render_hole(hole) for hole in includes.holes(parts)}
        response.content = includes.fill(parts, pieces)
        if response.has_header("Content-Length"):
            response["Content-Length"] = str(len(response.content))
        return response
