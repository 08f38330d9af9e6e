"""Exact invalidation, page type by page type: warm the cache, change something, and the very next
anonymous GET shows the new state. Each test first proves the page was being served from the cache."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from polosa.caching.middleware import CACHE_HEADER
from polosa.news.models import ArticlePage, ArticleTag
from polosa.news.tests.factories import (
    AuthorFactory,
    PersonTagFactory,
    SectionPageFactory,
    StoryPageFactory,
    TagFactory,
)

pytestmark = pytest.mark.django_db

LISTINGS = ["home", "section", "story", "tag", "author", "news"]
EVERY_PAGE = ["home", "article", "section", "story", "story_index", "tag", "author", "news"]


@pytest.fixture
def world(home, section, story, story_index, article_factory):
    tag = PersonTagFactory(name="Иван Проверкин")
    author = AuthorFactory(name="Мария Корректорова")
    business = SectionPageFactory(parent=home, title="Бизнес", slug="business")
    article = article_factory(
        title="Правительство обсудило бюджет",
        story=story,
        tags=[tag],
        authors=[author],
        published_at=timezone.now() - timedelta(minutes=10),
    )
    # Published the way the newsroom does, so the listings it is in are remembered (AffectedKeys).
    article.save_revision().publish()
    urls = {
        "home": home.url,
        "article": article.url,
        "section": section.url,
        "story": story.url,
        "story_index": story_index.url,
        "tag": tag.get_absolute_url(),
        "author": author.get_absolute_url(),
        "news": "/news/",
    }
    return {
        "urls": urls,
        "article": article,
        "tag": tag,
        "author": author,
        "section": section,
        "business": business,
        "story": story,
        "story_index": story_index,
        "home": home,
        "article_factory": article_factory,
    }


def warm(client, url):
    first = client.get(url)
    assert first.status_code == 200, url
    assert client.get(url)[CACHE_HEADER] == "hit", url


def main_text(response) -> str:
    """The page's own content, without the feed column beside it (which is on every page)."""
    return BeautifulSoup(response.content, "html.parser").select_one("main").get_text(" ")


def fresh(article) -> ArticlePage:
    return ArticlePage.objects.get(pk=article.pk)


@pytest.mark.parametrize("page", LISTINGS)
def test_publishing_a_new_article_shows_it_at_once(client, world, page):
    url = world["urls"][page]
    warm(client, url)
    new = world["article_factory"](
        title="Срочно: ставка снижена", live=False, story=world["story"], tags=[world["tag"]]
    )
    new.authors.set([world["author"]])
    new.save_revision().publish()
    response = client.get(url)
    assert response[CACHE_HEADER] == "miss"
    assert "Срочно: ставка снижена" in main_text(response)


def test_publishing_a_new_article_updates_the_feed_column_beside_an_article(client, world):
    url = world["urls"]["article"]
    warm(client, url)
    world["article_factory"](title="Новость для колонки", live=False).save_revision().publish()
    aside = BeautifulSoup(client.get(url).content, "html.parser").select_one("aside").get_text(" ")
    assert "Новость для колонки" in aside


@pytest.mark.parametrize("page", ["home", "article", "section", "story", "tag", "author", "news"])
def test_a_published_headline_edit_shows_at_once(client, world, page):
    url = world["urls"][page]
    warm(client, url)
    article = fresh(world["article"])
    article.title = "Правительство утвердило бюджет"
    article.save_revision().publish()
    text = main_text(client.get(url))
    assert "Правительство утвердило бюджет" in text
    assert "Правительство обсудило бюджет" not in text


@pytest.mark.parametrize("page", ["article", "section", "story", "tag", "author"])
def test_an_edit_the_feed_column_does_not_show_still_reaches_the_listings(client, world, page):
    # The lead is not in the column, so the "feed" key stays; the listings' own keys must do the work.
    url = world["urls"][page]
    warm(client, url)
    article = fresh(world["article"])
    article.lead = "Новый лид, которого не было раньше."
    article.save_revision().publish()
    assert "Новый лид, которого не было раньше." in client.get(url).content.decode()


def test_a_draft_edit_changes_nothing_readers_see(client, world):
    url = world["urls"]["article"]
    warm(client, url)
    article = fresh(world["article"])
    article.title = "Черновой заголовок"
    article.save_revision()
    response = client.get(url)
    assert response[CACHE_HEADER] == "hit"
    assert "Черновой заголовок" not in response.content.decode()


@pytest.mark.parametrize("page", LISTINGS)
def test_unpublishing_removes_the_article_at_once(client, world, page):
    url = world["urls"][page]
    warm(client, url)
    fresh(world["article"]).unpublish()
    assert "Правительство обсудило бюджет" not in client.get(url).content.decode()


