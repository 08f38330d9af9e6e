"""The Redis cache backend: one client per process, a native async read, and outages that are not 500s."""

import logging
import os
import socket
import time
import uuid

import pytest
import redis

from polosa.caching import redis as polosa_redis
from polosa.caching.redis import PolosaRedisCache
from polosa.caching.tests import aio

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def make_cache(url: str = REDIS_URL) -> PolosaRedisCache:
    return PolosaRedisCache(url, {"KEY_PREFIX": f"polosa-test-{uuid.uuid4().hex[:8]}"})


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def live_cache():
    backend = make_cache()
    try:
        backend.client().ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REDIS_URL"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (the PostgreSQL + Redis run covers this)")
    yield backend
    backend.clear_prefixed()


def test_every_operation_reuses_one_client(live_cache):
    first = live_cache.client()
    live_cache.set("a", 1)
    live_cache.get_many(["a", "b"])
    assert live_cache.client() is first


def test_values_go_in_and_out_as_djangos_redis_backend_stores_them(live_cache):
    live_cache.set("rates", {"USD": "75.92"}, 30)
    assert live_cache.get("rates") == {"USD": "75.92"}
    assert live_cache.get_many(["rates", "missing"]) == {"rates": {"USD": "75.92"}}
    assert live_cache.add("rates", "other") is False
    assert live_cache.add("fresh", "value", 30) is True
    live_cache.set("count", 1)
    assert live_cache.incr("count", 4) == 5
    with pytest.raises(ValueError, match="not found"):
        live_cache.incr("no-such-counter")
    assert live_cache.set_many({"x": 1, "y": [2]}, 30) == []
    assert live_cache.get_many(["x", "y"]) == {"x": 1, "y": [2]}
    live_cache.delete_many(["x", "y"])
    assert live_cache.get("x") is None
    live_cache.delete("rates")
    assert live_cache.get("rates") is None


def test_a_zero_timeout_stores_nothing_lasting(live_cache):
    live_cache.set("gone", "soon", 0)
    time.sleep(0.01)
    assert live_cache.get("gone") is None


def test_the_async_read_sees_what_the_sync_writes_stored(live_cache):
    live_cache.set_many({"dep:a": "v1", "dep:b": 7}, 30)
    found = aio.run(live_cache.aget_many(["dep:a", "dep:b", "dep:c"]))
    assert found == {"dep:a": "v1", "dep:b": 7}


def test_clearing_removes_only_this_caches_keys(live_cache):
    neighbour = make_cache()
    neighbour.set("theirs", 1, 30)
    live_cache.set("mine", 1, 30)
    live_cache.clear_prefixed()
    assert live_cache.get("mine") is None
    assert neighbour.get("theirs") == 1
    neighbour.clear_prefixed()


def test_an_unreachable_redis_answers_as_a_miss_at_once_and_is_logged_once(caplog):
    backend = make_cache(f"redis://127.0.0.1:{closed_port()}/0")
    with caplog.at_level(logging.ERROR, logger="polosa.caching.redis"):
        started = time.monotonic()
        assert backend.get("page") is None
        assert backend.get_many(["a", "b"]) == {}
        assert backend.add("lock", "token", 10) is False
        assert backend.set("page", "html") is False
        assert backend.set_many({"a": 1, "b": 2}) == ["a", "b"]
        assert backend.incr("reads", 1) == 1  # rate limits count nothing rather than fail
        assert backend.delete("page") is False
        assert aio.run(backend.aget_many(["a"])) == {}
        elapsed = time.monotonic() - started
    assert backend.available() is False
    assert elapsed < 1.0
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert "unreachable" in errors[0].getMessage()


def test_after_an_outage_redis_is_asked_again_and_recovery_is_announced(live_cache, monkeypatch, caplog):
    announced = []
    monkeypatch.setattr(polosa_redis, "RETRY_SECONDS", 0.05)
    monkeypatch.setattr("polosa.caching.dependencies.shared_cache_recovered", lambda: announced.append(True))
    real_client = live_cache.client()

    class DeadClient:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise redis.exceptions.ConnectionError("Connection refused")

            return fail

    live_cache._client = DeadClient()
    assert live_cache.get("x") is None
    assert live_cache.available() is False
    live_cache._client = real_client
    time.sleep(0.06)
    with caplog.at_level(logging.WARNING, logger="polosa.caching.redis"):
        live_cache.set("x", 1, 30)
    assert live_cache.get("x") == 1
    assert announced == [True]
    assert any("is back" in r.getMessage() for r in caplog.records)


def test_backend_objects_for_one_redis_share_their_connections(live_cache):
    # Django makes a backend object per thread and per asyncio context: each must not open its own.
    twin = PolosaRedisCache(REDIS_URL, {"KEY_PREFIX": "other-prefix"})
    assert twin.client() is live_cache.client()
    assert twin.shares_connection_with(live_cache)

    async def both():
        return twin.async_client() is live_cache.async_client()

    assert aio.run(both())
    live_cache._failed(redis.exceptions.ConnectionError("refused"))
    assert twin.available() is False
    live_cache._succeeded()
    assert twin.available() is True
