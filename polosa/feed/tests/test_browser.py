"""A reader keeps a page open: a new article appears in the feed column without a reload."""

import pytest

from polosa.news.models import ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def real_problems(page):
    # Chromium reports a 304 answer to a fetch that set If-None-Match itself as "net::ERR_ABORTED",
    # although the script receives the 304; those polls are the endpoint working as intended.
    return [p for p in page.problems if not ("/_util/feed/updates/" in p and "ERR_ABORTED" in p)]


def test_new_article_appears_in_the_open_column(live_server, browser_page, article_factory, settings):
    settings.POLOSA_FEED_POLL_SECONDS = 1
    article = article_factory(title="Статья, которую читают")
    page = browser_page
    page.goto(live_server.url + article.url)
    page.wait_for_load_state("load")
    column = page.locator("[data-feed-column]")
    assert column.locator(".feed-item__title").all_inner_texts() == ["Статья, которую читают"]

    fresh = article_factory(title="Только что опубликовано", live=False)
    ArticlePage.objects.get(pk=fresh.pk).save_revision().publish()

    button = column.locator("[data-feed-reveal]")
    button.wait_for(state="visible", timeout=15000)
    assert button.inner_text() == "1 новая новость"
    assert column.locator("[aria-live=polite]").inner_text() == "В ленте 1 новая новость"
    assert page.evaluate("performance.getEntriesByType('navigation').length") == 1  # no reload

    button.click()
    assert column.locator(".feed-item__title").all_inner_texts() == [
        "Только что опубликовано",
        "Статья, которую читают",
    ]
    assert not button.is_visible()
    assert page.evaluate("document.activeElement.matches('[data-feed-list]')")
    assert real_problems(page) == []


def test_show_more_loads_the_next_page_in_place(live_server, browser_page, article_factory, monkeypatch):
    monkeypatch.setattr("polosa.feed.views.NEWS_PAGE_SIZE", 3)
    for n in range(5):
        article_factory(title=f"Новость номер {n}")
    page = browser_page
    page.goto(live_server.url + "/news/")
    assert page.locator(".news-item").count() == 3
    page.get_by_role("link", name="Показать ещё").click()
    page.locator(".news-item").nth(4).wait_for()
    assert page.url == live_server.url + "/news/"
    assert page.locator("[data-load-more]").count() == 0
    assert page.locator(".news-list__day").count() == 1  # the day heading is not repeated
    assert page.problems == []


def test_article_feed_column_starts_within_the_first_screen(live_server, browser_page, article_factory):
    from datetime import timedelta
    from decimal import Decimal

    from django.utils import timezone

    from polosa.live.tests.factories import LiveBroadcastFactory, on_air_window
    from polosa.promos.tests.factories import EventPromoFactory
    from polosa.rates.tests.factories import CurrencyFactory, RateFactory

    # Everything else the column beside an article can hold: rates, the broadcast player, a promo.
    currency = CurrencyFactory()
    for days in (1, 0):
        RateFactory(
            currency=currency, date=timezone.localdate() - timedelta(days=days), value=Decimal("78.1")
        )
    on_air_window(LiveBroadcastFactory())
    EventPromoFactory(title="Семинар о бюджете команды")
    for n in range(30):
        article_factory(title=f"Новость ленты номер {n}")
    paragraph = (
        "<p>" + " ".join(["Регулятор сохранил осторожный тон и пообещал следить за инфляцией."] * 6) + "</p>"
    )
    article = article_factory(title="Статья с колонкой ленты рядом", body=[("paragraph", paragraph)] * 6)

    page = browser_page
    page.goto(live_server.url + article.url)
    column = page.locator("[data-feed-column]")
    assert column.bounding_box()["y"] < 900 - 200, "the feed's first rows are not on the first screen"
    aside = page.locator(".layout__aside")
    assert aside.locator("[data-live-player]").count() == 1
    assert aside.locator(".promo-aside").count() == 1
    # The column beside an article of six paragraphs leaves no long empty space under it.
    main_bottom = page.locator(".article").bounding_box()
    aside_box = aside.bounding_box()
    overhang = aside_box["y"] + aside_box["height"] - (main_bottom["y"] + main_bottom["height"])
    assert overhang < 300, f"the column runs {overhang:.0f} px past the article"
