"""Telegram and VK posts in live-blog entries: the articles' click-to-load card, never the network's
frame, and a page policy that lets the widget load only when a reader asks."""

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.test import override_settings

from testsupport import clear_cache

from .factories import LiveBlogEntryFactory, LiveBlogPageFactory

TELEGRAM_URL = "https://t.me/polosa_demo/4021"
VK_URL = "https://vk.com/wall-1_77"


@pytest.fixture(autouse=True)
def fresh_cache():
    clear_cache()
    yield
    clear_cache()


def csp(response) -> dict[str, list[str]]:
    parts = (p.strip().split(" ", 1) for p in response["Content-Security-Policy"].split(";") if p.strip())
    return {name: value.split() for name, value in parts}


def scripts(response) -> list[str]:
    return [s.get("src", "") for s in BeautifulSoup(response.content, "html.parser").find_all("script")]


@pytest.mark.django_db
def test_a_telegram_entry_shows_the_card_with_a_link_and_no_frame(client, home):
    blog = LiveBlogPageFactory(parent=home, title="Совещание в министерстве", slug="sovet")
    entry = LiveBlogEntryFactory(page=blog, body="<p>Министр ответил в канале.</p>", embed_url=TELEGRAM_URL)
    response = client.get(blog.url)
    soup = BeautifulSoup(response.content, "html.parser")
    article = soup.select_one(f"#{entry.anchor}")
    figure = article.select_one("figure.embed--telegram[data-post-embed]")
    assert figure is not None
    assert figure["data-owner"] == "polosa_demo"
    assert figure["data-number"] == "4021"
    assert figure.select_one("figcaption a")["href"] == TELEGRAM_URL
    assert article.find("iframe") is None
    # Only our own loader runs up front; Telegram's script is allowed, not loaded.
    assert not [s for s in scripts(response) if "telegram.org" in s]
    assert [s for s in scripts(response) if s.endswith("news/embeds.js")]
    assert "https://telegram.org" in csp(response)["script-src"]


@pytest.mark.django_db
def test_an_open_blog_is_ready_for_a_post_that_arrives_later(client, home):
    blog = LiveBlogPageFactory(parent=home, title="Итоги торгов", slug="torgi")
    LiveBlogEntryFactory(page=blog, body="<p>Торги открылись ростом.</p>")
    response = client.get(blog.url)
    assert csp(response)["script-src"] == ["'self'", "https://telegram.org", "https://vk.com"]
    assert [s for s in scripts(response) if s.endswith("news/embeds.js")]


@pytest.mark.django_db
def test_a_closed_blog_without_posts_allows_no_network_script(client, home):
    blog = LiveBlogPageFactory(parent=home, title="Итоги недели", slug="itogi", is_closed=True)
    LiveBlogEntryFactory(page=blog, body="<p>Неделя закончилась.</p>")
    response = client.get(blog.url)
    assert csp(response)["script-src"] == ["'self'"]
    assert not [s for s in scripts(response) if s.endswith("news/embeds.js")]


@pytest.mark.django_db
def test_a_closed_blog_allows_only_the_networks_its_entries_show(client, home):
    blog = LiveBlogPageFactory(parent=home, title="Итоги месяца", slug="mesyac", is_closed=True)
    LiveBlogEntryFactory(page=blog, body="<p>Пост ведомства.</p>", embed_url=TELEGRAM_URL)
    response = client.get(blog.url)
    assert csp(response)["script-src"] == ["'self'", "https://telegram.org"]


@pytest.mark.django_db
@override_settings(POLOSA_EMBED_PROVIDERS=["youtube.com", "t.me"])
def test_an_open_blog_allows_only_the_networks_switched_on(client, home):
    blog = LiveBlogPageFactory(parent=home, title="Пресс-конференция", slug="press")
    response = client.get(blog.url)
    assert csp(response)["script-src"] == ["'self'", "https://telegram.org"]


@pytest.mark.django_db
def test_a_vk_wall_post_is_accepted_and_a_channel_link_is_refused_in_words(home):
    blog = LiveBlogPageFactory(parent=home, title="Выборы", slug="vybory")
    LiveBlogEntryFactory.build(page=blog, body="<p>Пост.</p>", embed_url=VK_URL).full_clean()
    with pytest.raises(ValidationError) as refused:
        LiveBlogEntryFactory.build(
            page=blog, body="<p>Канал.</p>", embed_url="https://t.me/polosa_demo"
        ).full_clean()
    assert "https://t.me/channel/123" in str(refused.value)


@pytest.mark.django_db
def test_a_video_link_still_gets_its_player(client, home):
    blog = LiveBlogPageFactory(parent=home, title="Трансляция", slug="video")
    entry = LiveBlogEntryFactory(page=blog, body="<p>Видео.</p>", embed_url="https://youtu.be/dQw4w9WgXcQ")
    assert entry.post is None
    soup = BeautifulSoup(client.get(blog.url).content, "html.parser")
    assert (
        soup.select_one(f"#{entry.anchor} iframe")["src"]
        == "https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"
    )
