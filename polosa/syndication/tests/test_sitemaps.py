"""sitemap.xml (index of paged sitemaps), the Google News sitemap and robots.txt."""

from datetime import timedelta

import pytest
from defusedxml import ElementTree
from django.utils import timezone
from wagtail import hooks

from polosa.news import newsworthy
from polosa.news.tests.factories import TagFactory
from polosa.syndication import sitemaps, views

SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
NEWS = "{http://www.google.com/schemas/sitemap-news/0.9}"


def xml(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/xml")
    return ElementTree.fromstring(response.content)


@pytest.mark.django_db
def test_index_lists_paged_sitemaps_with_lastmod(client, article_factory, monkeypatch, settings):
    monkeypatch.setattr(sitemaps.ArticleSitemap, "limit", 2)
    now = timezone.now()
    for i in range(5):
        article_factory(title=f"Новость {i}", published_at=now - timedelta(hours=i), tags=[TagFactory()])
    index = xml(client, "/sitemap.xml")
    locations = [s.findtext(f"{SM}loc") for s in index.findall(f"{SM}sitemap")]
    base = settings.SITE_URL + "/sitemaps/"
    assert locations == [
        base + "articles.xml",
        base + "articles.xml?p=2",
        base + "articles.xml?p=3",
        base + "sections.xml",
        base + "tags.xml",
    ]
    for entry in index.findall(f"{SM}sitemap"):
        assert entry.findtext(f"{SM}lastmod").startswith(timezone.localdate().isoformat()[:4])
    pages = [xml(client, f"/sitemaps/articles.xml?p={p}") for p in (1, 2, 3)]
    urls = [u.findtext(f"{SM}loc") for page in pages for u in page.findall(f"{SM}url")]
    assert len(urls) == len(set(urls)) == 5
    assert all(u.startswith(settings.SITE_URL + "/economics/") for u in urls)
    assert all(u.find(f"{SM}lastmod").text[10] == "T" for page in pages for u in page.findall(f"{SM}url"))
    assert client.get("/sitemaps/articles.xml?p=4").status_code == 404
    assert client.get("/sitemaps/nothing.xml").status_code == 404


@pytest.mark.django_db
def test_sections_and_tags_sitemaps(client, article_factory, section, settings):
    tag = TagFactory(slug="energy")
    TagFactory(slug="unused")
    article_factory(tags=[tag])
    sections = [u.findtext(f"{SM}loc") for u in xml(client, "/sitemaps/sections.xml").findall(f"{SM}url")]
    assert sections == [settings.SITE_URL + "/", settings.SITE_URL + "/economics/"]
    tags = [u.findtext(f"{SM}loc") for u in xml(client, "/sitemaps/tags.xml").findall(f"{SM}url")]
    assert tags == [settings.SITE_URL + "/tags/energy/"]


@pytest.mark.django_db
def test_article_lastmod_follows_the_update_mark(client, article_factory):
    published = timezone.now() - timedelta(days=3)
    article = article_factory(published_at=published)
    article.updated_at = published + timedelta(days=1)
    article.save()
    lastmod = xml(client, "/sitemaps/articles.xml").find(f"{SM}url/{SM}lastmod").text
    assert lastmod == timezone.localtime(article.updated_at).isoformat(timespec="seconds")


@pytest.mark.django_db
def test_sitemaps_are_invalidated_on_publish(client, article_factory):
    article_factory(title="Первая")
    assert len(xml(client, "/sitemaps/articles.xml").findall(f"{SM}url")) == 1
    article_factory(title="Вторая").save_revision().publish()
    assert len(xml(client, "/sitemaps/articles.xml").findall(f"{SM}url")) == 2


@pytest.mark.django_db
@hooks.register_temporarily(newsworthy.HOOK, lambda qs: qs.exclude(slug__startswith="partner-"))
def test_news_sitemap_has_48_hours_of_newsworthy_articles(client, article_factory, settings):
    now = timezone.now()
    fresh = article_factory(title="Свежая & важная", published_at=now - timedelta(hours=47))
    article_factory(title="Позавчерашняя", published_at=now - timedelta(hours=49))
    article_factory(title="Партнёрская", slug="partner-1", published_at=now - timedelta(hours=1))
    root = xml(client, "/sitemap-news.xml")
    urls = root.findall(f"{SM}url")
    assert len(urls) == 1
    url = urls[0]
    assert url.findtext(f"{SM}loc") == settings.SITE_URL + fresh.url
    news = url.find(f"{NEWS}news")
    assert news.findtext(f"{NEWS}publication/{NEWS}name") == settings.SITE_NAME
    assert news.findtext(f"{NEWS}publication/{NEWS}language") == "ru"
    assert news.findtext(f"{NEWS}title") == "Свежая & важная"
    assert news.findtext(f"{NEWS}publication_date") == timezone.localtime(fresh.published_at).isoformat(
        timespec="seconds"
    )


@pytest.mark.django_db
def test_news_sitemap_is_capped(client, article_factory, monkeypatch):
    monkeypatch.setattr(views, "NEWS_SITEMAP_LIMIT", 3)
    now = timezone.now()
    for i in range(5):
        article_factory(title=f"Новость {i}", published_at=now - timedelta(minutes=i))
    titles = [n.text for n in xml(client, "/sitemap-news.xml").iter(f"{NEWS}title")]
    assert titles == ["Новость 0", "Новость 1", "Новость 2"]


@pytest.mark.django_db
def test_news_sitemap_expires_when_its_oldest_item_leaves_the_window(rf, article_factory, time_machine):
    from polosa.caching import recording

    now = timezone.now()
    published = now - timedelta(hours=47, minutes=59)
    article_factory(title="Утренняя", published_at=published)
    with recording() as recorder:
        response = views.news_sitemap(rf.get("/sitemap-news.xml"))
    # The page cache may keep the file only until its oldest item is 48 hours old (whatever the
    # cache backend's own clock says, the entry records this expiry).
    assert recorder.expires_at == published + timedelta(hours=48)
    assert ElementTree.fromstring(response.content).findall(f"{SM}url")
    time_machine.move_to(now + timedelta(minutes=5))
    assert not ElementTree.fromstring(views.news_sitemap(rf.get("/sitemap-news.xml")).content).findall(
        f"{SM}url"
    )


@pytest.mark.django_db
def test_robots_txt_points_to_both_sitemaps(client, settings):
    response = client.get("/robots.txt")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap-news.xml" in lines
    assert "Disallow: /admin/" in lines


@pytest.mark.django_db
def test_sitemap_query_budget(client, article_factory, django_assert_max_num_queries):
    for i in range(30):
        article_factory(title=f"Новость {i}")
    with django_assert_max_num_queries(6):
        xml(client, "/sitemaps/articles.xml")
    # Per sitemap: its newest date and its size (each with the view-restriction lookup); not per URL.
    with django_assert_max_num_queries(16):
        xml(client, "/sitemap.xml")
