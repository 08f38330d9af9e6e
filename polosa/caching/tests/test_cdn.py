"""A configured CDN is purged of exactly the pages that changed, once the change has committed."""

import logging
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from polosa.caching import conf
from polosa.caching.tests import fake_cdn
from polosa.news.models import ArticlePage
from polosa.news.tests.factories import AuthorFactory, PersonTagFactory, SectionPageFactory

pytestmark = pytest.mark.django_db

SITE = "http://news.test"
RECORDING = {"fake": {"BACKEND": "polosa.caching.tests.fake_cdn.RecordingBackend"}}


@pytest.fixture
def purged():
    fake_cdn.purged.clear()
    with override_settings(WAGTAILFRONTENDCACHE=RECORDING, SITE_URL=SITE):
        yield fake_cdn.purged
    fake_cdn.purged.clear()


@pytest.fixture
def story_article(article_factory, story):
    tag = PersonTagFactory()
    author = AuthorFactory()
    article = article_factory(
        live=False,
        story=story,
        tags=[tag],
        authors=[author],
        published_at=timezone.now() - timedelta(hours=1),
    )
    return article, tag, author


def paths(urls):
    return {url.split("://", 1)[1].split("/", 1)[1] for url in urls}


def test_publishing_purges_the_article_and_every_listing_that_shows_it(
    purged, story_article, section, story, django_capture_on_commit_callbacks
):
    article, tag, author = story_article
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    found = paths(purged)
    for url in (
        article.url,
        section.url,
        story.url,
        tag.get_absolute_url(),
        author.get_absolute_url(),
        "/news/",
        "/",
    ):
        assert url.lstrip("/") in found, url
    # Pages whose only change is the feed column are left to expire, not purged one by one.
    assert not any(p.startswith("stories/") and p != story.url.lstrip("/") for p in found)


def test_an_unpublished_article_is_purged(purged, article_factory, django_capture_on_commit_callbacks):
    article = article_factory()
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).unpublish()
    assert article.url.lstrip("/") in paths(purged)


def test_a_deleted_article_is_purged(purged, article_factory, django_capture_on_commit_callbacks):
    article = article_factory()
    url = article.url
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).delete()
    assert url.lstrip("/") in paths(purged)


def test_a_moved_article_is_purged_at_its_old_and_new_address(
    purged, article_factory, home, django_capture_on_commit_callbacks
):
    business = SectionPageFactory(parent=home, slug="business")
    article = article_factory()
    old_url = article.url
    with django_capture_on_commit_callbacks(execute=True):
        ArticlePage.objects.get(pk=article.pk).move(business, pos="last-child")
    found = paths(purged)
    assert old_url.lstrip("/") in found
    assert ArticlePage.objects.get(pk=article.pk).url.lstrip("/") in found
    assert business.url.lstrip("/") in found


def test_renaming_a_tag_purges_its_page(purged, django_capture_on_commit_callbacks):
    tag = PersonTagFactory()
    purged.clear()
    tag.name = "Новое имя"
    with django_capture_on_commit_callbacks(execute=True):
        tag.save()
    page = tag.get_absolute_url().lstrip("/")
    assert paths(purged) == {page, f"rss/{page}"}  # its page and its RSS feed (syndication), nothing else


def test_urls_are_absolute_on_the_site_address(purged, article_factory, django_capture_on_commit_callbacks):
    article = article_factory(live=False)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert f"{SITE}/news/" in purged


def test_nothing_is_queued_without_a_backend(
    article_factory, django_capture_on_commit_callbacks, monkeypatch
):
    from polosa.caching import cdn

    queued = []
    monkeypatch.setattr(cdn, "urls_for_keys", lambda keys: queued.append(keys) or set())
    article = article_factory(live=False)
    with override_settings(WAGTAILFRONTENDCACHE={}), django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert queued == []


def test_an_unreachable_cdn_is_logged_and_the_publish_goes_through(
    article_factory, django_capture_on_commit_callbacks, caplog
):
    article = article_factory(live=False, title="Публикация при недоступной CDN")
    broken = {"broken": {"BACKEND": "polosa.caching.tests.fake_cdn.BrokenBackend"}}
    with (
        override_settings(WAGTAILFRONTENDCACHE=broken),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        article.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).live
    assert "purge_urls_from_cache_task state=FAILED" in caplog.text
    assert "CDN API unreachable" in caplog.text


# --- Configuration from the environment -------------------------------------------------------------


def test_no_backend_means_no_purging():
    assert conf.frontend_cache_backends("", lambda name: "") == {}


def test_cloudflare_is_configured_from_its_variables():
    env = {
        "CLOUDFLARE_BEARER_TOKEN": "tok",
        "CLOUDFLARE_ZONE_ID": "zone",
        "CDN_PURGE_HOSTNAMES": "a.ru, b.ru",
    }
    config = conf.frontend_cache_backends("cloudflare", lambda name: env.get(name, ""))
    assert config == {
        "default": {
            "BACKEND": "wagtail.contrib.frontend_cache.backends.CloudflareBackend",
            "BEARER_TOKEN": "tok",
            "ZONEID": "zone",
            "HOSTNAMES": ["a.ru", "b.ru"],
        }
    }


def test_a_backend_without_its_variables_fails_loudly():
    with pytest.raises(conf.MissingSetting, match="CDN_PURGE_LOCATION"):
        conf.frontend_cache_backends("http", lambda name: "")
    with pytest.raises(conf.MissingSetting, match="not one of"):
        conf.frontend_cache_backends("akamai", lambda name: "")


def test_a_dotted_path_names_any_backend():
    config = conf.frontend_cache_backends("my.cdn.Backend", lambda name: "")
    assert config == {"default": {"BACKEND": "my.cdn.Backend"}}


def test_a_resolver_registered_through_the_hook_names_urls_until_it_is_removed(caplog):
    from wagtail import hooks

    from polosa.caching import cdn

    def broken(keys):
        raise RuntimeError("resolver down")

    def podcasts(keys):
        return ["/podcasts/"] if "podcasts" in keys else []

    with (
        override_settings(SITE_URL=SITE),
        hooks.register_temporarily([(cdn.HOOK, broken), (cdn.HOOK, podcasts)]),
    ):
        assert cdn.urls_for_keys(["podcasts"]) == {f"{SITE}/podcasts/"}
        assert "resolver down" in caplog.text
    with override_settings(SITE_URL=SITE):
        assert cdn.urls_for_keys(["podcasts"]) == set()
