"""Section, story, tag and author pages: cards newest first, keyset pages, titles, cache, budgets."""

from datetime import UTC, datetime, timedelta

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone

from polosa.caching import CACHE_HEADER
from polosa.core.sites import site_for
from polosa.news import listings
from polosa.news.models import ArticlePage
from polosa.news.tests.factories import AuthorFactory, PersonTagFactory, TagFactory
from testsupport import clear_cache

pytestmark = pytest.mark.django_db

# Cold renders (nothing cached, renditions already made) of a full page of 20 cards; the tag page
# also shows the person's photo.
BUDGETS = {"section": 14, "story": 16, "tag": 11, "author": 10}
# polosa.promos reads event promos, special projects and partner markings once per promos version.
BUDGETS = {kind: budget + 3 for kind, budget in BUDGETS.items()}
# +1 in each: the breaking-news banner above every page (polosa.newsroom), read once per cold render.
BUDGETS = {kind: budget + 1 for kind, budget in BUDGETS.items()}
# +2 in each: the feed column's «Онлайн» rows of open live blogs (polosa.live), the blogs and their
# view restrictions.
BUDGETS = {kind: budget + 2 for kind, budget in BUDGETS.items()}
# +1 for a story line (/stories/<slug>/): the front page first looks for an article at any
# two-part address (HomePage.route), which saves two of an article's queries.
BUDGETS["story"] += 1


