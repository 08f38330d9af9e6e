"""The shared Redis cache: one client per process, a native async read, and no outage turned into 500s.

Why not Django's ``RedisCache`` as it is:
- it builds a new ``redis.Redis`` (copying ~170 response callbacks) for every operation, 8% of a cold
  article render's CPU; a ``redis.Redis`` is safe to share between threads, so one per process is kept;
- its async methods hop to a thread; the page cache's hit path answers in the event loop, so this
  backend reads with ``redis.asyncio`` there (``aget_many``);
- a Redis that is down raises from every call, which turned every reader page, the editor and the
  beacons into 500s. Here a failed call is logged loudly once, answered as a cache miss (reads) or a
  failure (writes), and Redis is not asked again for ``RETRY_SECONDS``, so a page renders without the
  cache at the speed of the database instead of waiting on a dead socket ~30 times.
  `available()` tells callers that need to know (invalidation keeps what it could not write, the
  page cache serves stale copies from its local tier).

Values are stored as Django's Redis backend stores them (``RedisSerializer``), so both can share data.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import weakref

import redis
import redis.asyncio
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache
from django.core.cache.backends.redis import RedisSerializer

logger = logging.getLogger("polosa.caching.redis")

RETRY_SECONDS = 1.0
# A local Redis answers in well under a millisecond; a stalled one must not hold a reader for long.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 1.0}
FAILURES = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class _Connection:
    """What every backend object for one Redis shares within a process.

    Django makes a new cache backend object per thread and per asyncio context (a hit under ASGI
    is a new context each time), so the clients and the outage state live here, once per address,
    or every request would open connections of its own.
    """

    def __init__(self, url: str, options: dict) -> None:
        self.url = url
        self.options = options
        self.client: redis.Redis | None = None
        self.async_clients: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
        self.lock = threading.Lock()
        self.down_until = 0.0
        self.down_since: float | None = None


_connections: dict[tuple, _Connection] = {}
_connections_lock = threading.Lock()


def _connection(url: str, options: dict) -> _Connection:
    key = (url, tuple(sorted((k, repr(v)) for k, v in options.items())))
    with _connections_lock:
        found = _connections.get(key)
        if found is None:
            found = _connections[key] = _Connection(url, options)
        return found


class PolosaRedisCache(BaseCache):
    def __init__(self, server, params) -> None:
        super().__init__(params)
        url = server if isinstance(server, str) else server[0]
        self._shared = _connection(url, {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})})
        self._url = url
        self._serializer = RedisSerializer()

    # --- Health ---

    def available(self) -> bool:
        """False from a failed call until a call succeeds again."""
        return self._shared.down_since is None

    def _may_ask(self) -> bool:
        shared = self._shared
        return shared.down_since is None or time.monotonic() >= shared.down_until

    def _failed(self, error: Exception) -> None:
        now = time.monotonic()
        shared = self._shared
        with shared.lock:
            first = shared.down_since is None
            if first:
                shared.down_since = now
            shared.down_until = now + RETRY_SECONDS
        if first:
            logger.error(
                "Redis at %s is unreachable (%s): pages are served without the shared cache, "
                "invalidations are kept in the database until it is back",
                self._url,
                error,
            )

    def _succeeded(self) -> None:
        shared = self._shared
        if shared.down_since is None:
            return
        with shared.lock:
            since, shared.down_since = shared.down_since, None
        if since is not None:
            logger.warning("Redis at %s is back after %.1f s", self._url, time.monotonic() - since)
            from . import dependencies

            dependencies.shared_cache_recovered()

    def _call(self, default, operation, *args):
        if not self._may_ask():
            return default
        try:
            result = operation(self.client(), *args)
        except FAILURES as error:
            self._failed(error)
            return default
        self._succeeded()
        return result

    # --- Clients ---

    @property
    def _client(self) -> redis.Redis | None:
        return self._shared.client

    @_client.setter
    def _client(self, client) -> None:
        self._shared.client = client

    def client(self) -> redis.Redis:
        shared = self._shared
        if shared.client is None:
            with shared.lock:
                if shared.client is None:
                    shared.client = redis.Redis.from_url(shared.url, **shared.options)
        return shared.client

    def async_client(self) -> redis.asyncio.Redis:
        """One asyncio client per event loop (a connection belongs to the loop that opened it)."""
        loop = asyncio.get_running_loop()
        clients = self._shared.async_clients
        client = clients.get(loop)
        if client is None:
            client = clients[loop] = redis.asyncio.Redis.from_url(self._shared.url, **self._shared.options)
        return client

    def shares_connection_with(self, other) -> bool:
        return getattr(other, "_shared", None) is self._shared

    # --- Django's cache API ---

    def _timeout(self, timeout):
        if timeout == DEFAULT_TIMEOUT:
            timeout = self.default_timeout
        return None if timeout is None else max(0, int(timeout))

    def _set_args(self, timeout) -> dict:
        timeout = self._timeout(timeout)
        return {} if timeout is None else {"ex": timeout} if timeout > 0 else {"px": 1}

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        value = self._serializer.dumps(value)
        return bool(self._call(False, lambda c: c.set(key, value, nx=True, **self._set_args(timeout))))

    def get(self, key, default=None, version=None):
        key = self.make_and_validate_key(key, version=version)
        value = self._call(None, lambda c: c.get(key))
        return default if value is None else self._serializer.loads(value)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        value = self._serializer.dumps(value)
        return bool(self._call(False, lambda c: c.set(key, value, **self._set_args(timeout))))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        key = self.make_and_validate_key(key, version=version)
        timeout = self._timeout(timeout)
        if timeout is None:
            return bool(self._call(False, lambda c: c.persist(key)))
        return bool(self._call(False, lambda c: c.expire(key, timeout)))

    def delete(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return bool(self._call(0, lambda c: c.delete(key)))

    def get_many(self, keys, version=None):
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not key_map:
            return {}
        names = list(key_map)
        values = self._call(None, lambda c: c.mget(names))
        if values is None:
            return {}
        return self._loaded(key_map, names, values)

    async def aget_many(self, keys, version=None):
        """`get_many` in the event loop, without a thread hop."""
        key_map = {self.make_and_validate_key(key, version=version): key for key in keys}
        if not key_map or not self._may_ask():
            return {}
        names = list(key_map)
        try:
            values = await self.async_client().mget(names)
        except FAILURES as error:
            self._failed(error)
            return {}
        self._succeeded()
        return self._loaded(key_map, names, values)

    def _loaded(self, key_map: dict, names: list, values: list) -> dict:
        return {
            key_map[n]: self._serializer.loads(v) for n, v in zip(names, values, strict=True) if v is not None
        }

    def has_key(self, key, version=None):
        key = self.make_and_validate_key(key, version=version)
        return bool(self._call(False, lambda c: c.exists(key)))

    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)

        def increment(client):
            if not client.exists(key):
                raise ValueError(f"Key '{key}' not found.")
            return client.incr(key, delta)

        result = self._call(None, increment)
        if result is None:
            # Redis is down: a counter cannot be kept, and callers (rate limits) must not fail.
            return delta
        return result

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        if not data:
            return []
        safe = {
            self.make_and_validate_key(k, version=version): self._serializer.dumps(v) for k, v in data.items()
        }
        args = self._set_args(timeout)

        def write(client):
            pipeline = client.pipeline()
            for name, value in safe.items():
                pipeline.set(name, value, **args)
            pipeline.execute()
            return []

        return self._call(list(data), write)

    def delete_many(self, keys, version=None):
        names = [self.make_and_validate_key(k, version=version) for k in keys]
        if names:
            self._call(0, lambda c: c.delete(*names))

    def clear(self):
        return bool(self._call(False, lambda c: c.flushdb()))

    # --- The invalidation clock, pushed to every process (polosa.caching.clock) ---

    def clock_channel(self) -> str:
        return self.make_key("dep-clock-channel")

    def publish_clock(self, value: int) -> None:
        self._call(0, lambda c: c.publish(self.clock_channel(), str(value)))

    def clear_prefixed(self) -> int:
        """Delete only the keys under this cache's KEY_PREFIX (FLUSHDB would empty a shared Redis)."""

        def delete(client):
            count = 0
            for name in client.scan_iter(match=self.make_key("*"), count=1000):
                count += client.delete(name)
            return count

        return self._call(0, delete)

    def close(self, **kwargs):
        # Connections are pooled for the life of the process, as Django's own Redis backend does.
        pass
