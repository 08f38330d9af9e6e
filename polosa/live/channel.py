"""Where live-blog events travel from the process that saved them to the open event streams.

One small interface, two implementations chosen by settings:

- `InProcessChannel` (no ``REDIS_URL``): subscribers in this process only. Enough for one server
  process, which is what `make run` starts; the page's polling fallback covers anything else.
- `RedisChannel` (``REDIS_URL`` set): Redis pub/sub, so a save in any web server or worker reaches the
  streams of every server. Each process holds ONE Redis subscription per event loop and fans messages
  out to its local subscribers, so a thousand readers cost one Redis connection, not a thousand.

``publish(topic, message)`` is synchronous and callable from any thread (signal handlers, the admin);
``subscribe(topic)`` is an async context manager giving a `Subscription` whose ``get(timeout)``
returns the next message, or None when the timeout passed first.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
from collections.abc import AsyncIterator

from django.conf import settings

logger = logging.getLogger(__name__)


class ChannelClosed(Exception):
    """The channel broke (Redis went away); the stream should end so the reader reconnects."""


class Subscription:
    def __init__(self, loop: asyncio.AbstractEventLoop) -> None:
        self.loop = loop
        self.queue: asyncio.Queue[str | None] = asyncio.Queue()

    async def get(self, timeout: float) -> str | None:
        try:
            message = await asyncio.wait_for(self.queue.get(), timeout)
        except TimeoutError:
            return None
        if message is None:
            raise ChannelClosed
        return message


def _put_all(subscriptions: list[Subscription], message: str | None) -> None:
    for subscription in subscriptions:
        subscription.queue.put_nowait(message)


class Channel:
    """The interface both channels implement."""

    def publish(self, topic: str, message: str) -> None:
        raise NotImplementedError

    def subscribe(self, topic: str) -> contextlib.AbstractAsyncContextManager[Subscription]:
        raise NotImplementedError


class InProcessChannel(Channel):
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._subscribers: dict[str, set[Subscription]] = {}

    def publish(self, topic: str, message: str) -> None:
        with self._lock:
            targets = list(self._subscribers.get(topic, ()))
        self._deliver(targets, message)

    def close_all(self) -> None:
        with self._lock:
            targets = [s for subs in self._subscribers.values() for s in subs]
        self._deliver(targets, None)

    @staticmethod
    def _deliver(targets: list[Subscription], message: str | None) -> None:
        # One hand-over per event loop, not per subscriber: a thousand readers on the loop that
        # received the message (the Redis listener's) are fed directly, without waking it again.
        by_loop: dict[asyncio.AbstractEventLoop, list[Subscription]] = {}
        for subscription in targets:
            by_loop.setdefault(subscription.loop, []).append(subscription)
        try:
            current = asyncio.get_running_loop()
        except RuntimeError:
            current = None
        for loop, subscriptions in by_loop.items():
            if loop is current:
                _put_all(subscriptions, message)
            else:
                # RuntimeError: that loop is gone, so its subscribers no longer listen.
                with contextlib.suppress(RuntimeError):
                    loop.call_soon_threadsafe(_put_all, subscriptions, message)

    def subscriber_count(self, topic: str) -> int:
        with self._lock:
            return len(self._subscribers.get(topic, ()))

    @contextlib.asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[Subscription]:
        subscription = Subscription(asyncio.get_running_loop())
        with self._lock:
            self._subscribers.setdefault(topic, set()).add(subscription)
        try:
            yield subscription
        finally:
            with self._lock:
                subs = self._subscribers.get(topic)
                if subs is not None:
                    subs.discard(subscription)
                    if not subs:
                        del self._subscribers[topic]


class RedisChannel(Channel):
    def __init__(self, url: str, prefix: str = "polosa:live:") -> None:
        self.url = url
        self.prefix = prefix
        self._local = InProcessChannel()
        self._publisher = None
        self._listeners: dict[asyncio.AbstractEventLoop, tuple[asyncio.Task, asyncio.Event]] = {}
        self._lock = threading.Lock()

    def publish(self, topic: str, message: str) -> None:
        import redis

        if self._publisher is None:
            self._publisher = redis.Redis.from_url(self.url)
        self._publisher.publish(self.prefix + topic, message.encode())

    async def _listen(self, ready: asyncio.Event) -> None:
        import redis.asyncio as aioredis

        client = aioredis.Redis.from_url(self.url)
        pubsub = client.pubsub(ignore_subscribe_messages=True)
        try:
            await pubsub.psubscribe(self.prefix + "*")
            ready.set()
            while True:
                message = await pubsub.get_message(timeout=30)
                if message is None or message["type"] != "pmessage":
                    continue
                topic = message["channel"].decode()[len(self.prefix) :]
                self._local.publish(topic, message["data"].decode())
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("live: the Redis subscription at %s broke; open streams end", self.url)
        finally:
            self._listeners.pop(asyncio.get_running_loop(), None)
            # Streams end and the readers reconnect (a new listener starts) or fall back to polling.
            self._local.close_all()
            with contextlib.suppress(Exception):
                await pubsub.aclose()
                await client.aclose()

    async def _ensure_listener(self) -> None:
        loop = asyncio.get_running_loop()
        with self._lock:
            found = self._listeners.get(loop)
            if found is None:
                ready = asyncio.Event()
                task = loop.create_task(self._listen(ready))
                found = self._listeners[loop] = (task, ready)
        task, ready = found
        waiter = asyncio.ensure_future(ready.wait())
        done, _ = await asyncio.wait({waiter, task}, return_when=asyncio.FIRST_COMPLETED)
        if waiter not in done:
            waiter.cancel()
            raise ChannelClosed

    @contextlib.asynccontextmanager
    async def subscribe(self, topic: str) -> AsyncIterator[Subscription]:
        async with self._local.subscribe(topic) as subscription:
            await self._ensure_listener()
            yield subscription


_channel: Channel | None = None


def get_channel() -> Channel:
    """The channel for this process: Redis when REDIS_URL is set, in-process otherwise."""
    global _channel
    if _channel is None:
        url = settings.REDIS_URL
        _channel = (
            RedisChannel(url, prefix=f"{settings.CACHE_KEY_PREFIX}:live:") if url else InProcessChannel()
        )
    return _channel


def set_channel(channel: Channel | None) -> None:
    """Replace the process's channel (tests)."""
    global _channel
    _channel = channel
