"""Event promos and special projects in the feed, on the front page and beside articles; windows."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from polosa.caching import recording
from polosa.promos import placement
from polosa.promos.models import EventPromo

from .factories import EventPromoFactory, PartnerArticlePageFactory, SpecialProjectPageFactory

pytestmark = pytest.mark.django_db


def column(html: str) -> str:
    start = html.index("data-feed-list")
    return html[start : html.index("</ol>", start)]


def rows(fragment: str) -> list[str]:
    return [part.split(">", 1)[0] for part in fragment.split("<li")[1:]]


@pytest.fixture
def event(db):
    return EventPromoFactory(
        title="Как лидеру обосновать повышение бюджета",
        url="https://events.example/reg?utm_source=polosa",
        erid="LjN8K8A6b",
        feed_position=2,
    )


def test_event_promo_takes_its_position_in_the_column_with_erid_and_sponsored_link(
    client, article_factory, event
):
    for n in range(4):
        article_factory(title=f"Новость {n}")
    html = client.get("/").content.decode()  # any page but /news/, which is the feed itself
    found = rows(column(html))
    assert f'data-promo-item="event:{event.pk}"' in found[1]
    row = column(html).split("<li")[2]
    assert f'href="/_util/promos/go/event/{event.pk}/?erid=LjN8K8A6b"' in row
    assert 'rel="sponsored noopener"' in row
    assert "Зарегистрироваться" in row
    assert "Реклама. ООО «Ромашка-" in row
    assert "erid: LjN8K8A6b" in row


def test_news_page_shows_promos_on_its_first_page_only(client, article_factory, event):
    article_factory(title="Новость")

    def listing(html):
        start = html.index('class="news-list"')
        return html[start : html.index("</ol>", start)]

    assert f"event:{event.pk}" in listing(client.get("/news/").content.decode())
    day = timezone.localdate().isoformat()
    assert f"event:{event.pk}" not in listing(client.get(f"/news/?date={day}").content.decode())


def test_front_page_block_and_article_aside(client, home, article_factory, event):
    article = article_factory(title="Новость")
    html = client.get(home.url).content.decode()
    block = html[html.index('class="promo-block"') :]
    assert "Партнерские проекты" in block
    assert event.title in block
    aside = client.get(article.url).content.decode()
    aside = aside[aside.index('class="promo-aside"') :]
    assert event.title in aside
    assert "Реклама." in aside


def test_no_promo_beside_a_partner_article(client, partner_index, event):
    page = PartnerArticlePageFactory(parent=partner_index)
    assert "promo-aside" not in client.get(page.url).content.decode()


def test_special_project_row_links_to_its_landing_page(client, home, article_factory):
    project = SpecialProjectPageFactory(parent=home, title="Все на биржу", feed_position=1)
    article_factory(title="Новость")
    row = column(client.get("/").content.decode()).split("<li")[1]
    assert f'data-promo-item="project:{project.pk}"' in row
    assert f'href="{project.url}"' in row
    assert "#всенабиржу" in row
    assert f"accent-{project.pk}" in row


def test_accent_colours_stylesheet_has_the_colour_and_a_readable_text_colour(client, home):
    project = SpecialProjectPageFactory(parent=home, accent_colour="#FFCC00")
    css = client.get("/promos/accents.css").content.decode()
    assert f".accent-{project.pk} {{ --promo-accent: #ffcc00; --promo-accent-text: #000000; }}" in css


@pytest.mark.parametrize(
    ("start", "end", "shown"),
    [(-2, 2, True), (1, 3, False), (-3, -1, False), (None, None, True), (-1, None, True), (None, -1, False)],
)
def test_display_window(client, article_factory, start, end, shown):
    now = timezone.now()
    promo = EventPromoFactory(
        feed_position=1,
        show_from=now + timedelta(hours=start) if start is not None else None,
        show_until=now + timedelta(hours=end) if end is not None else None,
    )
    article_factory(title="Новость")
    assert (f"event:{promo.pk}" in client.get("/news/").content.decode()) is shown


def test_cached_pages_expire_when_a_window_opens_or_closes(db):
    now = timezone.now()
    closes = now + timedelta(minutes=30)
    opens = now + timedelta(minutes=10)
    EventPromoFactory(show_until=closes)
    EventPromoFactory(show_from=opens)
    with recording() as recorder:
        placement.showing_promos(now)
    assert recorder.expires_at == opens
    assert "promos" in recorder.versions


def test_promo_appears_once_its_window_opens(article_factory, db):
    now = timezone.now()
    promo = EventPromoFactory(show_from=now + timedelta(minutes=5))
    assert promo.pk not in [p.id for p in placement.showing_promos(now)]
    later = now + timedelta(minutes=6)
    assert promo.pk in [p.id for p in placement.showing_promos(later)]


@override_settings(POLOSA_PAGE_CACHE_ENABLED=True)
def test_any_promo_change_rebuilds_cached_pages(client, home, article_factory, event):
    article_factory(title="Новость")
    client.get(home.url)
    assert client.get(home.url)["X-Polosa-Cache"] == "hit"
    event.title = "Новое название семинара"
    event.save()
    response = client.get(home.url)
    assert response.get("X-Polosa-Cache") != "hit"
    assert "Новое название семинара" in response.content.decode()
    event.delete()
    assert "Новое название семинара" not in client.get(home.url).content.decode()


def test_an_unmarked_promo_forced_into_the_database_is_never_shown(client, article_factory, event):
    EventPromo.objects.filter(pk=event.pk).update(erid="")
    from polosa.caching import invalidate

    invalidate("promos")
    article_factory(title="Новость")
    assert f"event:{event.pk}" not in client.get("/news/").content.decode()


def test_draft_promos_are_not_shown(client, article_factory):
    draft = EventPromoFactory(live=False)
    article_factory(title="Новость")
    assert f"event:{draft.pk}" not in client.get("/news/").content.decode()


def test_front_page_budget_with_promos(client, home, article_factory, event, django_assert_max_num_queries):
    from testsupport import clear_cache

    SpecialProjectPageFactory(parent=home)
    PartnerArticlePageFactory(parent=SpecialProjectPageFactory(parent=home, slug="p2", feed_position=None))
    for n in range(5):
        article_factory(title=f"Новость {n}")
    client.get(home.url)
    clear_cache()
    # The front page's own budget (feed tests) plus three promo reads, whatever the number of promos,
    # and two for the open live blogs («Онлайн»).
    with django_assert_max_num_queries(29):
        client.get(home.url)
