"""RSS 2.0 and Yandex News feeds, read back with feedparser as an aggregator would."""

from datetime import timedelta

import feedparser
import pytest
from defusedxml import ElementTree
from django.utils import timezone
from wagtail import hooks

from polosa.news import newsworthy
from polosa.news.tests.factories import AuthorFactory, SectionPageFactory, TagFactory
from testsupport import clear_cache

YANDEX = "{http://news.yandex.ru}"
MEDIA = "{http://search.yahoo.com/mrss/}"


def parse(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "rss20"
    return response, feed


@pytest.fixture
def articles(article_factory, home):
    sport = SectionPageFactory(parent=home, title="Спорт", slug="sport")
    tag = TagFactory(name="Хоккей", slug="hockey")
    now = timezone.now()
    first = article_factory(
        title="Бюджет утвердили",
        lead="Депутаты приняли закон.",
        published_at=now - timedelta(hours=3),
        authors=[AuthorFactory(name="Анна Петрова")],
    )
    second = article_factory(
        parent=sport, title="Финал сезона", tags=[tag], published_at=now - timedelta(hours=1)
    )
    return first, second, sport, tag


@pytest.mark.django_db
def test_site_feed_has_required_elements_absolute_links_and_zoned_dates(client, articles, settings):
    first, _second, _sport, _tag = articles
    _response, feed = parse(client, "/rss/")
    assert feed.feed.title == settings.SITE_NAME
    assert feed.feed.link == settings.SITE_URL + "/"
    assert feed.feed.language == "ru"
    assert [e.title for e in feed.entries] == ["Финал сезона", "Бюджет утвердили"]
    entry = feed.entries[1]
    assert entry.link == settings.SITE_URL + first.url
    assert entry.description == "Депутаты приняли закон."
    assert entry.author == "Анна Петрова"
    assert entry.published.endswith("+0000")
    assert entry.published_parsed[:5] == first.published_at.utctimetuple()[:5]
    assert entry.id.startswith("tag:")
    assert entry.guidislink is False
    assert entry.enclosures[0].href.startswith(settings.SITE_URL + "/media/")
    assert entry.enclosures[0].type == "image/jpeg"
    assert int(entry.enclosures[0].length) > 0
    assert {t.term for t in feed.entries[0].tags} == {"Спорт", "Хоккей"}


@pytest.mark.django_db
def test_section_and_tag_feeds_narrow_the_items(client, articles):
    _first, _second, sport, tag = articles
    assert [e.title for e in parse(client, f"/rss/sections/{sport.slug}/")[1].entries] == ["Финал сезона"]
    assert [e.title for e in parse(client, f"/rss/tags/{tag.slug}/")[1].entries] == ["Финал сезона"]
    assert client.get("/rss/sections/no-such/").status_code == 404
    assert client.get("/rss/tags/no-such/").status_code == 404


@pytest.mark.django_db
def test_guid_is_stable_across_edits(client, articles):
    first = articles[0]
    before = {e.title: e.id for e in parse(client, "/rss/")[1].entries}["Бюджет утвердили"]
    first.title = "Бюджет утвердили во втором чтении"
    first.slug = "budget-second-reading"
    first.save_revision().publish()
    after = {e.title: e.id for e in parse(client, "/rss/")[1].entries}["Бюджет утвердили во втором чтении"]
    assert before == after


@pytest.mark.django_db
def test_feed_is_cached_and_a_publish_invalidates_it(client, articles, article_factory):
    parse(client, "/rss/")
    assert "Новая новость" not in client.get("/rss/").content.decode()
    article_factory(title="Новая новость").save_revision().publish()
    assert "Новая новость" in [e.title for e in parse(client, "/rss/")[1].entries]


@pytest.mark.django_db
def test_feed_response_is_stored_in_the_page_cache(client, articles, django_assert_num_queries):
    parse(client, "/rss/")
    with django_assert_num_queries(0):
        assert client.get("/rss/").status_code == 200


@pytest.mark.django_db
def test_yandex_feed_namespaces_full_text_genre_and_enclosures(client, article_factory, settings):
    article = article_factory(
        title="Завод запущен",
        lead="Первая очередь работает.",
        body=[
            ("paragraph", "<p>Завод начал <b>выпуск</b> продукции.</p>"),
            ("paragraph", "<p>Второй абзац &amp; итоги.</p>"),
        ],
        tags=[TagFactory(name="Промышленность")],
    )
    response, feed = parse(client, "/rss/yandex/")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "rss"
    assert root.get("version") == "2.0"
    item = root.find("channel/item")
    assert item.findtext("title") == "Завод запущен"
    assert item.findtext("link") == settings.SITE_URL + article.url
    assert item.findtext(f"{YANDEX}full-text") == "Завод начал выпуск продукции.\nВторой абзац & итоги."
    assert item.findtext(f"{YANDEX}genre") == "message"
    assert [c.text for c in item.findall("category")] == ["Экономика", "Промышленность"]
    enclosure = item.find("enclosure")
    assert enclosure.get("url").startswith(settings.SITE_URL)
    assert enclosure.get("type") == "image/jpeg"
    assert item.find(f"{MEDIA}content").get("medium") == "image"
    assert root.find(f"channel/{YANDEX}logo").text.startswith(settings.SITE_URL)
    assert "yandex" in feed.namespaces
    assert feed.namespaces["media"] == "http://search.yahoo.com/mrss/"


@pytest.mark.django_db
@hooks.register_temporarily(newsworthy.HOOK, lambda qs: qs.exclude(slug__startswith="partner-"))
def test_yandex_feed_keeps_eight_days_and_only_newsworthy_articles(client, article_factory):
    article_factory(title="Свежая новость")
    article_factory(title="Партнёрский материал", slug="partner-x")
    article_factory(title="Старая новость", published_at=timezone.now() - timedelta(days=9))
    titles = [e.title for e in parse(client, "/rss/yandex/")[1].entries]
    assert titles == ["Свежая новость"]
    # The ordinary site feed keeps partner material and older items.
    assert len(parse(client, "/rss/")[1].entries) == 3


@pytest.mark.django_db
def test_unpublished_article_leaves_the_feed(client, articles):
    first = articles[0]
    first.unpublish()
    assert "Бюджет утвердили" not in [e.title for e in parse(client, "/rss/")[1].entries]


@pytest.mark.django_db
def test_feed_query_budget(client, article_factory, django_assert_max_num_queries):
    for i in range(12):
        article_factory(title=f"Новость {i}", tags=[TagFactory()], authors=[AuthorFactory()])
    parse(client, "/rss/")  # makes the image renditions once
    clear_cache()
    with django_assert_max_num_queries(8):
        parse(client, "/rss/")


@pytest.mark.django_db
def test_yandex_genre_follows_the_article_genre(client, article_factory):
    expected = {"Сообщение": "message", "Беседа": "interview", "Разбор": "article", "Колонка": "article"}
    for title, genre in zip(expected, ("news", "interview", "analysis", "opinion"), strict=True):
        article_factory(title=title, genre=genre)
    response, _ = parse(client, "/rss/yandex/")
    items = ElementTree.fromstring(response.content).findall("channel/item")
    genres = {item.findtext("title"): item.findtext(f"{YANDEX}genre") for item in items}
    assert genres == expected
