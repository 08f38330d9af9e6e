"""A reader sees a promo: its impression is counted once; its button leads on with the erid."""

import time

import pytest
from django.utils import timezone

from polosa.promos.models import PromoDay

from .factories import EventPromoFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def wait_for(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_seen_promo_is_counted_once_with_no_cookie(live_server, browser_page, home, article_factory):
    article = article_factory(title="Новость рядом с анонсом")
    event = EventPromoFactory(title="Семинар о бюджете команды", feed_position=1)
    page = browser_page
    # Headless Chromium names itself in its user agent and would be left out as a bot.
    page.set_extra_http_headers({"User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0 Safari/537.36"})
    page.goto(live_server.url + article.url)
    page.wait_for_load_state("load")
    row = page.locator(f'.feed-column [data-promo-item="event:{event.pk}"]')
    assert "Реклама." in row.inner_text()
    assert row.get_by_role("link", name="Зарегистрироваться").get_attribute("rel") == "sponsored noopener"

    def counted():
        found = PromoDay.objects.filter(kind="event", object_id=event.pk, day=timezone.localdate()).first()
        return found is not None and found.impressions >= 1

    # The column row and the promo beside the article are both seen; the script sends each name once
    # per page.
    assert wait_for(counted), "the impression beacon never arrived"
    assert PromoDay.objects.get(kind="event", object_id=event.pk).impressions == 1
    assert page.context.cookies() == []
    assert page.problems == []
