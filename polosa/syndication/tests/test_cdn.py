"""Feeds and sitemaps are purged from a configured CDN together with the pages that changed."""

import pytest
from django.test import override_settings

from polosa.caching.tests import fake_cdn
from polosa.news.tests.factories import PersonTagFactory

pytestmark = pytest.mark.django_db

SITE = "http://news.test"
RECORDING = {"fake": {"BACKEND": "polosa.caching.tests.fake_cdn.RecordingBackend"}}


@pytest.fixture
def purged():
    fake_cdn.purged.clear()
    with override_settings(WAGTAILFRONTENDCACHE=RECORDING, SITE_URL=SITE):
        yield fake_cdn.purged
    fake_cdn.purged.clear()


def test_publishing_purges_the_feeds_and_sitemaps_that_list_the_article(
    purged, article_factory, section, django_capture_on_commit_callbacks
):
    tag = PersonTagFactory()
    article = article_factory(live=False, tags=[tag])
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    for path in (
        "/rss/",
        "/rss/yandex/",
        "/sitemap.xml",
        "/sitemap-news.xml",
        f"/rss/sections/{section.slug}/",
        f"/rss/tags/{tag.slug}/",
    ):
        assert SITE + path in purged, path


def test_feeds_of_untouched_tags_are_left_alone(purged, article_factory, django_capture_on_commit_callbacks):
    other = PersonTagFactory()
    article = article_factory(live=False)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert SITE + f"/rss/tags/{other.slug}/" not in purged
