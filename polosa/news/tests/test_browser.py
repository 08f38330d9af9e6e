"""A reader opens an article with a Telegram post: a link first, Telegram's widget only on request."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

POST = "https://t.me/polosa_news/1234"


def test_a_telegram_post_loads_only_when_the_reader_asks(live_server, browser_page, article_factory):
    article = article_factory(
        title="Министерство ответило в своём канале",
        body=[
            ("paragraph", "<p>Министерство ответило на вопросы в своём канале.</p>"),
            ("embed", {"url": POST, "title": "Ответ министерства", "caption": "", "vk_code": ""}),
        ],
    )
    page = browser_page
    # Nothing may leave the machine: Telegram's servers are refused, and every try is noted.
    outside = []

    def refuse(route):
        outside.append(route.request.url)
        route.abort()

    page.route("**/telegram.org/**", refuse)
    page.route("**/t.me/**", refuse)

    page.goto(live_server.url + article.url)
    page.wait_for_load_state("load")
    figure = page.locator("figure.embed--telegram")
    link = figure.get_by_role("link", name="Открыть пост в Telegram")
    assert link.get_attribute("href") == POST
    assert figure.locator(".embed__title").inner_text() == "Ответ министерства"
    frame = figure.locator("[data-post-embed-frame]")
    # The card keeps the space the widget will take.
    reserved = frame.bounding_box()["height"]
    assert reserved >= 360
    assert page.locator("script[src*='telegram.org']").count() == 0
    assert outside == []

    button = figure.get_by_role("button", name="Показать пост из Telegram")
    assert button.is_visible()
    button.click()
    script = page.locator("script[data-telegram-post='polosa_news/1234']")
    script.wait_for(state="attached")
    assert script.get_attribute("src") == "https://telegram.org/js/telegram-widget.js?22"
    assert script.get_attribute("data-width") == "100%"
    # The request was made (the page's CSP let it through) and refused here; the card comes back
    # with its link, and the box did not change its size meanwhile.
    page.wait_for_function("!document.querySelector('[data-post-embed-card]').hidden")
    assert outside
    assert all(url.startswith("https://telegram.org/js/telegram-widget.js") for url in outside)
    assert link.is_visible()
    assert not button.is_visible()
    assert (
        figure.get_by_role("status").inner_text()
        == "Пост не загрузился. Ссылка ниже откроет его в источнике."
    )
    assert frame.bounding_box()["height"] == reserved
    # Only the refused script's failure is reported (once as a request, once on the console).
    refused = ("telegram.org", "Failed to load resource: net::ERR_FAILED")
    assert [p for p in page.problems if not any(r in p for r in refused)] == []
    assert not [p for p in page.problems if "Content Security Policy" in p]
