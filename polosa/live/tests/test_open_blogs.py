"""An open онлайн-трансляция stands on the front page and in the feed column, marked «Онлайн»,
and leaves them when it is closed or unpublished, through the page cache."""

import pytest
from bs4 import BeautifulSoup

from polosa.caching import CACHE_HEADER
from polosa.live.models import LiveBlogPage

from .factories import LiveBlogPageFactory

pytestmark = pytest.mark.django_db


def live_rows(response):
    """(where, title) of every «Онлайн» row: the front page's strip and the feed column."""
    soup = BeautifulSoup(response.content, "html.parser")
    rows = []
    for where, selector in (
        ("home", ".live-now [data-live-blog-row]"),
        ("column", "[data-feed-column] [data-live-blog-row]"),
    ):
        for row in soup.select(selector):
            assert row.select_one(".mark-online").get_text(strip=True) == "Онлайн"
            title = row.select_one("a").get_text(" ", strip=True).removeprefix("Онлайн").strip()
            rows.append((where, title, row.select_one("a")["href"]))
    return rows


def republish(blog, **changes):
    blog = LiveBlogPage.objects.get(pk=blog.pk)
    for name, value in changes.items():
        setattr(blog, name, value)
    blog.save_revision().publish()
    return blog


def test_open_blog_stands_on_the_front_page_and_in_the_column_until_closed(client, home, article_factory):
    article = article_factory(title="Обычная новость")
    assert live_rows(client.get(home.url)) == []
    assert client.get(home.url)[CACHE_HEADER] == "hit"  # the front page is stored without live rows

    blog = republish(LiveBlogPageFactory(parent=home, title="Заседание ЦБ: онлайн-трансляция", live=False))
    front = client.get(home.url)
    assert live_rows(front) == [
        ("home", "Заседание ЦБ: онлайн-трансляция", blog.url),
        ("column", "Заседание ЦБ: онлайн-трансляция", blog.url),
    ]
    # First in the column, above the newest article.
    column = BeautifulSoup(front.content, "html.parser").select("[data-feed-column] .feed-item")
    assert "Онлайн" in column[0].get_text()
    assert "Обычная новость" in column[1].get_text()
    assert client.get(home.url)[CACHE_HEADER] == "hit"
    assert live_rows(client.get(article.url)) == [("column", "Заседание ЦБ: онлайн-трансляция", blog.url)]

    blog = republish(blog, title="Заседание ЦБ: итоги дня")
    assert [title for _, title, _ in live_rows(client.get(home.url))] == ["Заседание ЦБ: итоги дня"] * 2

    republish(blog, is_closed=True)
    assert live_rows(client.get(home.url)) == []
    assert live_rows(client.get(article.url)) == []
    # The closed blog is still a page of its own.
    assert client.get(blog.url).status_code == 200


def test_an_unpublished_blog_leaves_the_front_page(client, home):
    shown = LiveBlogPageFactory(parent=home, title="Открытая трансляция")
    hidden = LiveBlogPageFactory(parent=home, title="Снятая трансляция")
    assert {title for _, title, _ in live_rows(client.get(home.url))} == {
        "Открытая трансляция",
        "Снятая трансляция",
    }
    LiveBlogPage.objects.get(pk=hidden.pk).unpublish()
    assert {title for _, title, _ in live_rows(client.get(home.url))} == {shown.title}


def test_news_page_lists_articles_only(client, home, article_factory):
    article_factory()
    LiveBlogPageFactory(parent=home)
    html = client.get("/news/").content.decode()
    assert "data-live-blog-row" not in html
