"""Both channels behind one interface: in-process, and Redis pub/sub (Redis at REDIS_URL or db 6)."""

import asyncio
import os
import threading
import uuid

import pytest

from polosa.live.channel import ChannelClosed, InProcessChannel, RedisChannel

REDIS_TEST_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/6"


def redis_channel():
    import redis

    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_TEST_URL}")
    return RedisChannel(REDIS_TEST_URL, prefix=f"polosa-test-{uuid.uuid4().hex[:8]}:live:")


def async_to_sync(scenario):
    """Run `scenario` on an event loop in a thread of its own: the browser tests' Playwright may keep
    a loop marked as running in the main thread, where asgiref's async_to_sync refuses to start."""

    def run(*args):
        result = {}

        def target():
            try:
                result["value"] = asyncio.run(scenario(*args))
            except BaseException as error:
                result["error"] = error

        thread = threading.Thread(target=target)
        thread.start()
        thread.join(30)
        if "error" in result:
            raise result["error"]
        return result.get("value")

    return run


@pytest.fixture(params=["in-process", "redis"])
def channel(request):
    return InProcessChannel() if request.param == "in-process" else redis_channel()


def test_a_subscriber_gets_messages_of_its_topic_only_in_order(channel):
    async def scenario():
        async with channel.subscribe("blog:1") as one, channel.subscribe("blog:2") as two:
            channel.publish("blog:1", "first")
            channel.publish("blog:2", "other")
            channel.publish("blog:1", "second")
            got = [await one.get(2), await one.get(2), await two.get(2)]
            quiet = await one.get(0.1)
        return got, quiet

    got, quiet = async_to_sync(scenario)()
    assert got == ["first", "second", "other"]
    assert quiet is None


def test_a_message_published_from_another_thread_arrives(channel):
    async def scenario():
        async with channel.subscribe("blog:7") as subscription:
            thread = threading.Thread(target=channel.publish, args=("blog:7", "из другого потока"))
            thread.start()
            message = await subscription.get(2)
            thread.join()
        return message

    assert async_to_sync(scenario)() == "из другого потока"


def test_every_subscriber_of_a_topic_gets_the_message(channel):
    async def scenario():
        async with channel.subscribe("blog:3") as a, channel.subscribe("blog:3") as b:
            channel.publish("blog:3", "всем")
            return await asyncio.gather(a.get(2), b.get(2))

    assert async_to_sync(scenario)() == ["всем", "всем"]


def test_nothing_is_kept_for_a_topic_without_subscribers(channel):
    async def scenario():
        channel.publish("blog:4", "в пустоту")
        async with channel.subscribe("blog:4") as subscription:
            return await subscription.get(0.2)

    assert async_to_sync(scenario)() is None


def test_in_process_subscription_is_removed_when_it_ends():
    channel = InProcessChannel()

    async def scenario():
        async with channel.subscribe("blog:5"):
            assert channel.subscriber_count("blog:5") == 1

    async_to_sync(scenario)()
    assert channel.subscriber_count("blog:5") == 0


def test_a_broken_redis_subscription_ends_the_streams(caplog):
    channel = RedisChannel("redis://127.0.0.1:1/0")  # nothing listens there

    async def scenario():
        with pytest.raises(ChannelClosed):
            async with channel.subscribe("blog:6"):
                pass

    async_to_sync(scenario)()
    assert "Redis subscription" in caplog.text
