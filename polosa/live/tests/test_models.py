"""Broadcast allow-list and schedule, entry ordering and sanitising."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from polosa.live.models import LiveBlogEntry, LiveBroadcast, on_air

from .factories import LiveBlogEntryFactory, LiveBlogPageFactory, LiveBroadcastFactory, on_air_window


@pytest.mark.parametrize(
    "url",
    [
        "http://live.cdnvideo.ru/stream.m3u8",  # not https
        "https://evil.example.com/stream.m3u8",  # not on the list
        "https://cdnvideo.ru.evil.example/stream.m3u8",  # suffix trick
        "javascript:alert(1)",
    ],
)
def test_stream_outside_the_allow_list_is_refused(url):
    broadcast = LiveBroadcast(title="Эфир", stream_url=url)
    with pytest.raises(ValidationError) as error:
        broadcast.clean()
    assert "stream_url" in error.value.message_dict


def test_stream_on_an_allowed_host_passes():
    LiveBroadcast(title="Эфир", stream_url="https://edge1.live.cdnvideo.ru/a/playlist.m3u8").clean()


def test_embed_must_be_a_supported_provider_link():
    with pytest.raises(ValidationError) as error:
        LiveBroadcast(title="Эфир", embed_url="https://example.com/player").clean()
    assert "embed_url" in error.value.message_dict
    broadcast = LiveBroadcast(title="Эфир", embed_url="https://rutube.ru/video/" + "a" * 32 + "/")
    broadcast.clean()
    assert broadcast.player == "https://rutube.ru/play/embed/" + "a" * 32


def test_stream_and_embed_together_or_neither_are_refused():
    with pytest.raises(ValidationError):
        LiveBroadcast(title="Эфир").clean()
    with pytest.raises(ValidationError):
        LiveBroadcast(
            title="Эфир",
            stream_url="https://live.cdnvideo.ru/s.m3u8",
            embed_url="https://rutube.ru/video/" + "a" * 32 + "/",
        ).clean()


@pytest.mark.django_db
def test_on_air_follows_the_schedule_and_says_when_it_changes():
    now = timezone.now()
    broadcast = LiveBroadcastFactory()
    later = on_air_window(broadcast, timedelta(hours=2), timedelta(hours=3))
    assert on_air(now) == (None, later.starts_at)
    current = on_air_window(broadcast, timedelta(minutes=-5), timedelta(minutes=30))
    assert on_air(now) == (broadcast, current.ends_at)
    assert on_air(later.starts_at + timedelta(minutes=1)) == (broadcast, later.ends_at)
    assert on_air(later.ends_at) == (None, None)


@pytest.mark.django_db
def test_a_disabled_broadcast_is_never_on_air():
    broadcast = LiveBroadcastFactory(is_enabled=False)
    on_air_window(broadcast)
    assert on_air() == (None, None)


@pytest.mark.django_db
def test_entries_read_pinned_first_then_newest_first(home):
    blog = LiveBlogPageFactory(parent=home)
    now = timezone.now()
    old = LiveBlogEntryFactory(page=blog, posted_at=now - timedelta(minutes=30))
    new = LiveBlogEntryFactory(page=blog, posted_at=now - timedelta(minutes=1))
    pinned_old = LiveBlogEntryFactory(page=blog, posted_at=now - timedelta(hours=2), is_pinned=True)
    same_time = LiveBlogEntryFactory(page=blog, posted_at=new.posted_at)
    assert list(LiveBlogEntry.objects.published().filter(page=blog)) == [pinned_old, same_time, new, old]


@pytest.mark.django_db
def test_entries_of_an_unpublished_blog_are_not_published(home):
    blog = LiveBlogPageFactory(parent=home)
    LiveBlogEntryFactory(page=blog)
    blog.unpublish()
    assert not LiveBlogEntry.objects.published().exists()


@pytest.mark.django_db
def test_hostile_html_in_an_entry_is_cleaned_before_it_is_stored(home):
    entry = LiveBlogEntryFactory(
        page=LiveBlogPageFactory(parent=home),
        body='<p onclick="steal()">Текст<script>alert(1)</script> <a href="javascript:x()">ссылка</a></p>'
        '<iframe src="https://evil.example"></iframe><img src=x onerror=alert(1)>',
    )
    entry.refresh_from_db()
    assert "script" not in entry.body
    assert "onclick" not in entry.body
    assert "javascript:" not in entry.body
    assert "iframe" not in entry.body
    assert "onerror" not in entry.body
    assert "Текст" in entry.body


def test_an_entry_needs_some_content():
    with pytest.raises(ValidationError):
        LiveBlogEntry(page_id=1).clean()


def test_an_entry_embed_outside_the_providers_is_refused():
    with pytest.raises(ValidationError) as error:
        LiveBlogEntry(page_id=1, body="<p>x</p>", embed_url="https://evil.example/video").clean()
    assert "embed_url" in error.value.message_dict
