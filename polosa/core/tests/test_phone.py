"""A reader on a phone: no page scrolls sideways, and the header's menu button opens the sections."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from polosa.live.tests import conftest as live_conftest

# The live blog holds an event stream open, which Django's WSGI live server cannot serve.
asgi_live_server = live_conftest.asgi_live_server

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_WIDTHS = (360, 390)
# The longest currency name in the Bank of Russia's list: the /rates/ select once grew to its width.
LONG_CURRENCY = "СДР (специальные права заимствования Международного валютного фонда)"


@pytest.fixture
def every_page_type(home, section, story, article_factory):
    """One page of each kind a reader reaches, filled with long Russian words and names."""
    from polosa.images.tests.factories import PolosaImageFactory
    from polosa.live.tests.factories import LiveBlogEntryFactory, LiveBlogPageFactory
    from polosa.news.tests.factories import PersonTagFactory, SectionPageFactory, TagFactory
    from polosa.rates.tests.factories import CurrencyFactory, RateFactory

    for title, slug in (("Политика", "politics"), ("Бизнес", "business"), ("Инвестиции", "investments")):
        SectionPageFactory(parent=home, title=title, slug=slug)
    tag = TagFactory(name="Внешнеэкономическая деятельность", slug="ved")
    person = PersonTagFactory(name="Константин Преображенский-Тимирязевский", slug="preobrazhensky")
    article = article_factory(
        title="Правительство продлило льготное кредитование высокотехнологичных производств",
        story=story,
        tags=[tag, person],
        # A credit as long as a demo photograph's once ran 130 px past a phone's edge.
        hero_image=PolosaImageFactory(credit="Martin Klapetek, пакет plasma-workspace-wallpapers, LGPL-3.0"),
        body=[("paragraph", "<p>Постановление опубликовано на портале правовой информации.</p>")],
    )
    for n in range(3):
        article_factory(title=f"Минэкономразвития пересмотрело прогноз номер {n}")
    today = timezone.localdate()
    for code, name, value in (("USD", "Доллар США", "77.85"), ("XDR", LONG_CURRENCY, "104.12")):
        currency = CurrencyFactory(code=code, name=name)
        for days in (1, 0):
            RateFactory(currency=currency, date=today - timedelta(days=days), value=Decimal(value) + days)
    blog = LiveBlogPageFactory(
        parent=home, title="Заседание совета директоров Банка России: онлайн-трансляция"
    )
    LiveBlogEntryFactory(
        page=blog, body="<p>Регулятор опубликует решение в 13:30 по московскому времени.</p>"
    )
    return {
        "home": "/",
        "article": article.url,
        "section": section.url,
        "story": story.url,
        "tag": tag.get_absolute_url(),
        "news": "/news/",
        "rates": "/rates/?currency=XDR",
        "search": "/search/?q=кредитование",
        "live blog": blog.url,
    }


def phone_page(browser, width, javascript=True):
    context = browser.new_context(
        viewport={"width": width, "height": 800}, locale="ru-RU", java_script_enabled=javascript
    )
    return context, context.new_page()


@pytest.mark.parametrize("width", PHONE_WIDTHS)
def test_no_page_scrolls_sideways_on_a_phone(asgi_live_server, browser, every_page_type, width):
    context, page = phone_page(browser, width)
    try:
        wider = {}
        for kind, path in every_page_type.items():
            response = page.goto(asgi_live_server.url + path)
            assert response.status == 200, (kind, path)
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                wider[kind] = scroll_width
        assert wider == {}, f"pages wider than {width} px"
    finally:
        context.close()


def test_menu_button_opens_and_closes_the_sections_on_a_phone(asgi_live_server, browser, every_page_type):
    context, page = phone_page(browser, 390)
    try:
        page.goto(asgi_live_server.url + every_page_type["article"])
        button = page.get_by_role("button", name="Меню")
        sections = page.get_by_role("navigation", name="Рубрики")
        assert button.get_attribute("aria-expanded") == "false"
        assert not sections.is_visible()
        # The header is one row: logo and button, nothing cut at the edge.
        assert page.locator(".site-header").bounding_box()["height"] < 80

        button.click()
        assert button.get_attribute("aria-expanded") == "true"
        links = sections.get_by_role("link")
        assert links.count() == 4
        for link in links.all():
            box = link.bounding_box()
            assert box["x"] >= 0, link.inner_text()
            assert box["x"] + box["width"] <= 390, link.inner_text()
        assert page.get_by_role("searchbox").is_visible()

        page.get_by_role("link", name="Инвестиции").focus()
        page.keyboard.press("Escape")
        assert button.get_attribute("aria-expanded") == "false"
        assert page.evaluate("document.activeElement.hasAttribute('data-menu-button')")
        assert not sections.is_visible()
    finally:
        context.close()


def test_without_scripts_the_sections_wrap_instead_of_hiding(asgi_live_server, browser, every_page_type):
    context, page = phone_page(browser, 360, javascript=False)
    try:
        page.goto(asgi_live_server.url + "/")
        assert not page.locator("[data-menu-button]").is_visible()
        for link in page.get_by_role("navigation", name="Рубрики").get_by_role("link").all():
            assert link.is_visible()
            box = link.bounding_box()
            assert box["x"] + box["width"] <= 360, link.inner_text()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
    finally:
        context.close()


def test_wide_screens_show_the_sections_without_a_menu_button(
    asgi_live_server, browser_page, every_page_type
):
    browser_page.goto(asgi_live_server.url + "/")
    assert not browser_page.locator("[data-menu-button]").is_visible()
    assert (
        browser_page.get_by_role("navigation", name="Рубрики")
        .get_by_role("link", name="Инвестиции")
        .is_visible()
    )
