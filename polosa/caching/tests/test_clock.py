"""Server processes follow the invalidation clock by subscription, and never serve past a change."""

import asyncio
import threading

import pytest
from django.core.cache import cache
from django.test import override_settings

from polosa.caching import clock, dependencies, invalidate
from polosa.caching.tests import aio
from polosa.caching.tests.test_outages import redis_cache  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db


async def live_watcher():
    """This loop's clock watcher, once its subscription is established."""
    watcher = clock.watcher()
    for _ in range(100):
        if watcher.live:
            break
        await asyncio.sleep(0.01)
    assert watcher.live
    return watcher


def test_every_invalidation_moves_the_clock_forward(client, article_factory):
    dependencies.advance_clock()
    before = cache.get(dependencies.CLOCK_KEY)
    invalidate("feed")
    invalidate("rates", "site")
    assert cache.get(dependencies.CLOCK_KEY) == before + 2


def test_a_lost_clock_starts_again_past_any_value_it_had():
    cache.set(dependencies.CLOCK_KEY, 5, None)
    cache.delete(dependencies.CLOCK_KEY)
    invalidate("feed")
    assert cache.get(dependencies.CLOCK_KEY) > 10**15


@override_settings(POLOSA_CLOCK_SUBSCRIPTION=True)
def test_a_subscribed_process_learns_of_an_invalidation_within_a_second(redis_cache):  # noqa: F811
    async def follow():
        watcher = await live_watcher()
        start = watcher.value
        # Another process invalidates.
        thread = threading.Thread(target=invalidate, args=("feed",))
        thread.start()
        await asyncio.to_thread(thread.join)
        for _ in range(100):
            if watcher.value != start:
                break
            await asyncio.sleep(0.01)
        assert watcher.value == cache.get(dependencies.CLOCK_KEY)
        assert clock.known_clock() == watcher.value
        watcher.task.cancel()
        await asyncio.wait({watcher.task}, timeout=2)

    aio.run(follow())


def test_without_a_subscription_the_clock_is_read_per_request(redis_cache):  # noqa: F811
    async def ask():
        assert clock.watcher() is None  # the test settings turn it off
        with pytest.raises(LookupError):
            clock.known_clock()

    aio.run(ask())


@override_settings(POLOSA_CLOCK_SUBSCRIPTION=True)
def test_a_render_reuses_a_fragment_checked_at_the_current_clock_without_reading_versions(
    redis_cache,  # noqa: F811
    monkeypatch,
):
    from polosa.caching import fragments
    from polosa.caching.dependencies import depends_on

    checks, renders = [], []
    real_still_valid = fragments.still_valid

    def counted_still_valid(versions):
        checks.append(1)
        return real_still_valid(versions)

    monkeypatch.setattr(fragments, "still_valid", counted_still_valid)

    def render():
        depends_on("feed")
        renders.append(1)
        return f"<p>лента {len(renders)}</p>"

    def piece():
        # As a cold page renders under ASGI: in a worker thread, beside the loop that follows the clock.
        return str(fragments.cached_fragment("clock-test", render))

    async def follow():
        watcher = await live_watcher()
        assert await asyncio.to_thread(piece) == "<p>лента 1</p>"
        assert await asyncio.to_thread(piece) == "<p>лента 1</p>"
        assert (len(renders), len(checks)) == (1, 1)  # checked once, at this clock
        assert await asyncio.to_thread(piece) == "<p>лента 1</p>"
        assert (len(renders), len(checks)) == (1, 1)  # no read at all
        start = watcher.value
        await asyncio.to_thread(invalidate, "feed")
        for _ in range(100):
            if watcher.value != start:
                break
            await asyncio.sleep(0.01)
        assert await asyncio.to_thread(piece) == "<p>лента 2</p>"
        assert len(renders) == 2
        watcher.task.cancel()
        await asyncio.wait({watcher.task}, timeout=2)

    aio.run(follow())
    # Without a followed clock every use checks the versions, as before.
    checks.clear()
    piece()
    piece()
    assert len(checks) == 2
