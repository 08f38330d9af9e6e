"""The event stream: live delivery, edits and deletes, reconnect with Last-Event-ID, heartbeat, end.

The stream view runs under Django's AsyncClient inside ``async_to_sync``: the view's database work
(``sync_to_async``) comes back to the test's thread, so the ordinary test transaction is used.
"""

import asyncio
import json

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.test import AsyncClient

from polosa.caching import CACHE_HEADER
from polosa.live import channel as live_channel
from polosa.live import events
from polosa.live.models import LiveBlogEvent

from .factories import LiveBlogEntryFactory, LiveBlogPageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_process_channel():
    """A fresh in-process channel per test (the Redis channel has its own tests)."""
    channel = live_channel.InProcessChannel()
    live_channel.set_channel(channel)
    yield channel
    live_channel.set_channel(None)


@pytest.fixture
def blog(home):
    return LiveBlogPageFactory(parent=home)


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run `fn` as if its transaction committed: on-commit callbacks (the publish) run at once."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


def parse(chunk: bytes) -> list[dict]:
    """The events in a chunk; comments (heartbeats, padding) come back as {"comment": True}."""
    found = []
    for block in chunk.decode().split("\n\n"):
        if not block.strip():
            continue
        fields = {}
        for line in block.split("\n"):
            name, _, value = line.partition(":")
            fields.setdefault(name or "comment", value.strip())
        if "data" in fields:
            found.append({"id": int(fields["id"]), "event": fields["event"], **json.loads(fields["data"])})
        elif "comment" in fields:
            found.append({"comment": True})
    return found


class Reader:
    """One open stream, read frame by frame with a time limit."""

    def __init__(self, response):
        self.response = response
        self.chunks = aiter(response.streaming_content)
        self.pending: list[dict] = []

    async def next(self, timeout=2.0, comments=False) -> dict:
        while True:
            while self.pending:
                item = self.pending.pop(0)
                if comments or "comment" not in item:
                    return item
            chunk = await asyncio.wait_for(anext(self.chunks), timeout)
            self.pending.extend(parse(chunk))

    async def ended(self, timeout=2.0) -> bool:
        try:
            while True:
                await asyncio.wait_for(anext(self.chunks), timeout)
        except StopAsyncIteration:
            return True

    async def close(self):
        await self.chunks.aclose()


async def open_stream(blog, after=None, last_event_id=None):
    headers = {"Last-Event-ID": str(last_event_id)} if last_event_id is not None else {}
    url = f"/_util/live/{blog.pk}/events/" + (f"?after={after}" if after is not None else "")
    response = await AsyncClient().get(url, headers=headers)
    return response


def latest_event_id():
    return LiveBlogEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def test_new_entry_reaches_an_open_stream(blog, commit):
    commit(LiveBlogEntryFactory, page=blog)

    async def scenario():
        response = await open_stream(blog, after=await sync_to_async(latest_event_id)())
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/event-stream")
        assert "no-store" in response["Cache-Control"]
        assert CACHE_HEADER not in response  # the page cache never stores a stream
        reader = Reader(response)
        entry = await sync_to_async(commit)(LiveBlogEntryFactory, page=blog, body="<p>Срочное сообщение</p>")
        got = await reader.next()
        await reader.close()
        return entry, got

    entry, got = async_to_sync(scenario)()
    assert got["event"] == "entry"
    assert got["entry"] == entry.pk
    assert f'id="entry-{entry.pk}"' in got["html"]
    assert "Срочное сообщение" in got["html"]
    assert got["id"] == latest_event_id()


def test_edit_and_delete_reach_an_open_stream(blog, commit):
    entry = commit(LiveBlogEntryFactory, page=blog, body="<p>Первая версия</p>")
    entry_id = entry.pk

    async def scenario():
        reader = Reader(await open_stream(blog, after=await sync_to_async(latest_event_id)()))

        def edit():
            entry.body = "<p>Исправленная версия</p>"
            entry.is_pinned = True
            entry.save()

        await sync_to_async(commit)(edit)
        edited = await reader.next()
        await sync_to_async(commit)(entry.delete)
        deleted = await reader.next()
        await reader.close()
        return edited, deleted

    edited, deleted = async_to_sync(scenario)()
    assert (edited["event"], edited["entry"], edited["pinned"]) == ("entry", entry_id, True)
    assert "Исправленная версия" in edited["html"]
    assert (deleted["event"], deleted["entry"]) == ("delete", entry_id)
    assert "html" not in deleted


