"""Readers keep getting pages when Redis or the database fail, and nothing stale outlives the outage."""

import os
import uuid

import pytest
import redis
from django.core.cache import caches
from django.db import OperationalError
from django.test import override_settings

from polosa.caching import memory
from polosa.caching.models import PendingInvalidation
from polosa.caching.pages import CACHE_HEADER
from polosa.news.models import ArticlePage

pytestmark = pytest.mark.django_db

REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"


# --- The database -----------------------------------------------------------------------------------


@pytest.fixture
def database_down(monkeypatch):
    """Every article render fails the way a stopped PostgreSQL makes it fail."""

    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    def stop():
        monkeypatch.setattr(ArticlePage, "serve", refuse)

    return stop


def test_a_database_outage_serves_the_stored_copy_of_a_changed_page(client, article_factory, database_down):
    from polosa.caching import invalidate

    article = article_factory(title="Новость до аварии")
    stored = client.get(article.url)
    invalidate(f"page:{article.pk}")  # it changed; the database would have the new version
    database_down()
    client.raise_request_exception = False
    response = client.get(article.url)
    assert response.status_code == 200
    assert response[CACHE_HEADER] == "stale"
    assert response.content == stored.content


def test_without_a_stored_copy_readers_get_a_russian_temporarily_unavailable_page(
    client, article_factory, database_down
):
    article = article_factory()
    database_down()
    client.raise_request_exception = False
    response = client.get(article.url)
    assert response.status_code == 503
    assert response["Retry-After"]
    assert "no-store" in response["Cache-Control"]
    assert "временно недоступен" in response.content.decode()
    assert "Traceback" not in response.content.decode()


def test_a_stored_piece_fills_its_hole_while_the_database_is_down(client, article_factory, monkeypatch):
    from polosa.feed import queries

    article = article_factory(title="Остается на странице")
    stored = client.get(article.url)
    article_factory(title="Свежая новость", live=False).save_revision().publish()

    def refuse(*args, **kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(queries, "latest_items", refuse)
    client.raise_request_exception = False
    response = client.get(article.url)
    assert response.status_code == 200
    assert response.content == stored.content


def test_other_server_errors_are_still_a_500(client, article_factory, monkeypatch):
    article = article_factory()
    monkeypatch.setattr(ArticlePage, "serve", lambda *a, **k: 1 / 0)
    client.raise_request_exception = False
    assert client.get(article.url).status_code == 500


# --- Redis ------------------------------------------------------------------------------------------


class DeadClient:
    """What redis-py does while Redis is killed: every command is refused."""

    def __getattr__(self, name):
        def refuse(*args, **kwargs):
            raise redis.exceptions.ConnectionError(
                "Error 111 connecting to 127.0.0.1:6379. Connection refused."
            )

        return refuse


@pytest.fixture
def redis_cache(monkeypatch):
    """The site on a real Redis (its own key prefix), with a switch to kill and revive it."""
    settings = {
        "default": {
            "BACKEND": "polosa.caching.redis.PolosaRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"polosa-outage-{uuid.uuid4().hex[:8]}",
        }
    }
    # Django's test signals rebuild the cache handlers when CACHES is overridden.
    with override_settings(CACHES=settings):
        backend = caches["default"]
        try:
            backend.client().ping()
        except redis.exceptions.ConnectionError:
            if os.environ.get("REDIS_URL"):
                raise
            pytest.skip("no Redis on 127.0.0.1:6379 (the PostgreSQL + Redis run covers this)")
        monkeypatch.setattr("polosa.caching.redis.RETRY_SECONDS", 0)
        memory.reset()
        real = backend.client()

        class Switch:
            def kill(self):
                backend._client = DeadClient()

            def revive(self):
                backend._client = real

        yield Switch()
        backend._client = real
        backend.clear_prefixed()
    memory.reset()


def test_readers_keep_getting_pages_while_redis_is_down(client, article_factory, redis_cache, section):
    article = article_factory(title="Страница до отказа Redis")
    client.get(article.url)
    client.get(article.url)  # read again: now in this process's memory too
    redis_cache.kill()
    for url in (article.url, section.url, "/news/", "/"):
        response = client.get(url)
        assert response.status_code == 200, url
    # The page this process had is served from its local copy.
    assert client.get(article.url)[CACHE_HEADER] == "stale"


def test_beacons_and_the_editor_keep_working_while_redis_is_down(
    client, admin_user, article_factory, redis_cache
):
    article = article_factory()
    redis_cache.kill()
    assert client.post(f"/_util/read/{article.pk}/", HTTP_ORIGIN="http://testserver").status_code < 500
    client.force_login(admin_user)
    assert client.get(f"/admin/pages/{article.pk}/edit/").status_code == 200


def test_a_publish_during_the_outage_is_kept_and_shows_once_redis_is_back(
    client, article_factory, redis_cache, django_capture_on_commit_callbacks
):
    article = article_factory(title="Заголовок до отказа")
    client.get(article.url)
    redis_cache.kill()
    article.title = "Заголовок, исправленный во время отказа"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert PendingInvalidation.objects.exists()
    redis_cache.revive()
    response = client.get(article.url)
    assert "Заголовок, исправленный во время отказа" in response.content.decode()
    assert not PendingInvalidation.objects.exists()


def test_the_worker_replays_what_a_process_that_died_had_kept(redis_cache, article_factory, client):
    from polosa.caching import dependencies, tasks

    article = article_factory(title="Первый заголовок")
    client.get(article.url)
    assert client.get(article.url)[CACHE_HEADER] == "hit"
    PendingInvalidation.objects.create(keys=[f"page:{article.pk}"])
    dependencies._replay_due = False  # this process never saw the outage
    assert tasks.replay_missed_invalidations.call() == 1
    assert client.get(article.url)[CACHE_HEADER] == "miss"
