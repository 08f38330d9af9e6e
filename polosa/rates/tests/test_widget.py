"""The rates widget beside the home and article pages, and Russian number formatting."""

from decimal import Decimal

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import TestCase

from polosa.rates import formatting, importing
from polosa.rates.providers.cbr import parse_daily

from .factories import fixture

# Monday 26 January, 17:00 in Moscow: the bank has set Tuesday's rates.
MONDAY_EVENING = "2026-01-26 14:00:00+00:00"


@pytest.mark.parametrize(
    ("value", "places", "signed", "expected"),
    [
        (Decimal("75.92"), 2, False, "75,92"),
        (Decimal("-0.11"), 2, True, "−0,11"),
        (Decimal("0.27"), 2, True, "+0,27"),
        (Decimal("0"), 2, True, "0,00"),
        (Decimal("-0.004"), 2, True, "0,00"),
        (Decimal("0.005"), 2, True, "+0,01"),
        (Decimal("12345.6789"), 4, False, "12\u00a0345,6789"),
        (Decimal("0.00631507"), 4, False, "0,0063"),
    ],
)
def test_numbers_use_a_decimal_comma_and_a_true_minus(value, places, signed, expected):
    assert formatting.number(value, places, signed=signed) == expected


def test_direction_follows_the_rounded_change():
    assert formatting.direction(Decimal("-0.11")) == "down"
    assert formatting.direction(Decimal("0.004")) == "same"
    assert formatting.direction(Decimal("0.27")) == "up"
    assert formatting.direction(None) == ""


def store(*names):
    with TestCase.captureOnCommitCallbacks(execute=True):
        for name in names:
            importing.store(parse_daily(fixture(name)))


def widget(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser").select_one(".rates-widget")


def lines(response):
    return [" ".join(li.get_text().split()) for li in widget(response).select(".rate-line")]


@time_machine.travel(MONDAY_EVENING, tick=False)
def test_home_page_shows_usd_eur_cny_with_sign_and_arrow(client, home):
    store("daily_2026-01-24.xml", "daily_2026-01-27.xml")
    assert lines(client.get(home.url)) == [
        "Курс доллара на 27 января USD ЦБ: 75,81 (▼ −0,11)",
        "Курс евро на 27 января EUR ЦБ: 89,33 (▲ +0,27)",
        "Курс юаня на 27 января CNY ЦБ: 10,88 (0,00)",
    ]


@time_machine.travel(MONDAY_EVENING, tick=False)
def test_the_arrow_is_hidden_from_screen_readers_and_the_sign_carries_the_change(client, home):
    store("daily_2026-01-24.xml", "daily_2026-01-27.xml")
    change = widget(client.get(home.url)).select_one(".rate-change--down")
    assert change.select_one("[aria-hidden=true]").get_text() == "▼"
    assert "−0,11" in change.get_text()


@time_machine.travel(MONDAY_EVENING, tick=False)
def test_the_widget_links_to_the_rates_page(client, home):
    store("daily_2026-01-24.xml")
    links = [a["href"] for a in widget(client.get(home.url)).find_all("a")]
    assert links[0] == "/rates/"
    assert "/rates/?currency=USD" in links


@time_machine.travel("2026-01-28 09:00:00+00:00", tick=False)
def test_the_last_known_date_is_shown_when_todays_rate_is_missing(client, home):
    store("daily_2026-01-24.xml")
    first = lines(client.get(home.url))[0]
    assert first == "Курс доллара на 24 января USD ЦБ: 75,92"


@time_machine.travel(MONDAY_EVENING, tick=False)
def test_the_widget_is_hidden_without_rates(client, home):
    assert widget(client.get(home.url)) is None


@time_machine.travel(MONDAY_EVENING, tick=False)
def test_the_widget_sits_beside_article_pages(client, article_factory):
    store("daily_2026-01-24.xml")
    article = article_factory(title="Рубль после выходных")
    assert widget(client.get(article.url)) is not None


@time_machine.travel(MONDAY_EVENING, tick=False)
def test_the_widget_is_not_beside_other_pages(client, section):
    store("daily_2026-01-24.xml")
    assert widget(client.get(section.url)) is None


@time_machine.travel(MONDAY_EVENING, tick=False)
def test_the_currencies_are_configurable(client, home, settings):
    settings.POLOSA_RATES_WIDGET_CURRENCIES = ["JPY", "USD", "XXX"]
    store("daily_2026-01-24.xml", "daily_2026-01-27.xml")
    assert lines(client.get(home.url)) == [
        "Курс иены на 27 января JPY ЦБ: 48,99 за 100 (▲ +0,38)",
        "Курс доллара на 27 января USD ЦБ: 75,81 (▼ −0,11)",
    ]


@time_machine.travel(MONDAY_EVENING, tick=False)
def test_a_cached_home_page_shows_new_rates_at_once(client, home):
    store("daily_2026-01-24.xml")
    assert "на 24 января" in lines(client.get(home.url))[0]
    assert client.get(home.url)["X-Polosa-Cache"] == "hit"
    store("daily_2026-01-27.xml")
    assert "на 27 января" in lines(client.get(home.url))[0]


@time_machine.travel(MONDAY_EVENING, tick=False)
def test_the_widget_costs_two_queries_cold_and_none_when_cached(db, django_assert_num_queries):
    from polosa.rates.widget import widget_html

    with django_assert_num_queries(1):
        assert widget_html() == ""
    store("daily_2026-01-24.xml", "daily_2026-01-27.xml")
    with django_assert_num_queries(2):
        assert "75,81" in widget_html()
    with django_assert_num_queries(0):
        assert "75,81" in widget_html()
