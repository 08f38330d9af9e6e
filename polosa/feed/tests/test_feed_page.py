"""The /news/ page: every published article newest first, filters, keyset pages, bad input."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from polosa.caching import CACHE_HEADER
from polosa.news import listings
from polosa.news.tests.factories import SectionPageFactory
from testsupport import clear_cache

pytestmark = pytest.mark.django_db

# Cold render of /news/ (nothing cached): view restrictions, sections, articles, site, menu, column.
NEWS_QUERY_BUDGET = 9
# polosa.promos reads event promos, special projects and partner markings once per promos version.
NEWS_QUERY_BUDGET += 3
# The breaking-news banner above every page (polosa.newsroom) adds one.
NEWS_QUERY_BUDGET += 1


def titles(response):
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text(" ", strip=True) for a in soup.select(".news-list .news-item__title")]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


@pytest.fixture
def sport(home):
    return SectionPageFactory(parent=home, title="Спорт", slug="sport")


def test_lists_published_articles_newest_first_by_first_publication(client, article_factory):
    now = timezone.now()
    article_factory(title="Вторая", published_at=now - timedelta(minutes=10))
    article_factory(title="Первая", published_at=now - timedelta(minutes=20))
    article_factory(title="Третья", published_at=now - timedelta(minutes=1))
    article_factory(title="Черновик", live=False, published_at=None)
    assert titles(client.get("/news/")) == ["Третья", "Вторая", "Первая"]


def test_equal_times_are_ordered_by_id_and_never_lost_between_pages(client, article_factory, monkeypatch):
    monkeypatch.setattr("polosa.feed.views.NEWS_PAGE_SIZE", 2)
    moment = timezone.now() - timedelta(hours=1)
    made = [article_factory(title=f"Одновременно {n}", published_at=moment) for n in range(5)]
    seen, url = [], "/news/"
    while url:
        soup = soup_of(client.get(url))
        seen += [a.get_text(strip=True) for a in soup.select(".news-item__title")]
        more = soup.select_one("[data-load-more]")
        url = "/news/" + more["href"] if more else None
    assert seen == [a.title for a in sorted(made, key=lambda a: -a.pk)]


def test_page_shows_time_rubric_and_day_heading_in_moscow_time(client, article_factory):
    # 21:30 UTC is 00:30 the next day in Moscow: the heading must say the Moscow day.
    article_factory(title="После полуночи", published_at=datetime(2026, 11, 24, 21, 30, tzinfo=UTC))
    soup = soup_of(client.get("/news/"))
    assert soup.select_one(".news-list__day").get_text(strip=True) == "25 ноября 2026"
    item = soup.select_one(".news-item")
    assert item.find("time").get_text() == "00:30"
    assert item.find("time")["datetime"] == "2026-11-25T00:30:00+03:00"
    assert item.select_one(".news-item__rubric").get_text() == "Экономика"


def test_section_filter(client, article_factory, sport):
    article_factory(title="Про экономику")
    article_factory(parent=sport, title="Про спорт")
    response = client.get("/news/?section=sport")
    assert titles(response) == ["Про спорт"]
    soup = soup_of(response)
    assert soup.title.get_text().startswith("Лента новостей: Спорт")
    assert soup.select_one("#news-section option[selected]")["value"] == "sport"


def test_day_filter_uses_the_newsroom_day(client, article_factory):
    article_factory(title="Поздно вечером 24-го", published_at=datetime(2026, 11, 24, 20, 59, tzinfo=UTC))
    article_factory(title="Сразу после полуночи", published_at=datetime(2026, 11, 24, 21, 0, tzinfo=UTC))
    article_factory(title="Вечером 25-го", published_at=datetime(2026, 11, 25, 20, 0, tzinfo=UTC))
    assert titles(client.get("/news/?date=2026-11-25")) == ["Вечером 25-го", "Сразу после полуночи"]
    assert titles(client.get("/news/?date=2026-11-24")) == ["Поздно вечером 24-го"]
    soup = soup_of(client.get("/news/?date=2026-11-24"))
    assert "24 ноября 2026" in soup.h1.get_text()
    assert soup.select_one(".day-nav a[rel=prev]")["href"] == "?date=2026-11-23"


def test_section_and_day_filters_combine_and_pagination_keeps_them(
    client, article_factory, sport, monkeypatch
):
    monkeypatch.setattr("polosa.feed.views.NEWS_PAGE_SIZE", 1)
    day = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    article_factory(parent=sport, title="Спорт утром", published_at=day)
    article_factory(parent=sport, title="Спорт днем", published_at=day + timedelta(hours=3))
    article_factory(title="Экономика днем", published_at=day + timedelta(hours=2))
    first = soup_of(client.get("/news/?section=sport&date=2026-11-20"))
    assert [a.get_text(strip=True) for a in first.select(".news-item__title")] == ["Спорт днем"]
    more = first.select_one("[data-load-more]")["href"]
    assert more.startswith("?section=sport&date=2026-11-20&after=")
    assert titles(client.get("/news/" + more)) == ["Спорт утром"]


def test_empty_day_says_so(client, article_factory):
    article_factory()
    soup = soup_of(client.get("/news/?date=2030-01-01"))
    assert "не было новостей" in soup.select_one(".empty").get_text()


@pytest.mark.parametrize(
    "query",
    [
        "section=no-such-section",
        "section=%00",
        "section=" + "x" * 5000,
        "date=2026-13-45",
        "date=yesterday",
        "date=20261125",
        "date=0001-01-01",
        "date=9999-12-31",
        "date=2026-11-25T10:00",
        "date=%D0%B2%D1%87%D0%B5%D1%80%D0%B0",
    ],
)
def test_bad_filters_answer_404_never_500(client, article_factory, query):
    article_factory()
    response = client.get(f"/news/?{query}")
    assert response.status_code == 404
    assert "Страница не найдена" in response.content.decode()


def test_empty_filters_show_the_unfiltered_feed(client, article_factory):
    article_factory(title="Новость")
    assert titles(client.get("/news/?section=&date=")) == ["Новость"]


@pytest.mark.parametrize("cursor", ["garbage", "1.2", "A" * 300])
def test_tampered_cursor_is_a_readable_400(client, article_factory, cursor):
    article_factory()
    response = client.get("/news/", {"after": cursor})
    assert response.status_code == 400
    assert "Ссылка повреждена" in response.content.decode()


def test_cursor_edited_after_signing_is_refused(client, article_factory):
    article = article_factory()
    cursor = listings.make_cursor(article.published_at, article.pk)
    value, signature = cursor.rsplit(":", 1)
    forged = f"{value[:-1]}{int(value[-1]) + 1 if value[-1] != '9' else 0}:{signature}"
    assert client.get("/news/", {"after": forged}).status_code == 400
    assert client.get("/news/", {"after": cursor}).status_code == 200


def test_later_pages_are_not_indexed_and_have_a_canonical_first_page(client, article_factory, monkeypatch):
    monkeypatch.setattr("polosa.feed.views.NEWS_PAGE_SIZE", 1)
    article_factory()
    article_factory()
    first = soup_of(client.get("/news/"))
    assert first.find("link", rel="canonical")["href"] == "http://127.0.0.1:8000/news/"
    assert first.find("meta", attrs={"name": "robots"}) is None
    second = soup_of(client.get("/news/" + first.select_one("[data-load-more]")["href"]))
    assert second.find("meta", attrs={"name": "robots"})["content"] == "noindex, follow"


def test_breadcrumbs_and_title(client, article_factory):
    article_factory()
    soup = soup_of(client.get("/news/?section=economics"))
    crumbs = [li.get_text(strip=True) for li in soup.select(".breadcrumbs li")]
    assert crumbs == ["Главная", "Лента новостей", "Экономика"]
    assert soup.title.get_text() == "Лента новостей: Экономика — Полоса"


def test_query_budget_of_a_cold_render(client, article_factory, sport, django_assert_max_num_queries):
    for n in range(40):
        article_factory(parent=sport if n % 2 else None, title=f"Новость {n}")
    for url in ("/news/", "/news/?section=sport", "/news/?date=" + timezone.localdate().isoformat()):
        clear_cache()
        with django_assert_max_num_queries(NEWS_QUERY_BUDGET):
            assert client.get(url).status_code == 200


def test_is_cached_and_shows_a_publish_on_the_very_next_request(client, article_factory, section):
    article_factory(title="Давняя новость")
    assert client.get("/news/")[CACHE_HEADER] == "miss"
    assert client.get("/news/")[CACHE_HEADER] == "hit"
    fresh = article_factory(title="Свежая новость", live=False)
    fresh.save_revision().publish()
    response = client.get("/news/")
    assert response[CACHE_HEADER] == "miss"
    assert titles(response)[0] == "Свежая новость"
    fresh.refresh_from_db()
    fresh.unpublish()
    assert "Свежая новость" not in titles(client.get("/news/"))


def test_news_page_is_the_feed_itself_without_a_second_feed_column(client, article_factory):
    article = article_factory(title="Новость в ленте")
    page = soup_of(client.get("/news/"))
    assert page.select("[data-feed-column]") == []
    assert [h.get_text(strip=True) for h in page.select("h1, h2") if "Лента новостей" in h.get_text()] == [
        "Лента новостей"
    ]
    # Every other page keeps the column.
    assert soup_of(client.get(article.url)).select("[data-feed-column]")
