"""The news-feed column beside every page, its live refresh and the insert hook for other apps."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail import hooks

from polosa.caching import depends_on
from polosa.feed import inserts
from polosa.news.models import ArticlePage

pytestmark = pytest.mark.django_db

UPDATES = "/_util/feed/updates/"


def column(response):
    return BeautifulSoup(response.content, "html.parser").select_one("[data-feed-column]")


def column_titles(response):
    return [a.get_text(strip=True) for a in column(response).select(".feed-item__title")]


def test_column_title_links_to_the_feed_page(client, article_factory):
    article = article_factory()
    title = column(client.get(article.url)).select_one("#feed-column-title a")
    assert title["href"] == "/news/"
    assert title.get_text() == "Лента новостей"


def test_column_changes_on_publish_edit_and_unpublish(client, article_factory, section):
    page = article_factory(title="Страница, на которой смотрим ленту")
    assert column_titles(client.get(page.url)) == ["Страница, на которой смотрим ленту"]

    fresh = article_factory(title="Новость в черновике", live=False)
    fresh.save_revision().publish()
    assert column_titles(client.get(page.url))[0] == "Новость в черновике"

    fresh = ArticlePage.objects.get(pk=fresh.pk)
    fresh.title = "Новость с исправленным заголовком"
    fresh.save_revision().publish()
    assert column_titles(client.get(page.url))[0] == "Новость с исправленным заголовком"

    fresh.unpublish()
    assert column_titles(client.get(page.url)) == ["Страница, на которой смотрим ленту"]


def test_feed_times_turn_into_yesterday_at_moscow_midnight(client, article_factory):
    # Published at 23:50 Moscow time (20:50 UTC) on 25 November.
    with time_machine.travel(datetime(2026, 11, 25, 20, 55, tzinfo=UTC), tick=False):
        article = article_factory(
            title="Поздняя новость", published_at=datetime(2026, 11, 25, 20, 50, tzinfo=UTC)
        )
        before = column(client.get(article.url)).find("time").get_text()
    # Ten minutes later it is 00:05 on the 26th in Moscow, while UTC is still on the 25th. (Another
    # page: Redis expires the first page's entry at midnight by the real clock, not the travelled one.)
    with time_machine.travel(datetime(2026, 11, 25, 21, 5, tzinfo=UTC), tick=False):
        after = column(client.get("/")).find("time").get_text()
    assert before == "23:50"
    assert after == "вчера, 23:50"


def test_items_carry_their_stamp_for_the_live_refresh(client, article_factory):
    article = article_factory(published_at=datetime(2026, 11, 25, 12, 0, tzinfo=UTC))
    item = column(client.get(article.url)).select_one("[data-feed-item]")
    assert int(item["data-published"]) == int(article.published_at.timestamp() * 1_000_000)


def test_updates_answer_304_without_touching_the_database(client, article_factory, django_assert_num_queries):
    article = article_factory()
    etag = column(client.get(article.url))["data-feed-etag"]
    with django_assert_num_queries(0):
        response = client.get(UPDATES, {"since": "1"}, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response["Cache-Control"] == "no-cache"


def test_updates_after_a_publish_say_how_many_are_new(client, article_factory):
    article = article_factory(title="Уже в ленте", published_at=timezone.now() - timedelta(minutes=5))
    col = column(client.get(article.url))
    etag, since = col["data-feed-etag"], col.select_one("[data-feed-item]")["data-published"]
    for n in range(2):
        fresh = article_factory(title=f"Только что {n}", live=False)
        fresh.save_revision().publish()
    response = client.get(UPDATES, {"since": since}, HTTP_IF_NONE_MATCH=etag)
    assert response.status_code == 200
    assert response["ETag"] != etag
    data = json.loads(response.content)
    assert data["count"] == 2
    assert data["notice"] == "2 новые новости"
    assert data["announcement"] == "В ленте 2 новые новости"
    rows = BeautifulSoup(data["html"], "html.parser").select(".feed-item__title")
    assert [a.get_text() for a in rows] == ["Только что 1", "Только что 0", "Уже в ленте"]
    # The new validator answers 304 until the next change.
    assert client.get(UPDATES, {"since": since}, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304


def test_notice_uses_russian_plural_forms(client, article_factory):
    article_factory(published_at=timezone.now() - timedelta(hours=1))
    for n in range(5):
        article_factory(title=f"Новая {n}")
    since = int((timezone.now() - timedelta(minutes=30)).timestamp() * 1_000_000)
    assert json.loads(client.get(UPDATES, {"since": since}).content)["notice"] == "5 новых новостей"


@pytest.mark.parametrize("since", ["", "abc", "1e309", "-5", "9" * 400])
def test_updates_ignore_a_malformed_since(client, article_factory, since):
    article_factory()
    response = client.get(UPDATES, {"since": since})
    assert response.status_code == 200
    assert json.loads(response.content)["count"] in (0, 1)


def test_updates_accept_only_reads(client, db):
    assert client.post(UPDATES).status_code == 405


def test_updates_are_never_stored_by_the_page_cache(client, article_factory):
    article_factory()
    assert "X-Polosa-Cache" not in client.get(UPDATES)


# --- Insert hook ---------------------------------------------------------------------------------


@pytest.fixture
def partner_rows():
    """A fake provider like the one the promos app will register."""
    seen = []

    def provider(placement):
        seen.append(placement)
        depends_on("promo:1")
        html = render_to_string("feed/tests/promo_row.html", {"title": "Партнерский проект о вкладах"})
        yield inserts.FeedInsert(position=2, html=html, key="promo-1")

    with hooks.register_temporarily(inserts.HOOK, provider):
        yield seen


def test_inserts_are_placed_in_the_column_at_their_position(client, article_factory, partner_rows):
    now = timezone.now()
    for n in range(3):
        article = article_factory(title=f"Новость {n}", published_at=now - timedelta(minutes=n))
    rows = column(client.get(article.url)).select(".feed-column__list > li")
    assert [r.get("data-feed-insert") or r.a.get_text() for r in rows] == [
        "Новость 0",
        "promo-1",
        "Новость 1",
        "Новость 2",
    ]
    assert rows[1].get_text(" ", strip=True).startswith("Реклама")
    assert rows[1]["data-feed-insert"] == "promo-1"
    assert partner_rows[0].surface == inserts.COLUMN


def test_inserts_on_the_news_page_know_the_page_and_its_filters(client, article_factory, partner_rows):
    for n in range(3):
        article_factory(title=f"Новость {n}")
    soup = BeautifulSoup(client.get("/news/?section=economics").content, "html.parser")
    assert soup.select_one(".news-list [data-feed-insert]").get_text(strip=True).startswith("Реклама")
    placement = next(p for p in partner_rows if p.surface == inserts.PAGE)
    assert placement.section_slug == "economics"
    assert placement.first_page


def test_insert_dependencies_invalidate_the_column(client, article_factory, partner_rows):
    from polosa.caching import invalidate

    article = article_factory()
    client.get(article.url)
    calls = len(partner_rows)
    client.get(article.url)
    assert len(partner_rows) == calls  # the cached column was reused
    invalidate("promo:1")
    client.get(article.url)
    assert len(partner_rows) == calls + 1


def test_insert_rows_are_not_counted_as_new_items(client, article_factory, partner_rows):
    article_factory(published_at=timezone.now() - timedelta(hours=1))
    data = json.loads(client.get(UPDATES, {"since": 0}).content)
    assert data["count"] == 1
    assert "data-feed-insert" in data["html"]


def test_a_failing_provider_never_breaks_the_feed(client, article_factory, caplog):
    def broken(placement):
        raise RuntimeError("partner system is down")

    with hooks.register_temporarily(inserts.HOOK, broken):
        article = article_factory(title="Новость без рекламы")
        response = client.get(article.url)
    assert response.status_code == 200
    assert column_titles(response) == ["Новость без рекламы"]
    assert "partner system is down" in caplog.text


def test_plain_text_inserts_are_escaped():
    merged = inserts.merge(["a", "b"], [inserts.FeedInsert(position=1, html="<li>плохо</li>")])
    assert merged[0].render() == "&lt;li&gt;плохо&lt;/li&gt;"


def test_merge_positions_ties_and_rows_past_the_end():
    a, b, c = (inserts.FeedInsert(position=p, html="", key=k) for p, k in ((2, "a"), (2, "b"), (9, "c")))
    merged = inserts.merge([1, 2, 3], [a, b, c])
    assert [getattr(r, "key", r) for r in merged] == [1, "a", "b", 2, 3]
