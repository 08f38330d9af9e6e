"""JSON-LD on article and front pages, read back with a JSON-LD processor (pyld); sharing tags."""

import json
import re

import pytest
from pyld import jsonld

from polosa.news.tests.factories import AuthorFactory, PersonTagFactory, TagFactory

S = "https://schema.org/"
# Tests never touch the network: schema.org's context is replaced by its vocabulary mapping.
SCHEMA_CONTEXT = {"@context": {"@vocab": S}}


def offline_loader(url, options=None):
    if url.rstrip("/") in ("https://schema.org", "http://schema.org"):
        return {"contextUrl": None, "documentUrl": url, "document": SCHEMA_CONTEXT}
    raise AssertionError(f"unexpected remote context {url}")


def json_ld_blocks(html: str) -> list[dict]:
    found = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return [json.loads(block) for block in found]


def expanded(document: dict) -> dict:
    [node] = jsonld.expand(document, {"documentLoader": offline_loader})
    return node


def values(node, prop):
    return [v.get("@value", v.get("@id", v)) for v in node.get(S + prop, [])]


def by_type(html, schema_type):
    nodes = [expanded(block) for block in json_ld_blocks(html)]
    return [n for n in nodes if S + schema_type in n["@type"]]


@pytest.fixture
def article(article_factory):
    return article_factory(
        title="Правительство одобрило программу",
        lead="Программа рассчитана на пять лет.",
        authors=[AuthorFactory(name="Ирина Соколова", slug="irina-sokolova")],
        tags=[PersonTagFactory(name="Иван Орлов"), TagFactory(name="Инфраструктура")],
    )


@pytest.mark.django_db
def test_news_article_is_complete(client, article, settings):
    html = client.get(article.url).content.decode()
    [node] = by_type(html, "NewsArticle")
    assert values(node, "headline") == ["Правительство одобрило программу"]
    images = values(node, "image")
    assert len(images) == 3
    for spec in ("fill-1200x675", "fill-1200x900", "fill-1200x1200"):
        assert any(spec in url and url.startswith(settings.SITE_URL) for url in images), spec
    [published] = values(node, "datePublished")
    [modified] = values(node, "dateModified")
    zoned = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")
    assert zoned.match(published)
    assert zoned.match(modified)
    [author] = node[S + "author"]
    assert values(author, "name") == ["Ирина Соколова"]
    assert values(author, "url") == [settings.SITE_URL + "/authors/irina-sokolova/"]
    [publisher] = node[S + "publisher"]
    assert values(publisher, "name") == [settings.SITE_NAME]
    [logo] = publisher[S + "logo"]
    assert values(logo, "url")[0].startswith(settings.SITE_URL)
    assert values(node, "articleSection") == ["Экономика"]
    assert set(values(node, "keywords")) == {"Иван Орлов", "Инфраструктура"}
    assert values(node, "isAccessibleForFree") == [True]
    assert values(node, "url") == [article.full_url]


@pytest.mark.django_db
def test_breadcrumb_list(client, article, settings):
    html = client.get(article.url).content.decode()
    [crumbs] = by_type(html, "BreadcrumbList")
    items = sorted(crumbs[S + "itemListElement"], key=lambda i: values(i, "position")[0])
    assert [values(i, "name")[0] for i in items] == [settings.SITE_NAME, "Экономика", article.title]
    assert values(items[-1], "item") == [article.full_url]


@pytest.mark.django_db
def test_open_graph_twitter_and_canonical(client, article):
    html = client.get(article.url).content.decode()
    assert f'<link rel="canonical" href="{article.full_url}">' in html
    assert '<meta property="og:type" content="article">' in html
    assert f'<meta property="og:url" content="{article.full_url}">' in html
    assert '<meta property="article:published_time"' in html
    assert '<meta property="article:section" content="Экономика">' in html
    assert '<meta property="article:tag" content="Иван Орлов">' in html
    assert '<meta name="twitter:card" content="summary_large_image">' in html
    assert 'type="application/rss+xml"' in html
    # A single-language site has no translations to point to.
    assert "hreflang" not in html


@pytest.mark.django_db
def test_front_page_has_website_with_search_action(client, home, settings):
    html = client.get("/").content.decode()
    [site] = by_type(html, "WebSite")
    assert values(site, "url") == [settings.SITE_URL + "/"]
    [action] = site[S + "potentialAction"]
    assert S + "SearchAction" in action["@type"]
    [target] = action[S + "target"]
    assert values(target, "urlTemplate") == [settings.SITE_URL + "/search/?q={search_term_string}"]
    assert '<meta property="og:type" content="website">' in html
    assert f'<link rel="canonical" href="{home.full_url}">' in html


@pytest.mark.django_db
def test_section_page_links_its_own_feed(client, section, article):
    html = client.get(section.url).content.decode()
    assert f'href="/rss/sections/{section.slug}/"' in html
    assert by_type(html, "WebSite") == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("genre", "schema_type"),
    [("news", "NewsArticle"), ("analysis", "AnalysisNewsArticle"), ("opinion", "OpinionNewsArticle")],
)
def test_the_schema_type_says_what_kind_of_piece_it_is(client, article_factory, genre, schema_type):
    html = client.get(article_factory(genre=genre).url).content.decode()
    [node] = [n for n in map(expanded, json_ld_blocks(html)) if "BreadcrumbList" not in n["@type"][0]]
    assert node["@type"] == [S + schema_type]
