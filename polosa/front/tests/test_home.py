"""The front page: curated main and top stories, a block per section, the feed, widget slots."""

from datetime import timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from django.utils.safestring import mark_safe
from wagtail import hooks

from polosa.caching import CACHE_HEADER
from polosa.front.models import TopStory
from polosa.news.tests.factories import SectionPageFactory
from testsupport import clear_cache

pytestmark = pytest.mark.django_db

# Cold render with nothing cached: a fixed part plus one query per section block.
# The fixed part includes the rates widget's one query (two once rates are stored).
HOME_FIXED_QUERIES = 20
# polosa.promos reads event promos, special projects and partner markings once per promos version.
HOME_FIXED_QUERIES += 3
# The live app's "Прямой эфир" block adds one (the on-air schedule).
HOME_FIXED_QUERIES += 1
# The breaking-news banner above every page (polosa.newsroom) adds one.
HOME_FIXED_QUERIES += 1
# Open live blogs («Онлайн», polosa.live) for the front page's strip and the column: two, once.
HOME_FIXED_QUERIES += 2
HOME_QUERIES_PER_SECTION = 1


def soup_of(client, home):
    return BeautifulSoup(client.get(home.url).content, "html.parser")


def main_title(soup):
    return soup.select_one(".front-top__main .card__title").get_text(strip=True)


def test_main_story_is_the_curated_one_then_the_flagged_then_the_newest(client, home, article_factory):
    now = timezone.now()
    newest = article_factory(title="Самая новая", published_at=now)
    flagged = article_factory(
        title="Отмечена главной", is_main_story=True, published_at=now - timedelta(hours=2)
    )
    chosen = article_factory(title="Выбрана редактором", published_at=now - timedelta(hours=5))
    assert main_title(soup_of(client, home)) == "Отмечена главной"

    home.main_story = chosen
    home.save_revision().publish()
    assert main_title(soup_of(client, home)) == "Выбрана редактором"

    chosen.unpublish()
    assert main_title(soup_of(client, home)) == "Отмечена главной"
    flagged.unpublish()
    assert main_title(soup_of(client, home)) == newest.title


def test_automatic_choices_skip_what_is_not_news_but_editors_may_choose_it(client, home, article_factory):
    from polosa.news import newsworthy

    now = timezone.now()
    news = article_factory(title="Новость дня", published_at=now - timedelta(hours=1))
    paid = article_factory(title="Оплаченный материал", is_main_story=True, published_at=now)
    with hooks.register_temporarily(newsworthy.HOOK, lambda qs: qs.exclude(pk=paid.pk)):
        soup = soup_of(client, home)
        assert main_title(soup) == news.title
        assert "Оплаченный материал" not in [
            t.get_text(strip=True) for t in soup.select(".front-top__list .card__title")
        ]

        home.main_story = paid
        home.save_revision().publish()
        assert main_title(soup_of(client, home)) == "Оплаченный материал"


def test_top_stories_keep_the_editors_order_and_are_topped_up(client, home, article_factory):
    now = timezone.now()
    made = [article_factory(title=f"Новость {n}", published_at=now - timedelta(minutes=n)) for n in range(9)]
    home.top_stories = [TopStory(article=made[7]), TopStory(article=made[5])]
    home.save_revision().publish()
    soup = soup_of(client, home)
    top = [a.get_text(strip=True) for a in soup.select(".front-top__list .card__title")]
    assert main_title(soup) == "Новость 0"
    assert top == ["Новость 7", "Новость 5", "Новость 1", "Новость 2", "Новость 3", "Новость 4"]


def test_a_block_per_section_without_repeating_the_top(client, home, article_factory):
    sport = SectionPageFactory(parent=home, title="Спорт", slug="sport")
    now = timezone.now()
    for n in range(12):
        article_factory(title=f"Экономика {n}", published_at=now - timedelta(minutes=n))
    article_factory(parent=sport, title="Спорт 0", published_at=now - timedelta(days=1))
    soup = soup_of(client, home)
    blocks = {
        b.h2.get_text(strip=True): [a.get_text(strip=True) for a in b.select(".card__title")]
        for b in soup.select(".section-block")
    }
    assert blocks["Экономика"] == ["Экономика 7", "Экономика 8", "Экономика 9", "Экономика 10"]
    assert blocks["Спорт"] == ["Спорт 0"]
    assert soup.select_one(".section-block h2 a")["href"].endswith("/economics/")


def test_front_page_has_the_feed_column_and_widget_slots_hidden_when_empty(client, home, article_factory):
    article_factory()
    soup = soup_of(client, home)
    assert soup.select_one("aside [data-feed-column]") is not None
    # The live block is an edge include: its row stays in the page, empty (hidden by CSS :empty).
    widgets = soup.select_one(".home-widgets")
    assert widgets is None or not widgets.contents
    assert len(soup.find_all("h1")) == 1


def test_widgets_registered_for_the_slot_appear(client, home, article_factory):
    def widget(request, context):
        return mark_safe('<div class="widget">Курс доллара</div>')

    article_factory()
    with hooks.register_temporarily("polosa_slot_home_widgets", widget):
        assert soup_of(client, home).select_one(".home-widgets .widget").get_text() == "Курс доллара"


def test_publish_shows_on_the_front_page_at_once(client, home, article_factory):
    article_factory(title="Старая")
    assert client.get(home.url)[CACHE_HEADER] == "miss"
    assert client.get(home.url)[CACHE_HEADER] == "hit"
    fresh = article_factory(title="Только что вышла", live=False)
    fresh.save_revision().publish()
    response = client.get(home.url)
    assert response[CACHE_HEADER] == "miss"
    assert main_title(BeautifulSoup(response.content, "html.parser")) == "Только что вышла"


def test_query_budget(client, home, article_factory, django_assert_max_num_queries):
    sections = [SectionPageFactory(parent=home, title=f"Раздел {n}", slug=f"r-{n}") for n in range(4)]
    for n in range(30):
        article_factory(parent=sections[n % 4])
    client.get(home.url)  # renditions are made on the first view
    clear_cache()
    sections_count = 5  # the fixture's section and four more
    with django_assert_max_num_queries(HOME_FIXED_QUERIES + HOME_QUERIES_PER_SECTION * sections_count):
        assert client.get(home.url).status_code == 200
