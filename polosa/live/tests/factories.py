"""Factories for live content. Text here is written for the tests, not taken from any publication."""

from datetime import timedelta

import factory
import wagtail_factories
from django.utils import timezone

from polosa.live.models import BroadcastWindow, LiveBlogEntry, LiveBlogPage, LiveBroadcast


class LiveBlogPageFactory(wagtail_factories.PageFactory):
    title = factory.Sequence(lambda n: f"Онлайн-трансляция номер {n}")
    slug = factory.Sequence(lambda n: f"live-{n}")
    lead = "Следим за событиями дня в режиме реального времени."
    first_published_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = LiveBlogPage


class LiveBlogEntryFactory(factory.django.DjangoModelFactory):
    page = factory.SubFactory(LiveBlogPageFactory)
    body = factory.Sequence(lambda n: f"<p>Запись трансляции номер {n}: депутаты продолжают обсуждение.</p>")
    posted_at = factory.LazyFunction(timezone.now)

    class Meta:
        model = LiveBlogEntry


class LiveBroadcastFactory(factory.django.DjangoModelFactory):
    title = "Эфир телеканала"
    stream_url = "https://live.cdnvideo.ru/polosa/stream.m3u8"

    class Meta:
        model = LiveBroadcast


def on_air_window(broadcast, start=timedelta(hours=-1), end=timedelta(hours=1)):
    now = timezone.now()
    return BroadcastWindow.objects.create(broadcast=broadcast, starts_at=now + start, ends_at=now + end)