def test_reconnect_with_last_event_id_replays_what_was_missed_once(blog, commit):
    first = commit(LiveBlogEntryFactory, page=blog, body="<p>Раз</p>")
    seen = latest_event_id()
    second = commit(LiveBlogEntryFactory, page=blog, body="<p>Два</p>")
    third = commit(LiveBlogEntryFactory, page=blog, body="<p>Три</p>")
    second_id = second.pk
    first.body = "<p>Раз, исправлено</p>"
    commit(first.save)
    commit(second.delete)
    untouched = latest_event_id()

    async def scenario():
        # The header of a reconnect wins over the page's ?after=.
        reader = Reader(await open_stream(blog, after=0, last_event_id=seen))
        replay = [await reader.next() for _ in range(3)]
        fresh = await sync_to_async(commit)(LiveBlogEntryFactory, page=blog, body="<p>Четыре</p>")
        live = await reader.next()
        await reader.close()
        return replay, fresh, live

    replay, fresh, live = async_to_sync(scenario)()
    assert [(r["event"], r["entry"]) for r in replay] == [
        ("entry", third.pk),
        ("entry", first.pk),
        ("delete", second_id),
    ]
    assert "Раз, исправлено" in replay[1]["html"]
    assert replay[-1]["id"] == untouched
    assert (live["entry"], live["id"]) == (fresh.pk, latest_event_id())


def test_an_event_already_sent_is_not_sent_again(blog, commit):
    commit(LiveBlogEntryFactory, page=blog)
    replayed_event = LiveBlogEvent.objects.latest("pk")

    async def scenario():
        reader = Reader(await open_stream(blog, last_event_id=replayed_event.pk - 1))
        replayed = await reader.next()
        # The same event published again (it was in flight while the stream replayed) is dropped.
        await sync_to_async(events.publish)(replayed_event)
        fresh = await sync_to_async(commit)(LiveBlogEntryFactory, page=blog)
        following = await reader.next()
        await reader.close()
        return replayed, fresh, following

    replayed, fresh, following = async_to_sync(scenario)()
    assert replayed["id"] == replayed_event.pk
    assert following["entry"] == fresh.pk


def test_a_quiet_stream_sends_heartbeats_and_ends_cleanly(blog, settings, in_process_channel):
    settings.POLOSA_LIVE_HEARTBEAT_SECONDS = 0.05
    settings.POLOSA_LIVE_STREAM_SECONDS = 0.3

    async def scenario():
        response = await open_stream(blog, after=0)
        reader = Reader(response)
        first = await reader.next(comments=True)  # retry and padding
        beat = await reader.next(comments=True)
        subscribed = in_process_channel.subscriber_count(events.topic(blog.pk))
        ended = await reader.ended()
        return first, beat, subscribed, ended

    first, beat, subscribed, ended = async_to_sync(scenario)()
    assert first == {"comment": True}
    assert beat == {"comment": True}
    assert subscribed == 1
    assert ended
    assert in_process_channel.subscriber_count(events.topic(blog.pk)) == 0


def test_closing_the_blog_ends_open_streams_and_refuses_new_ones(blog, commit):
    async def scenario():
        reader = Reader(await open_stream(blog, after=0))

        def close():
            blog.is_closed = True
            blog.save_revision().publish()

        await sync_to_async(commit)(close)
        closed = await reader.next()
        ended = await reader.ended()
        again = await open_stream(blog, after=await sync_to_async(latest_event_id)())
        return closed, ended, again.status_code

    closed, ended, status = async_to_sync(scenario)()
    assert closed["event"] == "closed"
    assert ended
    assert status == 204  # EventSource stops reconnecting


def test_unknown_blog_has_no_stream(home):
    response = async_to_sync(AsyncClient().get)("/_util/live/999999/events/")
    assert response.status_code == 404


def test_malformed_last_event_id_is_ignored(blog, commit):
    commit(LiveBlogEntryFactory, page=blog)

    async def scenario():
        reader = Reader(await open_stream(blog, last_event_id="1; DROP TABLE"))
        await reader.next(comments=True)  # subscribed: without a starting point it begins now
        fresh = await sync_to_async(commit)(LiveBlogEntryFactory, page=blog)
        got = await reader.next()
        await reader.close()
        return fresh, got

    fresh, got = async_to_sync(scenario)()
    assert got["entry"] == fresh.pk  # nothing replayed, the stream starts now


# --- Polling fallback -----------------------------------------------------------------------------


