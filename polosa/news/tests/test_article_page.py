"""The article page shows every part of the reference page, in semantic, accessible HTML."""

import json
from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.test import override_settings
from django.utils import timezone

from polosa.news.models import TagKind
from polosa.news.tests.factories import AuthorFactory, PersonTagFactory, TagFactory
from testsupport import clear_cache

# Queries for a cold render of a full article (related card, quote with a person, tags, authors, the feed
# column and the section menu). Asserted so a change that adds an N+1 fails here, not in production.
# The feed app adds two on a cold cache: the read counter's stored total and the most-read list.
# The rates widget adds one (two once rates are stored; none while its fragment is cached).
# The related card is a shared fragment; rendering it takes three (the restricted pages, the card,
# its photo's rendition).
ARTICLE_QUERY_BUDGET = 21
# polosa.promos reads event promos, special projects and partner markings once per promos version.
ARTICLE_QUERY_BUDGET += 3
# The live app's "Прямой эфир" block adds one (the on-air schedule).
ARTICLE_QUERY_BUDGET += 1
# The breaking-news banner above every page (polosa.newsroom) adds one.
ARTICLE_QUERY_BUDGET += 1
# The feed column's «Онлайн» rows of open live blogs (polosa.live): the blogs and their view restrictions.
ARTICLE_QUERY_BUDGET += 2

# A cold render as readers meet it after a publish: the page is rendered, but the pieces pages
# share (feed column, rates, banner, live block, promos, section menu, related-article cards) and
# the photo renditions are cached, as benchmarks/profile_article.py measures it. Wagtail's routing
# takes five: the site, the front page's own row, the section (page, then its own row) and the
# article with its story line and photo (SectionPage.route); then the view restrictions on its path,
# its tags, its authors, the quote's person and every rendition of the page's own photos.
ARTICLE_WARM_QUERY_BUDGET = 10


@pytest.fixture
def full_article(article_factory, section, story, home):
    from polosa.news.tests.factories import SectionPageFactory

    politics = SectionPageFactory(parent=home, title="Политика", slug="politics")
    person = PersonTagFactory(name="Олег Заречный", slug="oleg-zarechny", role="министр транспорта")
    place = TagFactory(kind=TagKind.PLACE, name="Казань", slug="kazan")
    org = TagFactory(kind=TagKind.ORGANISATION, name="Минтранс", slug="mintrans")
    related = article_factory(
        parent=politics,
        title="Правительство обсудило расходы на дороги",
        slug="roads-spending",
        tags=[person],
        published_at=timezone.now() - timedelta(hours=3),
    )
    article = article_factory(
        title="Казань получит новую линию скоростного трамвая",
        slug="kazan-tram",
        lead="Строительство начнется весной и займет два года, сообщили в городской администрации.",
        story=story,
        tags=[place, person, org],
        authors=[AuthorFactory(name="Мария Ветрова", slug="maria-vetrova")],
        body=[
            ("paragraph", "<p>Первая очередь линии свяжет вокзал с новым микрорайоном.</p>"),
            (
                "quote",
                {
                    "text": "Мы рассчитываем запустить движение к концу следующего года",
                    "speaker": "Олег Заречный",
                    "speaker_role": "министр транспорта",
                    "speaker_tag": person,
                    "source": "«Вестник»",
                },
            ),
            ("related", {"article": related}),
            ("factbox", {"title": "Цифры проекта", "items": ["12 км путей", "18 остановок"]}),
            ("paragraph", "<p>Стоимость проекта оценивается в 40 млрд руб.</p>"),
        ],
    )
    article.hero_image.caption = "Трамвай на испытаниях"
    article.hero_image.credit = "Ирина Светлова / «Вестник»"
    article.hero_image.save()
    return article


