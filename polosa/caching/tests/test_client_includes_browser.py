"""In a reader's browser, client-side includes fill the news feed, and the column then lives as it
does when the page carries it (POLOSA_EDGE_INCLUDES=client)."""

import pytest

from polosa.news.models import ArticlePage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_browser_fills_the_feed_and_its_live_refresh_runs_once(
    live_server, browser_page, article_factory, settings
):
    settings.POLOSA_EDGE_INCLUDES = "client"
    settings.POLOSA_FEED_POLL_SECONDS = 1
    article = article_factory(title="Статья, которую читают")
    page = browser_page
    polls = []
    page.on("request", lambda request: "/_util/feed/updates/" in request.url and polls.append(request.url))
    # The first reader's page is the one stored; the second is served from the cache.
    for _ in range(2):
        page.goto(live_server.url + article.url)
        column = page.locator("[data-feed-column]")
        column.wait_for(timeout=10000)
    assert page.locator("[data-polosa-include]").count() == 0
    assert page.locator(".polosa-include--filled [data-feed-column]").count() == 1
    assert column.locator(".feed-item__title").all_inner_texts() == ["Статья, которую читают"]

    fresh = article_factory(title="Только что опубликовано", live=False)
    ArticlePage.objects.get(pk=fresh.pk).save_revision().publish()
    button = column.locator("[data-feed-reveal]")
    button.wait_for(state="visible", timeout=15000)
    assert button.inner_text() == "1 новая новость"
    button.click()
    assert column.locator(".feed-item__title").all_inner_texts() == [
        "Только что опубликовано",
        "Статья, которую читают",
    ]
    # One poller, not one per start of the page's features: about one poll a second.
    polls.clear()
    page.wait_for_timeout(3500)
    assert 1 <= len(polls) <= 5, polls
    problems = [p for p in page.problems if not ("/_util/feed/updates/" in p and "ERR_ABORTED" in p)]
    assert problems == []


def test_without_scripts_the_reader_gets_a_link_to_the_feed(live_server, browser, article_factory, settings):
    settings.POLOSA_EDGE_INCLUDES = "client"
    article = article_factory(title="Статья без скриптов")
    context = browser.new_context(java_script_enabled=False, locale="ru-RU")
    page = context.new_page()
    try:
        page.goto(live_server.url + article.url)
        page.goto(live_server.url + article.url)
        link = page.locator(".polosa-include .feed-column__title a")
        assert link.inner_text() == "Лента новостей"
        assert link.get_attribute("href") == "/news/"
    finally:
        context.close()
