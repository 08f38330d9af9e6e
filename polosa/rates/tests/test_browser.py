"""A reader opens the front page and follows the rates widget to the chart (real browser)."""

import pytest
import time_machine
from django.test import TestCase

from polosa.rates import importing
from polosa.rates.providers.cbr import parse_daily

from .factories import fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_widget_leads_to_a_drawn_chart(live_server, browser_page, home):
    with (
        time_machine.travel("2026-01-26 14:00:00+00:00", tick=False),
        TestCase.captureOnCommitCallbacks(execute=True),
    ):
        importing.store(parse_daily(fixture("daily_2026-01-24.xml")))
        importing.store(parse_daily(fixture("daily_2026-01-27.xml")))
    page = browser_page
    page.goto(live_server.url + "/")
    widget = page.locator(".rates-widget")
    assert "USD ЦБ: 75,81" in widget.inner_text()
    widget.locator("a", has_text="Курс евро").click()
    page.wait_for_load_state("load")
    assert page.url.endswith("/rates/?currency=EUR")
    chart = page.locator("svg.chart")
    box = chart.bounding_box()
    assert box is not None
    assert box["width"] > 300
    assert page.get_by_role("img", name="Курс евро").count() == 1
    assert page.problems == []
