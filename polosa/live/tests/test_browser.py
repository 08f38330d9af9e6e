"""A reader keeps a live blog open and sees entries come and go; the player fails with a message."""

import time

import pytest

from polosa.live.models import LiveBlogEntry

from .factories import LiveBlogEntryFactory, LiveBlogPageFactory, LiveBroadcastFactory, on_air_window

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_entry_saved_in_the_orm_appears_in_the_open_blog_within_two_seconds(
    asgi_live_server, browser_page, home
):
    blog = LiveBlogPageFactory(parent=home, title="Выборы: онлайн-трансляция")
    LiveBlogEntryFactory(page=blog, body="<p>Участки открылись в восемь утра.</p>")
    page = browser_page
    page.goto(asgi_live_server.url + blog.url)
    page.locator("[data-live-blog][data-live-state=open]").wait_for(timeout=10000)

    started = time.monotonic()
    entry = LiveBlogEntry.objects.create(page=blog, body="<p>Явка к полудню превысила треть.</p>")
    page.locator(f"#entry-{entry.pk}").wait_for(timeout=5000)
    delivered = time.monotonic() - started
    assert delivered < 2.0, f"the entry took {delivered:.2f} s"
    texts = page.locator(".live-entry__body").all_inner_texts()
    assert texts == ["Явка к полудню превысила треть.", "Участки открылись в восемь утра."]
    assert page.locator("[data-live-notice]").inner_text() == "Добавлена новая запись"

    entry_id = entry.pk
    entry.delete()
    page.locator(f"#entry-{entry_id}").wait_for(state="detached", timeout=2000)
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload
    assert [p for p in page.problems if "console" in p or "page error" in p] == []


def test_a_telegram_post_that_arrives_in_the_open_blog_offers_its_button_and_loads_nothing(
    asgi_live_server, browser_page, home
):
    blog = LiveBlogPageFactory(parent=home, title="Совещание: онлайн-трансляция")
    LiveBlogEntryFactory(page=blog, body="<p>Совещание началось.</p>")
    page = browser_page
    requested = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(asgi_live_server.url + blog.url)
    page.locator("[data-live-blog][data-live-state=open]").wait_for(timeout=10000)

    entry = LiveBlogEntry.objects.create(
        page=blog, body="<p>Ведомство ответило в канале.</p>", embed_url="https://t.me/polosa_demo/4021"
    )
    button = page.locator(f"#entry-{entry.pk} [data-post-embed-load]")
    button.wait_for(state="visible", timeout=5000)
    assert button.inner_text() == "Показать пост из Telegram"
    assert page.locator(f"#entry-{entry.pk} iframe").count() == 0
    assert not [url for url in requested if "t.me" in url or "telegram.org" in url]
    assert [p for p in page.problems if "console" in p or "page error" in p] == []


def test_player_shows_the_russian_message_and_retries_when_the_stream_does_not_answer(
    asgi_live_server, browser_page, home
):
    # The browser resolves every host but 127.0.0.1 to "not found" (see conftest), so it never answers.
    broadcast = LiveBroadcastFactory(stream_url="https://nowhere.cdnvideo.ru/live/stream.m3u8")
    on_air_window(broadcast)
    page = browser_page
    page.goto(asgi_live_server.url + "/")
    player = page.locator("[data-live-player][data-ready]")
    player.wait_for(timeout=10000)
    player.locator("[data-live-start]").click()

    error = player.locator("[data-live-error]")
    error.wait_for(state="visible", timeout=15000)
    assert "Не удалось воспроизвести эфир" in error.inner_text()
    assert player.locator("video").count() == 0  # no broken box left behind
    retry = error.get_by_role("button", name="Повторить")
    assert page.evaluate("document.activeElement.hasAttribute('data-live-retry')")

    retry.click()
    page.locator("[data-live-player][data-state=error]").wait_for(timeout=15000)
    assert error.is_visible()
    assert [p for p in page.problems if "page error" in p] == []
