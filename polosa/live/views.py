"""The live-blog event stream (server-sent events) and its polling fallback.

Both live under /_util/, which the page cache never stores; they also say so with do_not_cache.
"""

from __future__ import annotations

import asyncio
import logging

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.views.decorators.http import require_GET

from polosa.caching import do_not_cache

from . import events
from .channel import ChannelClosed, get_channel
from .models import EventKind

logger = logging.getLogger(__name__)

RETRY_MS = 3000


def _last_event_id(request) -> int | None:
    """Where the reader stopped: the Last-Event-ID header of a reconnect, else ?after= of the page."""
    for raw in (request.headers.get("Last-Event-ID"), request.GET.get("after")):
        if raw is not None and raw.strip().isdigit() and len(raw.strip()) < 19:
            return int(raw.strip())
    return None


def _state_and_changes(page_id: int, after: int | None):
    """Runs in a thread: the blog's state and, when the reader is behind, what it missed."""
    try:
        state = events.load_state(page_id)
        changes = []
        if state is not None and after is not None and after < state.latest:
            changes = events.changes_since(page_id, after)
        return state, changes
    finally:
        # A stream stays open for minutes; it must not hold a database connection meanwhile.
        if not connection.in_atomic_block:
            connection.close()


def _changes(page_id: int, after: int) -> list[dict]:
    try:
        return events.changes_since(page_id, after)
    finally:
        if not connection.in_atomic_block:
            connection.close()


async def stream(subscription, page_id: int, after: int | None, changes: list[dict]):
    """The frames of one stream: the missed changes, then live events and heartbeats until the end."""
    heartbeat = settings.POLOSA_LIVE_HEARTBEAT_SECONDS
    loop = asyncio.get_running_loop()
    deadline = loop.time() + settings.POLOSA_LIVE_STREAM_SECONDS
    # Ids up to `floor` the reader had before it connected; `sent` is what this stream sent since.
    # Events of one blog commit in id order, but two processes may publish them out of order, so a
    # late lower id is still sent if it is new to this reader.
    floor = after or 0
    sent: set[int] = set()
    yield f"retry: {RETRY_MS}\n: {' ' * 2048}\n\n"  # the padding flushes buffering proxies
    for data in changes:
        sent.add(data["id"])
        yield events.frame(data["id"], data["kind"], data)
        if data["kind"] == EventKind.CLOSED:
            return
    while True:
        remaining = deadline - loop.time()
        if remaining <= 0:
            return  # the browser reconnects with Last-Event-ID after `retry`
        try:
            message = await subscription.get(min(heartbeat, remaining))
        except ChannelClosed:
            return
        if message is None:
            # Quiet for a heartbeat: catch up from the log if the blog moved on without us (a save in
            # another process without Redis, a pub/sub message lost while Redis reconnected).
            state = await sync_to_async(events.load_state)(page_id)
            if state is None:
                return
            newest = max(sent, default=floor)
            if state.latest > newest:
                for data in await sync_to_async(_changes)(page_id, newest):
                    if data["id"] not in sent:
                        sent.add(data["id"])
                        yield events.frame(data["id"], data["kind"], data)
                        if data["kind"] == EventKind.CLOSED:
                            return
            yield ": ping\n\n"
            continue
        head, _, text = message.partition("\n")
        event_id = int(head)
        if event_id <= floor or event_id in sent:
            continue  # the reader has it already (the replay sent it)
        sent.add(event_id)
        yield text
        if "\nevent: closed\n" in text:
            return


async def _subscribed_stream(page_id: int, after: int | None):
    async with get_channel().subscribe(events.topic(page_id)) as subscription:
        # Subscribed first, then read what was missed: an event committed in between arrives twice
        # at most, and the id check in `stream` drops the second copy.
        state, changes = await sync_to_async(_state_and_changes)(page_id, after)
        if state is None:
            return
        async for chunk in stream(subscription, page_id, after, changes):
            yield chunk


@require_GET
async def blog_events(request, page_id: int):
    """The event stream of an open live blog: replay after Last-Event-ID, then live events."""
    do_not_cache("event stream")
    after = _last_event_id(request)
    state = await sync_to_async(events.load_state)(page_id)
    if state is None:
        raise Http404
    if state.closed and (after is None or after >= state.latest):
        # 204 tells EventSource to stop reconnecting: nothing will change any more.
        return HttpResponse(status=204)
    response = StreamingHttpResponse(_subscribed_stream(page_id, after), content_type="text/event-stream")
    response["Cache-Control"] = "no-cache, no-store"
    response["X-Accel-Buffering"] = "no"  # nginx: pass events on at once
    return response


@require_GET
def blog_updates(request, page_id: int):
    """Polling fallback: ``?after=<event id>``; 304 without touching the database while nothing changed."""
    do_not_cache("live-blog updates")
    after = _last_event_id(request) or 0
    state = events.load_state(page_id)
    if state is None:
        raise Http404
    etag = f'"live-{page_id}-{state.latest}"'
    if after >= state.latest or request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        changes = events.changes_since(page_id, after)
        response = JsonResponse(
            {"last": max([after, *(c["id"] for c in changes)]), "closed": state.closed, "events": changes},
            json_dumps_params={"ensure_ascii": False},
        )
    response["ETag"] = etag
    response["Cache-Control"] = "no-cache"
    return response