def test_polling_answers_304_without_the_database_while_nothing_changed(
    client, blog, commit, django_assert_num_queries
):
    commit(LiveBlogEntryFactory, page=blog)
    latest = latest_event_id()
    url = f"/_util/live/{blog.pk}/updates/?after={latest}"
    assert client.get(url).status_code == 304  # warms the blog's state in the cache
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response.status_code == 304
    assert response["ETag"] == f'"live-{blog.pk}-{latest}"'


def test_polling_returns_what_changed_since(client, blog, commit):
    first = commit(LiveBlogEntryFactory, page=blog)
    seen = latest_event_id()
    first_id = first.pk
    second = commit(LiveBlogEntryFactory, page=blog)
    commit(first.delete)
    data = client.get(f"/_util/live/{blog.pk}/updates/?after={seen}").json()
    assert [(e["kind"], e["entry"]) for e in data["events"]] == [("entry", second.pk), ("delete", first_id)]
    assert data["last"] == latest_event_id()
    assert data["closed"] is False


def test_polling_an_unknown_blog_is_not_found(client, home):
    assert client.get("/_util/live/424242/updates/?after=0").status_code == 404


@pytest.mark.parametrize("page_id", [2**63, 2**64, "9" * 30])
def test_an_id_past_the_database_range_is_not_found(client, home, page_id):
    # Past 2**63 - 1 the database refuses the number (OverflowError on SQLite): 404, never 500.
    assert client.get(f"/_util/live/{page_id}/updates/?after=0").status_code == 404
    response = async_to_sync(AsyncClient().get)(f"/_util/live/{page_id}/events/")
    assert response.status_code == 404


def test_a_reader_that_leaves_is_unsubscribed(blog, in_process_channel):
    async def scenario():
        reader = Reader(await open_stream(blog, after=0))
        await reader.next(comments=True)
        during = in_process_channel.subscriber_count(events.topic(blog.pk))
        await reader.close()  # what Django does when the client disconnects
        return during

    assert async_to_sync(scenario)() == 1
    assert in_process_channel.subscriber_count(events.topic(blog.pk)) == 0


def test_an_entry_moved_to_another_blog_leaves_the_first(blog, home, commit, client):
    other = LiveBlogPageFactory(parent=home)
    entry = commit(LiveBlogEntryFactory, page=blog)
    seen = latest_event_id()
    entry.page = other
    commit(entry.save)
    old = client.get(f"/_util/live/{blog.pk}/updates/?after={seen}").json()["events"]
    new = client.get(f"/_util/live/{other.pk}/updates/?after={seen}").json()["events"]
    assert [(e["kind"], e["entry"]) for e in old] == [("delete", entry.pk)]
    assert [(e["kind"], e["entry"]) for e in new] == [("entry", entry.pk)]


def test_an_event_published_late_with_a_lower_id_is_still_delivered(blog, commit):
    floor = latest_event_id()

    async def scenario():
        reader = Reader(await open_stream(blog, after=floor))
        await reader.next(comments=True)
        # Another process's event committed first but is published after a newer one.
        late_entry = await sync_to_async(LiveBlogEntryFactory)(page=blog)  # its publish never ran
        late_event = await sync_to_async(LiveBlogEvent.objects.get)(entry_id=late_entry.pk)
        fresh = await sync_to_async(commit)(LiveBlogEntryFactory, page=blog)
        first = await reader.next()
        await sync_to_async(events.publish)(late_event)
        second = await reader.next()
        await reader.close()
        return late_entry, fresh, first, second

    late_entry, fresh, first, second = async_to_sync(scenario)()
    assert first["entry"] == fresh.pk
    assert second["entry"] == late_entry.pk
    assert second["id"] < first["id"]


def test_a_save_in_another_process_arrives_with_the_next_heartbeat(
    blog, commit, settings, in_process_channel
):
    settings.POLOSA_LIVE_HEARTBEAT_SECONDS = 0.1
    floor = latest_event_id()

    def save_elsewhere():
        # Without Redis, another process (a worker, a command) publishes to its own channel only.
        live_channel.set_channel(live_channel.InProcessChannel())
        try:
            return commit(LiveBlogEntryFactory, page=blog, body="<p>Из другого процесса</p>")
        finally:
            live_channel.set_channel(in_process_channel)

    async def scenario():
        reader = Reader(await open_stream(blog, after=floor))
        await reader.next(comments=True)
        entry = await sync_to_async(save_elsewhere)()
        got = await reader.next(timeout=2)
        await reader.close()
        return entry, got

    entry, got = async_to_sync(scenario)()
    assert (got["event"], got["entry"]) == ("entry", entry.pk)
    assert "Из другого процесса" in got["html"]
