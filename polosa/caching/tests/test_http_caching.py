"""What browsers and CDNs see: validators, 304s from the cache, Cache-Control, and who is never cached."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.http import HttpResponse
from django.test import RequestFactory, override_settings

from polosa.caching import depends_on, do_not_cache
from polosa.caching.middleware import CACHE_HEADER, PageCacheMiddleware

pytestmark = pytest.mark.django_db


def test_a_stored_page_carries_validators_and_cdn_cache_control(client, article_factory):
    article = article_factory()
    response = client.get(article.url)
    assert response[CACHE_HEADER] == "miss"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    cache_control = response["Cache-Control"]
    for part in ("public", "max-age=0", "s-maxage=", "stale-while-revalidate=", "stale-if-error="):
        assert part in cache_control
    hit = client.get(article.url)
    assert (hit["ETag"], hit["Cache-Control"]) == (response["ETag"], cache_control)


# Midday in Moscow: far from the midnight cut-off that shortens every entry (feed times turn "Вчера").
MOSCOW_NOON = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


@override_settings(POLOSA_CDN_MAX_AGE=300, POLOSA_STALE_WHILE_REVALIDATE=20, POLOSA_STALE_IF_ERROR=3600)
def test_cache_control_follows_the_settings(client, article_factory):
    with time_machine.travel(MOSCOW_NOON, tick=True):
        response = client.get(article_factory().url)
    assert "s-maxage=300" in response["Cache-Control"]
    assert "stale-while-revalidate=20" in response["Cache-Control"]
    assert "stale-if-error=3600" in response["Cache-Control"]


@override_settings(POLOSA_CDN_MAX_AGE=300)
def test_a_cdn_keeps_a_page_only_until_moscow_midnight(client, article_factory):
    # 23:58:20 in Moscow: the feed column's "21:52" must read "Вчера, 21:52" in 100 seconds.
    with time_machine.travel(datetime(2026, 11, 25, 20, 58, 20, tzinfo=UTC), tick=False):
        response = client.get(article_factory().url)
    assert "s-maxage=100," in response["Cache-Control"]


def test_if_none_match_is_answered_304_from_the_cache_without_queries(
    client, article_factory, django_assert_num_queries
):
    article = article_factory()
    etag = client.get(article.url)["ETag"]
    with django_assert_num_queries(0):
        response = client.get(article.url, headers={"if-none-match": etag})
    assert response.status_code == 304
    assert response.content == b""
    assert response[CACHE_HEADER] == "hit"
    assert response["ETag"] == etag


def test_if_modified_since_is_answered_304(client, article_factory):
    article = article_factory()
    last_modified = client.get(article.url)["Last-Modified"]
    response = client.get(article.url, headers={"if-modified-since": last_modified})
    assert response.status_code == 304


def test_a_changed_page_answers_200_to_the_old_etag(client, article_factory):
    article = article_factory(title="Старый заголовок статьи")
    etag = client.get(article.url)["ETag"]
    article.title = "Новый заголовок статьи"
    article.save_revision().publish()
    response = client.get(article.url, headers={"if-none-match": etag})
    assert response.status_code == 200
    assert response["ETag"] != etag
    assert "Новый заголовок статьи" in response.content.decode()


def test_a_fresh_render_also_answers_a_matching_etag_with_304(client, article_factory):
    # The page was evicted but renders to the same bytes: the reader's copy is still good.
    from django.core.cache import cache

    from polosa.caching.middleware import entry_key

    article = article_factory()
    etag = client.get(article.url)["ETag"]
    from polosa.caching import memory

    key = entry_key(RequestFactory().get(article.url))
    cache.delete(key)
    memory.tier().drop(key)
    response = client.get(article.url, headers={"if-none-match": etag})
    assert (response.status_code, response[CACHE_HEADER]) == (304, "miss")


def test_head_is_served_from_the_cache_with_the_length_of_the_page(client, article_factory):
    article = article_factory()
    body = client.get(article.url).content
    response = client.head(article.url)
    assert response[CACHE_HEADER] == "hit"
    assert response.content == b""
    assert response["Content-Length"] == str(len(body))


# --- Never cached ---------------------------------------------------------------------------------


def test_a_logged_in_editor_gets_a_private_page_and_nothing_is_stored(client, admin_user, article_factory):
    article = article_factory()
    client.force_login(admin_user)
    response = client.get(article.url)
    assert CACHE_HEADER not in response
    assert "private" in response["Cache-Control"]
    client.logout()
    assert client.get(article.url)[CACHE_HEADER] == "miss"


def test_an_editor_is_not_served_the_anonymous_copy(client, admin_user, article_factory):
    article = article_factory()
    client.get(article.url)
    client.get(article.url)
    client.force_login(admin_user)
    assert CACHE_HEADER not in client.get(article.url)


def test_a_preview_of_a_draft_is_neither_stored_nor_changes_what_readers_see(client, article_factory):
    article = article_factory(title="Опубликованный заголовок")
    client.get(article.url)
    article.title = "Черновик, которого читатели не видят"
    preview = article.make_preview_request()
    assert "Черновик, которого читатели не видят" in preview.content.decode()
    assert CACHE_HEADER not in preview
    live = client.get(article.url)
    assert live[CACHE_HEADER] == "hit"
    assert "Черновик" not in live.content.decode()


def test_post_is_never_answered_from_the_cache(client, article_factory):
    article = article_factory()
    client.get(article.url)
    response = client.post(article.url)
    assert CACHE_HEADER not in response


def _middleware(view):
    return PageCacheMiddleware(view)


def test_a_page_that_shows_a_message_is_not_stored():
    def view(request):
        depends_on("feed")
        messages.info(request, "Подписка оформлена")
        return HttpResponse("<p>page</p>")

    request = RequestFactory().get("/with-message/")
    request._messages = CookieStorage(request)
    response = _middleware(view)(request)
    assert CACHE_HEADER not in response
    again = RequestFactory().get("/with-message/")
    again._messages = CookieStorage(again)
    assert CACHE_HEADER not in _middleware(view)(again)


def test_a_request_carrying_a_messages_cookie_bypasses_the_cache(client, article_factory):
    article = article_factory()
    client.get(article.url)
    client.cookies["messages"] = "x"
    assert CACHE_HEADER not in client.get(article.url)


def test_a_personal_response_is_marked_private_and_not_stored():
    def view(request):
        depends_on("feed")
        do_not_cache("shows the reader's own settings")
        return HttpResponse("<p>yours</p>")

    response = _middleware(view)(RequestFactory().get("/personal/"))
    assert CACHE_HEADER not in response
    assert response["Cache-Control"] == "private, no-cache"


def test_a_preview_flag_on_the_request_keeps_the_response_out():
    def view(request):
        request.is_preview = True
        depends_on("feed")
        return HttpResponse("<p>preview</p>")

    assert CACHE_HEADER not in _middleware(view)(RequestFactory().get("/preview-like/"))
