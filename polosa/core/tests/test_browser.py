"""A reader in a real browser: from the front page to an article, by keyboard, without errors."""

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_reader_reaches_an_article_and_skips_to_its_content(live_server, browser_page, article_factory):
    article = article_factory(
        title="Речной порт откроет новый грузовой терминал",
        lead="Терминал рассчитан на полмиллиона тонн грузов в год.",
        body=[("paragraph", "<p>Строительство заняло полтора года.</p>")],
    )
    page = browser_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name=article.title).first.click()
    page.wait_for_url(f"**{article.url}")
    assert page.locator("h1").inner_text().strip() == article.title

    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Перейти к основному контенту"
    assert page.evaluate("getComputedStyle(document.activeElement).top") != "-60px"  # visible when focused
    page.keyboard.press("Enter")
    page.wait_for_function("document.activeElement && document.activeElement.id === 'main'")
    assert page.evaluate("location.hash") == "#main"

    assert page.problems == []