def soup_of(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def card_titles(soup):
    return [a.get_text(" ", strip=True) for a in soup.select("[data-listing] .card__title a")]


@pytest.fixture
def person(db):
    from polosa.images.tests.factories import PolosaImageFactory

    return PersonTagFactory(
        name="Вера Ланская", slug="vera-lanskaya", role="глава Минприроды", photo=PolosaImageFactory()
    )


@pytest.fixture
def author(db):
    return AuthorFactory(name="Илья Кедров", slug="ilya-kedrov")


@pytest.fixture
def pages(section, story, person, author):
    return {
        "section": section.url,
        "story": story.url,
        "tag": f"/tags/{person.slug}/",
        "author": f"/authors/{author.slug}/",
    }


@pytest.fixture
def make(article_factory, story, person, author):
    """An article that appears on every listing page."""

    def build(**kwargs):
        return article_factory(story=story, tags=[person], authors=[author], **kwargs)

    return build


@pytest.mark.parametrize("kind", BUDGETS)
def test_cards_newest_first_with_photo_time_and_rubric(client, make, pages, kind):
    now = timezone.now()
    make(title="Раньше", published_at=now - timedelta(hours=2))
    make(title="Позже", published_at=now - timedelta(minutes=5))
    soup = soup_of(client.get(pages[kind]))
    assert card_titles(soup) == ["Позже", "Раньше"]
    card = soup.select_one("[data-listing] .card")
    assert card.find("img")["src"]
    assert card.find("time")["datetime"].endswith("+03:00")
    assert card.select_one(".card__rubric").get_text() == "Экономика"


@pytest.mark.parametrize("kind", BUDGETS)
def test_keyset_pages_cover_everything_once(client, make, pages, kind, monkeypatch):
    monkeypatch.setattr(listings, "PAGE_SIZE", 2)
    monkeypatch.setattr(listings.article_listing, "__defaults__", (2,))
    moment = timezone.now() - timedelta(hours=1)
    made = [make(title=f"Статья {n}", published_at=moment - timedelta(minutes=n // 2)) for n in range(5)]
    seen, url = [], pages[kind]
    while url:
        soup = soup_of(client.get(url))
        seen += card_titles(soup)
        more = soup.select_one("[data-listing-more] a")
        url = pages[kind] + more["href"] if more else None
    expected = sorted(made, key=lambda a: (a.published_at, a.pk), reverse=True)
    assert seen == [a.title for a in expected]


@pytest.mark.parametrize("kind", BUDGETS)
def test_tampered_cursor_is_a_readable_400(client, make, pages, kind):
    make()
    response = client.get(pages[kind], {"after": "1764000000000000.12:forged"})
    assert response.status_code == 400
    assert "Ссылка повреждена" in response.content.decode()


@pytest.mark.parametrize("kind", BUDGETS)
def test_publish_shows_on_the_very_next_anonymous_request(client, make, pages, kind):
    make(title="Была раньше", published_at=timezone.now() - timedelta(hours=1))
    client.get(pages[kind])
    assert client.get(pages[kind])[CACHE_HEADER] == "hit"
    fresh = make(title="Новая статья", live=False)
    fresh.save_revision().publish()
    response = client.get(pages[kind])
    assert response[CACHE_HEADER] == "miss"
    assert card_titles(soup_of(response))[0] == "Новая статья"
    ArticlePage.objects.get(pk=fresh.pk).unpublish()
    assert card_titles(soup_of(client.get(pages[kind]))) == ["Была раньше"]


@pytest.mark.parametrize("kind", BUDGETS)
def test_query_budget_of_a_full_page(client, make, pages, kind, django_assert_max_num_queries):
    for n in range(25):
        make(title=f"Статья {n}")
    client.get(pages[kind])  # the first view makes the photo renditions
    clear_cache()
    # As in every process after its first request, the site is known (polosa.core.sites.site_for).
    site_for("testserver", 80)
    with django_assert_max_num_queries(BUDGETS[kind]):
        soup = soup_of(client.get(pages[kind]))
    assert len(card_titles(soup)) == 20


def test_section_title_and_breadcrumbs(client, make, section):
    make()
    soup = soup_of(client.get(section.url))
    assert soup.title.get_text() == "Экономика: последние новости — Полоса"
    assert [li.get_text(strip=True) for li in soup.select(".breadcrumbs li")] == ["Главная", "Экономика"]
    assert soup.h1.get_text() == "Экономика"


def test_story_page_has_description_and_a_timeline_by_moscow_day(client, article_factory, story):
    # 21:30 UTC on the 24th is already the 25th in Moscow.
    article_factory(story=story, title="Ночью", published_at=datetime(2026, 11, 24, 21, 30, tzinfo=UTC))
    article_factory(story=story, title="Днем раньше", published_at=datetime(2026, 11, 24, 12, 0, tzinfo=UTC))
    article_factory(title="Не из сюжета")
    soup = soup_of(client.get(story.url))
    assert soup.select_one(".page-header__lead").get_text(strip=True) == "Как развивается история."
    days = [li.get_text(strip=True) for li in soup.select(".timeline__day")]
    assert days == ["25 ноября 2026", "24 ноября 2026"]
    assert card_titles(soup) == ["Ночью", "Днем раньше"]
    assert soup.title.get_text() == "Бюджет на три года — сюжет — Полоса"
    assert [li.get_text(strip=True) for li in soup.select(".breadcrumbs li")] == [
        "Главная",
        "Сюжеты",
        "Бюджет на три года",
    ]


def test_person_tag_page_shows_photo_and_role(client, make, person):
    make()
    soup = soup_of(client.get(f"/tags/{person.slug}/"))
    header = soup.select_one(".page-header--person")
    assert header.find("img")["alt"] == "Вера Ланская"
    assert header.select_one(".page-header__role").get_text() == "глава Минприроды"
    assert header.select_one(".page-header__kicker").get_text() == "Персона"
    assert soup.title.get_text() == "Вера Ланская: новости и статьи — Полоса"


@pytest.mark.parametrize(
    ("kind", "label"), [("place", "Место"), ("organisation", "Организация"), ("topic", "Тема")]
)
def test_other_tag_kinds_say_what_they_are(client, article_factory, kind, label):
    tag = TagFactory(kind=kind, name="Пример", slug=f"primer-{kind}")
    article_factory(tags=[tag])
    soup = soup_of(client.get(f"/tags/{tag.slug}/"))
    assert soup.select_one(f".page-header--{kind} .page-header__kicker").get_text() == label
    assert soup.select_one(f".page-header--{kind}").find("img") is None


def test_unknown_tag_and_author_are_404(client, db):
    assert client.get("/tags/no-such-tag/").status_code == 404
    assert client.get("/authors/no-such-author/").status_code == 404


def test_renaming_a_tag_updates_its_page(client, make, person):
    make()
    client.get(f"/tags/{person.slug}/")
    person.name = "Вера Ланская-Орлова"
    person.save()
    assert soup_of(client.get(f"/tags/{person.slug}/")).h1.get_text() == "Вера Ланская-Орлова"