def test_an_unpublished_article_url_stops_answering_at_once(client, world):
    url = world["urls"]["article"]
    warm(client, url)
    fresh(world["article"]).unpublish()
    assert client.get(url).status_code == 410  # Gone (polosa.newsroom), not a stale copy


@pytest.mark.parametrize("page", LISTINGS)
def test_deleting_removes_the_article_at_once(client, world, page):
    url = world["urls"][page]
    warm(client, url)
    fresh(world["article"]).delete()
    assert "Правительство обсудило бюджет" not in client.get(url).content.decode()


def test_a_deleted_article_url_stops_answering_at_once(client, world):
    url = world["urls"]["article"]
    warm(client, url)
    fresh(world["article"]).delete()
    assert client.get(url).status_code == 404


def test_moving_an_article_updates_both_sections_and_both_urls(client, world):
    old_url, section_url = world["urls"]["article"], world["urls"]["section"]
    business_url = world["business"].url
    for url in (old_url, section_url, business_url):
        warm(client, url)
    fresh(world["article"]).move(world["business"], pos="last-child")
    moved = fresh(world["article"])
    # Not the stored page: Wagtail's automatic redirect now answers the old address.
    old = client.get(old_url)
    assert (old.status_code, old["Location"]) == (301, moved.url)
    assert "Правительство обсудило бюджет" in main_text(client.get(moved.url))
    assert "Правительство обсудило бюджет" not in main_text(client.get(section_url))
    assert "Правительство обсудило бюджет" in main_text(client.get(business_url))


def test_retagging_updates_the_tag_left_and_the_tag_joined(client, world):
    other = TagFactory(name="Налоги")
    old_url, new_url = world["urls"]["tag"], other.get_absolute_url()
    warm(client, old_url)
    warm(client, new_url)
    article = fresh(world["article"])
    article.tag_links = [ArticleTag(tag=other)]
    article.save_revision().publish()
    assert "Правительство обсудило бюджет" not in main_text(client.get(old_url))
    assert "Правительство обсудило бюджет" in main_text(client.get(new_url))


def test_changing_the_story_updates_the_story_left_and_the_story_joined(client, world):
    other = StoryPageFactory(parent=world["story_index"], title="Налоговая реформа")
    old_url, new_url = world["urls"]["story"], other.url
    warm(client, old_url)
    warm(client, new_url)
    article = fresh(world["article"])
    article.story = other
    article.save_revision().publish()
    assert "Правительство обсудило бюджет" not in main_text(client.get(old_url))
    assert "Правительство обсудило бюджет" in main_text(client.get(new_url))


@pytest.mark.parametrize("page", ["tag", "article", "home"])
def test_renaming_a_tag_shows_at_once(client, world, page):
    url = world["urls"][page]
    warm(client, url)
    tag = world["tag"]
    tag.name = "Иван Переименованный"
    tag.save()
    text = main_text(client.get(url))
    assert "Иван Переименованный" in text
    assert "Иван Проверкин" not in text


@pytest.mark.parametrize("page", ["author", "article"])
def test_renaming_an_author_shows_at_once(client, world, page):
    url = world["urls"][page]
    warm(client, url)
    author = world["author"]
    author.name = "Мария Редакторова"
    author.save()
    text = main_text(client.get(url))
    assert "Мария Редакторова" in text
    assert "Мария Корректорова" not in text


@pytest.mark.parametrize("page", ["story", "story_index", "article"])
def test_renaming_a_story_shows_at_once(client, world, page):
    url = world["urls"][page]
    warm(client, url)
    story = world["story"]
    story.title = "Бюджет на пять лет"
    story.save_revision().publish()
    assert "Бюджет на пять лет" in main_text(client.get(url))


@pytest.mark.parametrize("page", ["section", "article", "home"])
def test_renaming_a_section_shows_at_once(client, world, page):
    url = world["urls"][page]
    warm(client, url)
    section = world["section"]
    section.title = "Экономика и финансы"
    section.save_revision().publish()
    assert "Экономика и финансы" in client.get(url).content.decode()


def test_choosing_the_main_story_on_the_front_page_shows_at_once(client, world):
    older = world["article_factory"](
        title="Главная тема дня", published_at=timezone.now() - timedelta(hours=5)
    )
    warm(client, "/")
    home = world["home"].specific
    home.main_story = older
    home.save_revision().publish()
    soup = BeautifulSoup(client.get("/").content, "html.parser")
    assert "Главная тема дня" in soup.select_one(".front-top__main").get_text()


@pytest.mark.parametrize("page", EVERY_PAGE)
def test_a_cache_hit_touches_no_database(client, world, page, django_assert_num_queries):
    url = world["urls"][page]
    warm(client, url)
    with django_assert_num_queries(0):
        response = client.get(url)
    assert response[CACHE_HEADER] == "hit"
