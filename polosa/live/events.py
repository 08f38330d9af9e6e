"""Live-blog events: recorded in the database, published to the channel, replayed on reconnect.

A change to an entry writes a `LiveBlogEvent` in the same transaction; once it commits, the entry is
rendered ONCE and the ready-made server-sent-events frame is published, so an open stream only copies
bytes. A blog's state (its newest event id, whether it is open) is kept in the cache so that a
reader's (re)connect and the polling fallback cost no database query while nothing changed.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string

from .channel import get_channel
from .models import EventKind, LiveBlogEntry, LiveBlogEvent, LiveBlogPage

STATE_TIMEOUT = 24 * 3600


def topic(page_id: int) -> str:
    return f"blog:{page_id}"


def _state_key(page_id: int) -> str:
    return f"live:blog-state:{page_id}"


@dataclass(frozen=True)
class BlogState:
    latest: int  # the newest event id, 0 when none
    closed: bool


def load_state(page_id: int) -> BlogState | None:
    """The blog's state, or None when no live blog with that id is published."""
    found = cache.get(_state_key(page_id))
    if found is not None:
        return BlogState(*found) if found else None
    row = LiveBlogPage.objects.live().filter(pk=page_id).values_list("is_closed", flat=True).first()
    if row is None:
        cache.set(_state_key(page_id), (), 60)
        return None
    latest = (
        LiveBlogEvent.objects.filter(page_id=page_id).order_by("-pk").values_list("pk", flat=True).first()
        or 0
    )
    state = BlogState(latest, row)
    cache.set(_state_key(page_id), (state.latest, state.closed), STATE_TIMEOUT)
    return state


def forget_state(page_id: int) -> None:
    cache.delete(_state_key(page_id))


def render_entry(entry: LiveBlogEntry) -> str:
    return render_to_string("live/entry.html", {"entry": entry})


def frame(event_id: int, kind: str, data: dict) -> str:
    """One server-sent-events message."""
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return f"id: {event_id}\nevent: {kind}\ndata: {payload}\n\n"


def event_data(event: LiveBlogEvent, entry: LiveBlogEntry | None) -> dict:
    data = {"id": event.pk, "kind": event.kind, "entry": event.entry_id}
    if event.kind == EventKind.ENTRY:
        if entry is None:  # changed, then deleted before this was read: the delete follows
            data["kind"] = EventKind.DELETE
        else:
            data.update(
                html=render_entry(entry),
                pinned=entry.is_pinned,
                posted=entry.posted_at.isoformat(),
            )
    return data


def record(page_id: int, kind: str, entry_id: int | None = None) -> LiveBlogEvent:
    """Log a change and publish it to open streams once the transaction commits.

    The blog's row is locked first, so two editors' saves to one blog commit their events in id
    order: a reader that has event N never misses an N-1 committed later.
    """
    with transaction.atomic():
        LiveBlogPage.objects.select_for_update().filter(pk=page_id).values_list("pk", flat=True).first()
        event = LiveBlogEvent.objects.create(page_id=page_id, kind=kind, entry_id=entry_id)
    transaction.on_commit(lambda: publish(event))
    return event


def publish(event: LiveBlogEvent) -> None:
    entry = None
    if event.kind == EventKind.ENTRY:
        entry = LiveBlogEntry.objects.for_display().filter(pk=event.entry_id).first()
    data = event_data(event, entry)
    forget_state(event.page_id)
    # The message carries its id first, so a stream can drop what it already sent without parsing.
    get_channel().publish(topic(event.page_id), f"{event.pk}\n{frame(event.pk, data['kind'], data)}")


def changes_since(page_id: int, after: int, limit: int = 500) -> list[dict]:
    """What changed after event `after`: each entry once, in its latest state (no duplicates)."""
    events = list(
        LiveBlogEvent.objects.filter(page_id=page_id, pk__gt=after)
        .order_by("pk")
        .only("pk", "kind", "entry_id", "page_id")[:limit]
    )
    last_per_subject: dict = {}
    for event in events:
        subject = event.entry_id if event.kind != EventKind.CLOSED else "closed"
        last_per_subject.pop(subject, None)  # re-insert: dict order follows the latest change
        last_per_subject[subject] = event
    wanted = [e.entry_id for e in last_per_subject.values() if e.kind == EventKind.ENTRY]
    entries = LiveBlogEntry.objects.for_display().in_bulk(wanted)
    return [event_data(e, entries.get(e.entry_id)) for e in last_per_subject.values()]
