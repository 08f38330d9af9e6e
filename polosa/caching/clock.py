"""Each server process follows the invalidation clock by subscription instead of asking per hit.

Every invalidation advances a clock in Redis and publishes its new value
(`dependencies.advance_clock`). A process that keeps a subscription open knows the clock within a
millisecond of any change, so a hit on a page it checked at the current value needs no Redis read at
all. While the subscription is not (yet, or no longer) established, the hit path reads the clock from
Redis as before; a reconnect reads it afresh, so nothing published meanwhile is missed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref

from django.conf import settings
from django.core.cache import caches

from .redis import FAILURES

logger = logging.getLogger(__name__)

RETRY_SECONDS = 1.0


class ClockWatcher:
    def __init__(self, backend) -> None:
        self.backend = backend
        self.value = None
        self.live = False
        self.task: asyncio.Task | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self.run(), name="polosa-clock-watcher")

    async def run(self) -> None:
        from .dependencies import CLOCK_KEY

        while True:
            pubsub = None
            try:
                pubsub = self.backend.async_client().pubsub()
                await pubsub.subscribe(self.backend.clock_channel())
                # Subscribed first, then read: a change in between is in the channel too.
                found = await self.backend.aget_many([CLOCK_KEY])
                if not found and not self.backend.available():
                    raise ConnectionError("Redis unavailable")
                self.value = found.get(CLOCK_KEY)
                self.live = True
                async for message in pubsub.listen():
                    if message.get("type") != "message":
                        continue
                    value = int(message["data"])
                    # Messages of concurrent invalidations may arrive out of order; the clock only grows.
                    self.value = value if self.value is None else max(self.value, value)
            except asyncio.CancelledError:
                # The loop is closing: drop the subscription without waiting on its connection.
                self.live = False
                pubsub = None
                raise
            except (*FAILURES, ConnectionError, ValueError) as error:
                if self.live:
                    logger.warning("invalidation clock subscription lost (%s); reading it per request", error)
                self.live = False
            finally:
                self.live = False
                if pubsub is not None:
                    # A dead connection may fail to close; it is dropped either way.
                    with contextlib.suppress(Exception):
                        await pubsub.aclose()
            await asyncio.sleep(RETRY_SECONDS)


_watchers: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def watcher() -> ClockWatcher | None:
    """This event loop's watcher (started on first use), or None where the cache cannot publish."""
    backend = caches["default"]
    if not hasattr(backend, "clock_channel") or not settings.POLOSA_CLOCK_SUBSCRIPTION:
        return None
    loop = asyncio.get_running_loop()
    found = _watchers.get(loop)
    if found is None or not backend.shares_connection_with(found.backend):
        found = _watchers[loop] = ClockWatcher(backend)
        found.start()
    return found


def known_clock():
    """The clock as followed by subscription; raises LookupError while it is not followed."""
    current = watcher()
    if current is None or not current.live:
        raise LookupError
    return current.value


def followed_clock():
    """`known_clock` for code outside the event loop (a render Django runs in a worker thread): the
    clock as this process's loop follows it; raises LookupError while none follows it live."""
    backend = caches["default"]
    if not hasattr(backend, "clock_channel") or not settings.POLOSA_CLOCK_SUBSCRIPTION:
        raise LookupError
    for current in list(_watchers.values()):
        if current.live and backend.shares_connection_with(current.backend):
            return current.value
    raise LookupError
