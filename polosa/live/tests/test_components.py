"""The "Прямой эфир" block on the front page and beside articles, and the admin's allow-list."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from polosa.caching import CACHE_HEADER, recording
from polosa.live.components import render_broadcast
from polosa.live.models import LiveBroadcast

from .factories import LiveBroadcastFactory, on_air_window

pytestmark = pytest.mark.django_db


def player_of(response):
    return BeautifulSoup(response.content, "html.parser").select_one("[data-live-player]")


def test_block_shows_on_the_front_page_and_beside_articles_while_on_air(client, home, article_factory):
    article = article_factory()
    broadcast = LiveBroadcastFactory(title="Вечерний выпуск")
    on_air_window(broadcast)
    for url in (home.url, article.url):
        player = player_of(client.get(url))
        assert player is not None, url
        assert player["data-stream"] == broadcast.stream_url
        assert player["data-hls-script"].endswith("live/vendor/hls.min.js")
        start = player.select_one("a[data-live-start]")
        assert start["href"] == broadcast.stream_url  # without JavaScript the link opens the stream
        assert "Вечерний выпуск" in start.get_text()
        error = player.select_one("[data-live-error]")
        assert error.has_attr("hidden")
        assert "Не удалось" in error.get_text() or "не удаётся" in error.get_text().lower()
        assert error.select_one("button[data-live-retry]").get_text(strip=True) == "Повторить"


def test_no_block_off_air_and_the_page_expires_when_the_broadcast_starts(client, home, rf):
    broadcast = LiveBroadcastFactory()
    window = on_air_window(broadcast, timedelta(minutes=10), timedelta(hours=1))
    assert player_of(client.get(home.url)) is None
    # The page records the window's start as its expiry (the page cache keeps it no longer), and while
    # on air, the window's end.
    with recording() as recorder:
        assert render_broadcast("home") == ""
    assert recorder.expires_at == window.starts_at
    with time_machine.travel(window.starts_at + timedelta(seconds=1), tick=False), recording() as recorder:
        assert "data-live-player" in render_broadcast("home")
    assert recorder.expires_at == window.ends_at


def test_editing_the_schedule_shows_the_block_at_once(client, home):
    broadcast = LiveBroadcastFactory()
    assert player_of(client.get(home.url)) is None
    assert client.get(home.url)[CACHE_HEADER] == "hit"
    on_air_window(broadcast)
    assert player_of(client.get(home.url)) is not None


def test_embedded_player_broadcast_uses_the_providers_player(client, home):
    broadcast = LiveBroadcastFactory(stream_url="", embed_url="https://rutube.ru/video/" + "b" * 32 + "/")
    on_air_window(broadcast)
    player = player_of(client.get(home.url))
    assert player["data-embed"] == "https://rutube.ru/play/embed/" + "b" * 32
    assert not player.has_attr("data-stream")


def test_stream_hosts_are_allowed_by_the_content_security_policy(client, home):
    policy = client.get(home.url)["Content-Security-Policy"]
    media = next(d for d in policy.split(";") if d.strip().startswith("media-src"))
    assert "https://*.cdnvideo.ru" in media


def admin_form(**overrides):
    data = {
        "title": "Эфир",
        "stream_url": "",
        "embed_url": "",
        "is_enabled": "on",
        "windows-TOTAL_FORMS": "1",
        "windows-INITIAL_FORMS": "0",
        "windows-MIN_NUM_FORMS": "0",
        "windows-MAX_NUM_FORMS": "1000",
        "windows-0-starts_at": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "windows-0-ends_at": (timezone.localtime() + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M"),
        "windows-0-ORDER": "1",
        "windows-0-id": "",
    }
    data.update(overrides)
    return data


def test_admin_refuses_a_stream_outside_the_allow_list_with_a_clear_message(admin_client, home):
    url = reverse("wagtailsnippets_live_livebroadcast:add")
    response = admin_client.post(url, admin_form(stream_url="http://evil.example.com/live.m3u8"))
    assert response.status_code == 200
    assert not LiveBroadcast.objects.exists()
    text = response.content.decode()
    assert "https" in text
    assert "cdnvideo.ru" in text


def test_admin_saves_an_allowed_stream(admin_client, home):
    url = reverse("wagtailsnippets_live_livebroadcast:add")
    response = admin_client.post(url, admin_form(stream_url="https://live.cdnvideo.ru/polosa/index.m3u8"))
    assert response.status_code == 302
    broadcast = LiveBroadcast.objects.get()
    assert broadcast.windows.count() == 1


def test_editors_forms_open(admin_client, home):
    from .factories import LiveBlogEntryFactory, LiveBlogPageFactory

    entry = LiveBlogEntryFactory(page=LiveBlogPageFactory(parent=home))
    urls = [
        reverse("wagtailsnippets_live_livebroadcast:add"),
        reverse("wagtailsnippets_live_liveblogentry:add"),
        reverse("wagtailsnippets_live_liveblogentry:edit", args=[entry.pk]),
        reverse("wagtailsnippets_live_liveblogentry:list"),
        reverse("wagtailadmin_pages:add", args=["live", "liveblogpage", home.pk]),
        reverse("wagtailadmin_pages:edit", args=[entry.page_id]),
    ]
    for url in urls:
        assert admin_client.get(url).status_code == 200, url


def test_a_live_blogs_editor_offers_a_new_entry_prefilled_with_the_blog(admin_client, home):
    from .factories import LiveBlogPageFactory

    blog = LiveBlogPageFactory(parent=home)
    other = LiveBlogPageFactory(parent=home)
    add = reverse("wagtailsnippets_live_liveblogentry:add")

    header = admin_client.get(reverse("wagtailadmin_pages:edit", args=[blog.pk])).content.decode()
    assert f"{add}?blog={blog.pk}" in header
    assert f"{reverse('wagtailsnippets_live_liveblogentry:list')}?page={blog.pk}" in header

    form = BeautifulSoup(admin_client.get(add, {"blog": blog.pk}).content, "html.parser")
    # The blog field is Wagtail's page chooser: a hidden input holding the chosen page's id.
    assert form.select_one('[name="page"]').get("value") == str(blog.pk)
    assert other.pk != blog.pk


def test_the_entry_form_ignores_a_blog_that_does_not_exist(admin_client, home):
    add = reverse("wagtailsnippets_live_liveblogentry:add")
    for bad in ("999999", "abc", ""):
        form = BeautifulSoup(admin_client.get(add, {"blog": bad}).content, "html.parser")
        assert not form.select_one('[name="page"]').get("value")


def test_other_pages_get_no_entry_buttons(admin_client, home):
    header = admin_client.get(reverse("wagtailadmin_pages:edit", args=[home.pk])).content.decode()
    assert "?blog=" not in header


def test_vendored_hls_js_has_no_source_map_reference():
    # The hashed static storage rewrites source-map references and fails on a missing map file.
    from pathlib import Path

    import polosa.live

    vendored = Path(polosa.live.__file__).parent / "static" / "live" / "vendor" / "hls.min.js"
    text = vendored.read_text()
    assert "sourceMappingURL" not in text[-500:]
    assert text.startswith("!function")
