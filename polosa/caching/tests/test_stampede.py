"""Many readers missing the same page at once cause one render, not one each."""

import threading
import time

from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from polosa.caching import depends_on, do_not_cache, invalidate
from polosa.caching import middleware as page_cache
from polosa.caching.middleware import CACHE_HEADER, LOCK_PREFIX, PageCacheMiddleware, entry_key

READERS = 8


def _slow_view(calls, *, cacheable=True):
    lock = threading.Lock()

    def view(request):
        depends_on("stampede-test")
        if not cacheable:
            do_not_cache("test")
        with lock:
            calls.append(threading.get_ident())
        time.sleep(0.3)  # long enough for every reader to arrive while it renders
        return HttpResponse(f"<p>render {len(calls)}</p>")

    return view


def _all_at_once(middleware, path="/breaking/"):
    barrier = threading.Barrier(READERS)
    responses = [None] * READERS

    def read(i):
        request = RequestFactory().get(path)
        barrier.wait()
        responses[i] = middleware(request)

    threads = [threading.Thread(target=read, args=(i,)) for i in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=20)
    return responses


def test_concurrent_misses_render_the_page_once():
    calls = []
    responses = _all_at_once(PageCacheMiddleware(_slow_view(calls)))
    assert len(calls) == 1
    assert {r.content for r in responses} == {b"<p>render 1</p>"}
    assert sorted(r[CACHE_HEADER] for r in responses) == ["hit"] * (READERS - 1) + ["miss"]


def test_after_an_invalidation_the_next_wave_renders_once_more():
    calls = []
    middleware = PageCacheMiddleware(_slow_view(calls))
    _all_at_once(middleware)
    invalidate("stampede-test")
    responses = _all_at_once(middleware)
    assert len(calls) == 2
    assert {r.content for r in responses} == {b"<p>render 2</p>"}


def test_readers_of_an_uncacheable_page_each_render_it():
    calls = []
    responses = _all_at_once(PageCacheMiddleware(_slow_view(calls, cacheable=False)))
    assert len(calls) == READERS
    assert all(CACHE_HEADER not in r for r in responses)


def test_a_lock_left_by_a_dead_render_only_delays_the_reader(monkeypatch):
    monkeypatch.setattr(page_cache, "WAIT_SECONDS", 0.2)
    calls = []
    request = RequestFactory().get("/orphan-lock/")
    cache.set(LOCK_PREFIX + entry_key(request), "someone-who-crashed", 60)
    started = time.monotonic()
    response = PageCacheMiddleware(_slow_view(calls))(request)
    assert response.content == b"<p>render 1</p>"
    assert time.monotonic() - started < 2


def test_concurrent_misses_under_asgi_render_the_page_once():
    import asyncio

    calls = []

    async def view(request):
        depends_on("stampede-test")
        calls.append(1)
        await asyncio.sleep(0.3)
        return HttpResponse(f"<p>render {len(calls)}</p>")

    middleware = PageCacheMiddleware(view)

    async def wave():
        return await asyncio.gather(*(middleware(RequestFactory().get("/async/")) for _ in range(READERS)))

    # A fresh thread gets its own event loop even when a browser test left one running in this one.
    done = {}
    runner = threading.Thread(target=lambda: done.setdefault("responses", asyncio.run(wave())))
    runner.start()
    runner.join(timeout=20)
    responses = done["responses"]
    assert len(calls) == 1
    assert {r.content for r in responses} == {b"<p>render 1</p>"}


# --- The same guard on the embedded default cache (polosa.settings.base without REDIS_URL) -----------


def test_concurrent_misses_render_the_page_once_on_the_file_cache(file_cache):
    test_concurrent_misses_render_the_page_once()


def test_after_an_invalidation_the_next_wave_renders_once_more_on_the_file_cache(file_cache):
    test_after_an_invalidation_the_next_wave_renders_once_more()


def test_a_lock_left_by_a_dead_render_only_delays_the_reader_on_the_file_cache(file_cache, monkeypatch):
    test_a_lock_left_by_a_dead_render_only_delays_the_reader(monkeypatch)


def test_an_expired_lock_is_taken_over_at_once_on_the_file_cache(file_cache):
    calls = []
    request = RequestFactory().get("/expired-lock/")
    cache.set(LOCK_PREFIX + entry_key(request), "someone-long-gone", 0)  # stored already expired
    started = time.monotonic()
    assert PageCacheMiddleware(_slow_view(calls))(request)[CACHE_HEADER] == "miss"
    assert time.monotonic() - started < page_cache.WAIT_SECONDS