@pytest.fixture
def soup(client, full_article):
    response = client.get(full_article.url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_skip_link_is_the_first_focusable_element_and_targets_main(soup):
    first = soup.body.find(["a", "button", "input", "select", "textarea"])
    assert first["href"] == "#main"
    assert first.get_text(strip=True) == "Перейти к основному контенту"
    main = soup.find("main")
    assert main["id"] == "main"


def test_rubric_and_story_line_link_to_their_pages(soup, section, story):
    kicker = soup.select_one(".article__kicker")
    links = {a["href"]: a.get_text(" ", strip=True) for a in kicker.find_all("a")}
    assert links[section.url] == "Экономика"
    assert "Бюджет на три года" in links[story.url]


def test_one_h1_with_the_headline_and_the_lead(soup):
    h1s = soup.find_all("h1")
    assert [h.get_text(strip=True) for h in h1s] == ["Казань получит новую линию скоростного трамвая"]
    assert "Строительство начнется весной" in soup.select_one(".article__lead").get_text()


def test_hero_photo_has_caption_credit_and_alt_text(soup):
    figure = soup.select_one("figure.article__hero")
    img = figure.find("img")
    assert img["alt"] == "Люди сидят за длинным столом"
    assert img.get("width")
    assert img.get("height")
    caption = figure.find("figcaption").get_text(" ", strip=True)
    assert "Трамвай на испытаниях" in caption
    assert "(Фото: Ирина Светлова / «Вестник»)" in caption


def test_quote_is_a_blockquote_with_speaker_and_source(soup):
    quote = soup.select_one("figure.quote")
    assert "Мы рассчитываем запустить движение" in quote.find("blockquote").get_text()
    source = quote.find("figcaption")
    assert source.find("a", href="/tags/oleg-zarechny/").get_text() == "Олег Заречный"
    assert "министр транспорта" in source.get_text()
    assert "(цитата по «Вестник»)" in source.get_text()


def test_related_card_shows_rubric_headline_image_and_person(soup):
    card = soup.select_one(".related-card")
    assert card.find("a")["href"].endswith("/roads-spending/")
    assert card.select_one(".related-card__title").get_text() == "Правительство обсудило расходы на дороги"
    assert card.select_one(".related-card__rubric").get_text() == "Политика"
    assert card.select_one(".related-card__person").get_text() == "Олег Заречный"
    picture = card.select_one("img[loading=lazy]")
    assert picture is not None
    # Its tiny preview stands under it until it loads.
    assert picture.find_previous_sibling("img", class_="card__preview")["src"].startswith("data:image/webp")


def test_fact_box_and_paragraphs_are_rendered(soup):
    body = soup.select_one(".article__body")
    assert "Первая очередь линии" in body.get_text()
    assert [li.get_text() for li in body.select(".factbox li")] == ["12 км путей", "18 остановок"]


def test_tags_link_to_tag_pages(soup):
    tags = soup.select(".article__tags a")
    assert [(a.get_text(), a["href"]) for a in tags] == [
        ("Казань", "/tags/kazan/"),
        ("Олег Заречный", "/tags/oleg-zarechny/"),
        ("Минтранс", "/tags/mintrans/"),
    ]


def test_feed_column_lists_latest_twenty_with_rubric_and_time(client, article_factory, full_article):
    for n in range(25):
        article_factory(
            title=f"Новость ленты {n}", slug=f"feed-{n}", published_at=timezone.now() - timedelta(minutes=n)
        )
    page = BeautifulSoup(client.get(full_article.url).content, "html.parser")
    items = page.select(".feed-column .feed-item")
    assert len(items) == 20
    assert items[0].find("a").get_text() == "Новость ленты 0"
    for item in items:
        time = item.find("time")
        assert time["datetime"].endswith("+03:00")
        assert "Экономика" in item.select_one(".feed-item__meta").get_text()


def test_news_article_structured_data(soup, full_article, section):
    blocks = [json.loads(s.string) for s in soup.find_all("script", type="application/ld+json")]
    article = next(b for b in blocks if b["@type"] == "NewsArticle")
    assert article["headline"] == full_article.title
    assert article["datePublished"].endswith("+03:00")
    assert article["dateModified"].endswith("+03:00")
    assert article["articleSection"] == section.title
    assert article["author"] == [
        {"@type": "Person", "name": "Мария Ветрова", "url": "http://127.0.0.1:8000/authors/maria-vetrova/"}
    ]
    assert article["publisher"]["name"] == "Полоса"
    assert article["publisher"]["logo"]["url"].startswith("http")
    assert all(url.startswith("http") for url in article["image"])
    assert any(b["@type"] == "BreadcrumbList" for b in blocks)


def test_sharing_tags_and_canonical_link(soup, full_article):
    def meta(attr, name):
        tag = soup.find("meta", attrs={attr: name})
        return tag["content"] if tag else None

    assert soup.find("link", rel="canonical")["href"] == full_article.full_url
    assert meta("property", "og:title") == full_article.title
    assert meta("property", "og:type") == "article"
    assert meta("property", "og:image").startswith("http")
    assert meta("name", "twitter:card") == "summary_large_image"
    assert meta("property", "article:published_time").endswith("+03:00")


def test_no_asset_comes_from_another_host(soup):
    for tag, attr in (("script", "src"), ("link", "href"), ("img", "src"), ("source", "srcset")):
        for element in soup.find_all(tag):
            value = element.get(attr)
            if not value or (tag == "link" and element.get("rel") == ["canonical"]):
                continue
            # A card picture's tiny preview is inline (data:), fetched from nowhere.
            assert value.startswith(("/", "data:image/webp;base64,")), f"{tag} loads {value}"


def test_article_page_query_budget(client, full_article, django_assert_max_num_queries):
    client.get(full_article.url)  # image renditions are made once (on publish in production)
    clear_cache()
    with django_assert_max_num_queries(ARTICLE_QUERY_BUDGET):
        response = client.get(full_article.url)
    assert response.status_code == 200


def test_article_page_query_budget_with_the_shared_pieces_cached(
    client, full_article, django_assert_max_num_queries
):
    client.get(full_article.url)  # renditions made, shared fragments stored
    with (
        override_settings(POLOSA_PAGE_CACHE_ENABLED=False),
        django_assert_max_num_queries(ARTICLE_WARM_QUERY_BUDGET),
    ):
        response = client.get(full_article.url)
    assert response.status_code == 200
    assert "Правительство обсудило расходы на дороги" in response.content.decode()


def test_unpublished_article_is_gone(client, full_article):
    # Once published, then taken down: 410 Gone (polosa.newsroom), not 404.
    full_article.unpublish()
    assert client.get(full_article.url).status_code == 410


def test_an_interview_says_so_above_the_headline_and_on_its_card(client, article_factory, section):
    interview = article_factory(title="Беседа с главой завода", genre="interview")
    page = BeautifulSoup(client.get(interview.url).content, "html.parser")
    assert page.select_one(".article__kicker .article__genre").get_text() == "Интервью"
    listing = BeautifulSoup(client.get(section.url).content, "html.parser")
    [card] = [c for c in listing.select(".card") if "Беседа с главой завода" in c.get_text()]
    assert card.select_one(".card__genre").get_text() == "Интервью"


def test_plain_news_carries_no_genre_label(soup):
    assert soup.select(".article__genre") == []
