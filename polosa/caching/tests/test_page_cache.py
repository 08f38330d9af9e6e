"""The page cache serves anonymous readers and never serves a page that changed since it was stored."""

import pytest
from bs4 import BeautifulSoup
from django.core.cache import cache
from django.test import RequestFactory

from polosa.caching import cached_fragment, depends_on, invalidate
from polosa.caching.dependencies import recording, still_valid
from polosa.caching.middleware import CACHE_HEADER, entry_key
from polosa.caching.tests import aio

pytestmark = pytest.mark.django_db


def test_anonymous_article_is_stored_then_served_from_cache(client, article_factory):
    article = article_factory(title="Первая версия заголовка")
    first = client.get(article.url)
    assert first[CACHE_HEADER] == "miss"
    second = client.get(article.url)
    assert second[CACHE_HEADER] == "hit"
    assert second.content == first.content


def test_publishing_an_edit_invalidates_the_article_at_once(client, article_factory):
    article = article_factory(title="Первая версия заголовка")
    client.get(article.url)
    article.title = "Исправленный заголовок"
    article.save_revision().publish()
    response = client.get(article.url)
    assert response[CACHE_HEADER] == "miss"
    assert "Исправленный заголовок" in response.content.decode()


def test_publishing_a_new_article_updates_the_feed_column_on_other_pages(client, article_factory, section):
    old = article_factory(title="Старая новость")
    client.get(old.url)
    new = article_factory(title="Только что вышло", live=False)
    new.save_revision().publish()
    assert "Только что вышло" in client.get(old.url).content.decode()


def test_unpublishing_removes_the_article_from_the_feed_column(client, article_factory):
    keep = article_factory(title="Остается в ленте")
    gone = article_factory(title="Снимается с публикации")
    assert "Снимается с публикации" in client.get(keep.url).content.decode()
    gone.unpublish()
    assert "Снимается с публикации" not in client.get(keep.url).content.decode()


def test_moving_an_article_to_another_section_updates_both_section_pages(
    client, article_factory, home, section
):
    from polosa.news.tests.factories import SectionPageFactory

    other = SectionPageFactory(parent=home, title="Бизнес", slug="business")

    def listed(page):
        soup = BeautifulSoup(client.get(page.url).content, "html.parser")
        return [a.get_text() for a in soup.select(".listing .card__title a")]

    article = article_factory(title="Новость о переезде")
    article.save_revision().publish()
    assert listed(section) == ["Новость о переезде"]
    assert listed(other) == []
    article.move(other, pos="last-child")
    assert listed(section) == []
    assert listed(other) == ["Новость о переезде"]


def test_editors_are_never_served_or_stored(client, admin_user, article_factory):
    article = article_factory()
    client.force_login(admin_user)
    response = client.get(article.url)
    assert CACHE_HEADER not in response
    client.logout()
    assert client.get(article.url)[CACHE_HEADER] == "miss"


def test_post_requests_bypass_the_cache(client, article_factory):
    article = article_factory()
    client.get(article.url)
    response = client.post(article.url)
    assert CACHE_HEADER not in response


def test_tracking_parameters_share_one_entry_but_real_parameters_do_not():
    factory = RequestFactory()
    plain = entry_key(factory.get("/economics/"))
    assert entry_key(factory.get("/economics/?utm_source=telegram&utm_medium=post")) == plain
    assert entry_key(factory.get("/economics/?after=abc")) != plain


def test_a_view_that_declares_nothing_is_not_stored(client, db):
    # The 404 page records nothing, and a 404 is never stored either.
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert CACHE_HEADER not in response


def test_versions_recorded_before_a_change_are_no_longer_valid():
    with recording() as recorder:
        depends_on("section:1", "feed")
    assert still_valid(recorder.versions)
    invalidate("feed")
    assert not still_valid(recorder.versions)


def test_an_evicted_version_invalidates_instead_of_being_trusted():
    with recording() as recorder:
        depends_on("story:5")
    cache.delete("dep:story:5")
    assert not still_valid(recorder.versions)


def test_fragment_is_rendered_once_until_its_key_changes():
    calls = []

    def render():
        depends_on("feed")
        calls.append(1)
        return f"<p>{len(calls)}</p>"

    assert cached_fragment("test-fragment", render) == "<p>1</p>"
    assert cached_fragment("test-fragment", render) == "<p>1</p>"
    invalidate("feed")
    assert cached_fragment("test-fragment", render) == "<p>2</p>"


def test_a_page_that_includes_a_fragment_depends_on_the_fragment_keys():
    def render():
        depends_on("feed")
        return "x"

    cached_fragment("column", render)  # stored outside any page
    with recording() as page:
        cached_fragment("column", render)  # reused inside a page
    assert "feed" in page.versions


def test_invalidation_is_repeated_after_the_transaction_commits(django_capture_on_commit_callbacks):
    from django.db import transaction

    from polosa.caching import invalidate_on_commit

    with recording() as recorder:
        depends_on("feed")
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        invalidate_on_commit("feed")
        # A render between the first invalidation and the commit records the newer version...
        with recording() as racing:
            depends_on("feed")
    assert not still_valid(recorder.versions)
    assert still_valid(racing.versions)
    assert len(callbacks) == 1
    callbacks[0]()
    # ...and the commit's invalidation makes that render stale as well.
    assert not still_valid(racing.versions)


@pytest.mark.django_db(transaction=True)
def test_the_cache_works_the_same_under_asgi(async_client, article_factory):
    from asgiref.sync import sync_to_async
    from django.db import connections

    url = article_factory(title="Проверка под ASGI").url

    async def two_requests():
        first = await async_client.get(url)
        second = await async_client.get(url)
        # The views ran in asgiref's shared thread, which keeps its connection open (the test client
        # does not close connections per request); left open, it stops PostgreSQL dropping the test
        # database at the end of the run.
        await sync_to_async(connections.close_all)()
        return first, second

    first, second = aio.run(two_requests())
    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("miss", "hit")
    assert second.content == first.content
