"""The live-blog page: rendered whole on the server, structured data, caching while open and closed."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from polosa.caching import CACHE_HEADER
from polosa.live.models import LiveBlogEvent
from polosa.news.tests.factories import AuthorFactory
from testsupport import clear_cache

from .factories import LiveBlogEntryFactory, LiveBlogPageFactory

# Cold render of a blog with four entries, the feed column and the sidebar widgets of other apps.
BLOG_QUERY_BUDGET = 15
# The breaking-news banner above every page (polosa.newsroom) adds one.
BLOG_QUERY_BUDGET += 1
# The feed column's «Онлайн» rows of open live blogs: the blogs and their view restrictions.
BLOG_QUERY_BUDGET += 2


@pytest.fixture
def blog(home):
    return LiveBlogPageFactory(parent=home, title="Заседание по ключевой ставке", slug="rate-decision")


@pytest.fixture
def entries(blog):
    now = timezone.now()
    author = AuthorFactory(name="Анна Полевая", slug="anna-polevaya")
    return [
        LiveBlogEntryFactory(
            page=blog,
            body="<p>Совет директоров собрался в девять утра.</p>",
            posted_at=now - timedelta(hours=1),
        ),
        LiveBlogEntryFactory(
            page=blog,
            body="<p>Ставка снижена на один пункт.</p>",
            posted_at=now - timedelta(minutes=20),
            is_key_event=True,
            author=author,
        ),
        LiveBlogEntryFactory(
            page=blog,
            body="",
            quote="Инфляция замедляется быстрее прогноза",
            quote_source="председатель совета",
            posted_at=now - timedelta(minutes=5),
        ),
        LiveBlogEntryFactory(
            page=blog,
            body="<p>Итоги дня подведём в 17:00.</p>",
            posted_at=now - timedelta(hours=2),
            is_pinned=True,
        ),
    ]


def soup_of(response):
    return BeautifulSoup(response.content, "html.parser")


def test_every_entry_is_in_the_first_render_with_its_own_anchor(client, blog, entries):
    response = client.get(blog.url)
    assert response.status_code == 200
    page = soup_of(response)
    rendered = page.select("article.live-entry")
    order = [entries[3], entries[2], entries[1], entries[0]]
    assert [a["id"] for a in rendered] == [f"entry-{e.pk}" for e in order]
    for article, entry in zip(rendered, order, strict=True):
        assert article.select_one(".live-entry__time")["href"] == f"#entry-{entry.pk}"
    assert "Совет директоров собрался" in rendered[3].get_text()
    assert page.select_one("blockquote").get_text(strip=True) == "Инфляция замедляется быстрее прогноза"
    key = page.select(".live-blog__key a")
    assert [a["href"] for a in key] == [f"#entry-{entries[1].pk}"]
    assert page.select_one("h1").get_text(strip=True) == "Заседание по ключевой ставке"


def test_open_blog_carries_the_stream_starting_point(client, blog, entries):
    root = soup_of(client.get(blog.url)).select_one("[data-live-blog]")
    assert root["data-events-url"] == f"/_util/live/{blog.pk}/events/"
    assert root["data-updates-url"] == f"/_util/live/{blog.pk}/updates/"
    assert int(root["data-last-event"]) == LiveBlogEvent.objects.latest("pk").pk


def test_live_blog_posting_structured_data(client, blog, entries):
    page = soup_of(client.get(blog.url))
    data = [json.loads(s.string) for s in page.find_all("script", type="application/ld+json")]
    posting = next(d for d in data if d["@type"] == "LiveBlogPosting")
    assert posting["headline"] == "Заседание по ключевой ставке"
    assert posting["url"].endswith("/rate-decision/")
    assert "coverageStartTime" in posting
    assert "coverageEndTime" not in posting
    updates = posting["liveBlogUpdate"]
    assert [u["url"].rsplit("#", 1)[1] for u in updates] == [
        f"entry-{e.pk}" for e in (entries[2], entries[1], entries[0], entries[3])
    ]
    assert updates[1]["@type"] == "BlogPosting"
    assert updates[1]["articleBody"] == "Ставка снижена на один пункт."
    assert updates[1]["author"]["name"] == "Анна Полевая"
    assert updates[0]["headline"] == "Инфляция замедляется быстрее прогноза"


def test_closed_blog_is_a_cached_page_without_the_stream(client, blog, entries):
    blog.is_closed = True
    blog.save_revision().publish()
    first = client.get(blog.url)
    second = client.get(blog.url)
    assert (first[CACHE_HEADER], second[CACHE_HEADER]) == ("miss", "hit")
    page = soup_of(second)
    assert page.select_one("[data-live-blog]") is None
    assert not any("live.js" in (s.get("src") or "") for s in page.find_all("script"))
    posting = next(
        d
        for d in (json.loads(s.string) for s in page.find_all("script", type="application/ld+json"))
        if d["@type"] == "LiveBlogPosting"
    )
    assert "coverageEndTime" in posting


def test_open_blog_is_cached_until_an_entry_changes(client, blog, entries):
    assert client.get(blog.url)[CACHE_HEADER] == "miss"
    assert client.get(blog.url)[CACHE_HEADER] == "hit"
    entries[0].body = "<p>Совет директоров собрался в десять утра.</p>"
    entries[0].save()
    response = client.get(blog.url)
    assert response[CACHE_HEADER] == "miss"
    assert "в десять утра" in response.content.decode()
    entries[1].delete()
    response = client.get(blog.url)
    assert response[CACHE_HEADER] == "miss"
    assert f"entry-{entries[1].pk}" not in response.content.decode()


def test_hostile_entry_html_never_reaches_the_page(client, blog):
    LiveBlogEntryFactory(
        page=blog, body='<p>Текст<script>alert("x")</script><a href="javascript:go()">и</a></p>'
    )
    html = client.get(blog.url).content.decode()
    body = html.split('class="live-blog"', 1)[1]
    assert "<script>alert" not in body
    assert "javascript:" not in body


def test_live_blog_query_budget(client, blog, entries, django_assert_max_num_queries):
    clear_cache()
    with django_assert_max_num_queries(BLOG_QUERY_BUDGET):
        response = client.get(blog.url)
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_duty_editor_publishes_a_live_blog_whose_address_comes_from_its_russian_headline(client, home):
    from django.urls import reverse

    from polosa.live.models import LiveBlogPage
    from polosa.newsroom import roles
    from polosa.newsroom.tests.factories import UserFactory

    from .admin_forms import live_blog_form

    roles.ensure_roles()
    client.force_login(UserFactory(role=roles.DUTY_EDITOR))
    url = reverse("wagtailadmin_pages:add", args=("live", "liveblogpage", home.pk))
    response = client.post(url, live_blog_form("Наводнение в Приморье", **{"action-publish": "1"}))
    assert response.status_code == 302
    blog = LiveBlogPage.objects.get(title="Наводнение в Приморье")
    assert blog.live
    assert blog.slug == "navodnenie-v-primore"
