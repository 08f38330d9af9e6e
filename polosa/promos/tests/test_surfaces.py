"""The marking is on every surface where an ad can appear, visible without scrolling or clicking."""

import re

import pytest
from django.test import override_settings

from polosa.news.tests.factories import ArticlePageFactory
from polosa.promos.models import PartnerArticlePage

from .factories import PartnerArticlePageFactory, SpecialProjectPageFactory

pytestmark = pytest.mark.django_db

LINE = "Реклама. ООО «Ромашка», ИНН 7701234560. erid: 2SDnjeXXXX"


@pytest.fixture
def partner_article(partner_index, advertiser):
    return PartnerArticlePageFactory(
        parent=partner_index, title="Шесть вопросов о новостройках", advertiser=advertiser, erid="2SDnjeXXXX"
    )


def text(response) -> str:
    # The marking's parts may sit in nested tags; readers see the text.
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", response.content.decode()))


def marked_card(html: str, title: str) -> str:
    """The piece of `html` from the marking before `title` up to the title."""
    end = html.index(title)
    start = html.rindex('class="ad-mark ', 0, end)
    return html[start:end]


def test_article_page_starts_with_label_and_marking_before_the_headline(client, partner_article):
    response = client.get(partner_article.url)
    html = response.content.decode()
    assert LINE in text(response)
    assert html.index("Партнерский проект") < html.index('id="article-title"')
    # The advertiser's link carries the erid and says it is sponsored.
    link = (
        f'<a href="/_util/promos/go/article/{partner_article.pk}/?erid=2SDnjeXXXX" rel="sponsored noopener">'
    )
    assert link in html


def test_structured_data_presents_the_partner_article_as_advertiser_content(client, partner_article):
    import json

    from bs4 import BeautifulSoup

    soup = BeautifulSoup(client.get(partner_article.url).content, "html.parser")
    types = {json.loads(s.string).get("@type") for s in soup.select('script[type="application/ld+json"]')}
    assert "AdvertiserContentArticle" in types
    assert "NewsArticle" not in types


def test_ordinary_articles_carry_no_marking(client, article_factory):
    article = article_factory(title="Обычная новость")
    assert "ad-mark" not in client.get(article.url).content.decode().split("<main", 1)[1].split("</main>")[0]


def test_feed_column_row_is_marked(client, partner_article, article_factory):
    article_factory(title="Обычная новость")
    html = client.get("/").content.decode()  # any page but /news/, which is the feed itself
    column = html[html.index("feed-column") :]
    row = marked_card(column, "Шесть вопросов о новостройках")
    assert "Партнерский проект" in row
    assert "erid: 2SDnjeXXXX" in row


def test_news_page_row_is_marked(client, partner_article):
    html = client.get("/news/").content.decode()
    listing = html[html.index('class="news-list"') :]
    row = marked_card(listing, "Шесть вопросов о новостройках")
    assert "ИНН 7701234560" in row


def test_front_page_cards_are_marked(client, home, partner_article):
    html = client.get(home.url).content.decode()
    main = html[html.index('class="front-top"') :]
    assert "Партнерский проект" in marked_card(main, "Шесть вопросов о новостройках")


def test_listing_cards_on_the_partner_index_and_special_project_are_marked(client, home, advertiser):
    project = SpecialProjectPageFactory(
        parent=home, title="Все на биржу", advertiser=advertiser, erid="Kra23f4Xq"
    )
    PartnerArticlePageFactory(
        parent=project, title="Как открыть брокерский счет", advertiser=advertiser, erid="2SDnjeXXXX"
    )
    response = client.get(project.url)
    html = response.content.decode()
    listing = html[html.index('class="listing"') :]
    assert LINE in marked_card(listing, "Как открыть брокерский счет").replace("</span>", "").replace(
        '<span class="ad-mark__line">', ""
    )
    # The landing page itself is marked with the project's own erid, hashtag and accent class.
    head = html[html.index("project-header") :]
    assert "Реклама. " in text(response)
    assert "erid: Kra23f4Xq" in text(response)
    assert "#всенабиржу" in head
    assert f"accent-{project.pk}" in head


def test_related_card_of_a_partner_article_is_marked(client, section, partner_article):
    article = ArticlePageFactory(
        parent=section,
        title="Новость со ссылкой",
        body=[("paragraph", "<p>Текст.</p>"), ("related", {"article": partner_article})],
    )
    html = client.get(article.url).content.decode()
    card = html[html.index('class="related-card"') :]
    assert "Партнерский проект" in marked_card(card, "Шесть вопросов о новостройках")


def test_marking_changes_everywhere_when_the_advertiser_is_renamed(client, home, partner_article, advertiser):
    assert "ООО «Ромашка»" in client.get("/news/").content.decode()
    advertiser.name = "АО «Лютик»"
    advertiser.save()
    html = client.get("/news/").content.decode()
    assert "АО «Лютик»" in html
    assert "ООО «Ромашка»" not in html


@override_settings(POLOSA_PAGE_CACHE_ENABLED=True)
def test_cached_pages_are_rebuilt_when_the_marking_changes(client, partner_article):
    client.get(partner_article.url)
    assert client.get(partner_article.url)["X-Polosa-Cache"] == "hit"
    partner_article.erid = "NewErid77"
    partner_article.save_revision().publish()
    response = client.get(partner_article.url)
    assert response.get("X-Polosa-Cache") != "hit"
    assert "erid: NewErid77" in text(response)


def test_publishing_a_partner_article_refreshes_the_feed_column_at_once(client, partner_index, advertiser):
    client.get("/")  # the column fragment is cached now
    page = PartnerArticlePage(
        title="Свежий партнерский материал",
        slug="fresh-partner",
        lead="Лид.",
        body=[("paragraph", "<p>Текст.</p>")],
        advertiser=advertiser,
        erid="2SDnjeFresh",
        live=False,
    )
    partner_index.add_child(instance=page)
    page.save_revision().publish()
    html = client.get("/").content.decode()
    column = html[html.index("feed-column") :]
    assert "Партнерский проект" in marked_card(column, "Свежий партнерский материал")


def test_partner_article_breadcrumbs_lead_to_its_project(client, home, advertiser):
    project = SpecialProjectPageFactory(parent=home, title="Все на биржу", advertiser=advertiser)
    page = PartnerArticlePageFactory(parent=project, advertiser=advertiser)
    html = client.get(page.url).content.decode()
    crumbs = html[html.index('class="breadcrumbs"') : html.index("</nav>")]
    assert f'<a href="{project.url}">Все на биржу</a>' in crumbs
