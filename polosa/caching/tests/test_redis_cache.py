"""The Redis cache backend builds one client per connection pool, not one per operation."""

import os
import uuid

import pytest
import redis

from polosa.caching.redis import PolosaRedisCache

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


def make_cache() -> PolosaRedisCache:
    return PolosaRedisCache(REDIS_URL, {"KEY_PREFIX": f"polosa-test-{uuid.uuid4().hex[:8]}"})


def test_every_operation_reuses_one_client():
    backend = make_cache()
    first = backend._cache.get_client("a", write=True)
    assert backend._cache.get_client("b", write=True) is first
    assert backend._cache.get_client("c") is first  # one server: reads and writes share its pool
    assert first.connection_pool is backend._cache._get_connection_pool(True)


def test_a_value_goes_in_and_out_through_the_shared_client():
    backend = make_cache()
    try:
        backend._cache.get_client().ping()
    except redis.exceptions.ConnectionError:
        if os.environ.get("REDIS_URL"):
            raise
        pytest.skip("no Redis on 127.0.0.1:6379 (the PostgreSQL + Redis run covers this)")
    backend.set("rates", {"USD": "75.92"}, 30)
    assert backend.get("rates") == {"USD": "75.92"}
    assert backend.get_many(["rates", "missing"]) == {"rates": {"USD": "75.92"}}
    backend.delete("rates")
    assert backend.get("rates") is None
