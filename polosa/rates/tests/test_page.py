"""/rates/: the day's table, the SVG history chart with its text alternative, and CSV downloads."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.test import TestCase

from polosa.rates import chart, importing
from polosa.rates.documents import LISTINGS, daily_xml, effective_dates
from polosa.rates.providers.cbr import parse_daily

from .factories import fixture

MONDAY_EVENING = "2026-01-26 14:00:00+00:00"
# Six of its own (currencies, effective date, its rates, previous date, their rates, the history)
# and five of the page shell (section navigation, news-feed column).
PAGE_QUERIES = 11
# polosa.promos reads the feed column's event promos and partner markings once per promos version.
PAGE_QUERIES += 2
# The breaking-news banner above every page (polosa.newsroom) adds one.
PAGE_QUERIES += 1
# The feed column's «Онлайн» rows of open live blogs (polosa.live): the blogs and their view restrictions.
PAGE_QUERIES += 2


@pytest.fixture(autouse=True)
def _monday_evening():
    with time_machine.travel(MONDAY_EVENING, tick=False):
        yield


def store(*bodies):
    with TestCase.captureOnCommitCallbacks(execute=True):
        for body in bodies:
            importing.store(parse_daily(body))


@pytest.fixture
def two_days(db):
    store(fixture("daily_2026-01-24.xml"), fixture("daily_2026-01-27.xml"))


@pytest.fixture
def year(db):
    """A year of synthetic documents for USD, EUR and CNY (a steady climb of the dollar)."""
    listings = [item for item in LISTINGS if item.code in {"USD", "EUR", "CNY"}]
    days = effective_dates(date(2025, 1, 28), date(2026, 1, 27))
    bodies = []
    for n, day in enumerate(days):
        rows = [(item, Decimal("70") + Decimal(n) / 10 + i) for i, item in enumerate(listings)]
        bodies.append(daily_xml(day, rows))
    store(*bodies)
    return days


def soup(response):
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def test_the_page_lists_every_currency_with_its_change(client, home, two_days):
    page = soup(client.get("/rates/"))
    assert page.h1.get_text() == "Курсы валют ЦБ РФ"
    rows = {
        tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in page.select(".rates-section table.rates-table tbody tr")[:8]
    }
    assert rows["USD"] == ["Доллар США", "1", "75,8100", "▼ −0,1100"]
    assert rows["JPY"] == ["Японских иен", "100", "48,9904", "▲ +0,3771"]
    assert rows["UZS"][1:3] == ["10000", "63,0019"]
    assert "на 27 января" in page.select_one(".page-header__lead").get_text()


def test_a_chosen_day_without_rates_shows_the_rates_in_effect(client, home, two_days):
    page = soup(client.get("/rates/?date=2026-01-26"))
    lead = page.select_one(".page-header__lead").get_text(" ", strip=True)
    assert "на 24 января" in lead
    assert "не устанавливал" in lead
    assert page.find("meta", attrs={"name": "robots"})["content"] == "noindex, follow"


def test_the_chart_is_an_svg_with_a_title_a_summary_and_a_table(client, home, year):
    page = soup(client.get("/rates/?currency=USD&days=90"))
    svg = page.select_one("figure.rates-chart svg")
    assert svg["role"] == "img"
    assert svg.title.get_text() == "Курс доллара"
    assert "минимум" in svg.desc.get_text()
    points = svg.polyline["points"].split()
    expected = [d for d in year if d > date(2026, 1, 27) - timedelta(days=90)]
    assert len(points) == len(expected)
    table_rows = page.select(".rates-chart__data tbody tr")
    assert len(table_rows) == len(expected)
    assert table_rows[0].td.get_text() == "27 января 2026"


@pytest.mark.parametrize("days", [30, 90, 365])
def test_each_period_draws_its_own_span(client, home, year, days):
    page = soup(client.get(f"/rates/?currency=EUR&days={days}"))
    expected = [d for d in year if d > date(2026, 1, 27) - timedelta(days=days)]
    assert len(page.select_one("svg.chart polyline")["points"].split()) == len(expected)
    current = page.select_one(".rates-periods [aria-current]")
    assert current.get_text().startswith(str(days))


def test_the_page_stays_within_its_query_budget(client, home, year, django_assert_max_num_queries):
    from polosa.core.sites import site_for

    site_for("testserver", 80)  # as in every process after its first request
    with django_assert_max_num_queries(PAGE_QUERIES):
        assert client.get("/rates/?currency=USD&days=365").status_code == 200


@pytest.mark.parametrize(
    "query",
    ["?days=7", "?days=abc", "?currency=XXX", "?currency=US%00", "?date=2026-13-01", "?date=yesterday"],
)
def test_bad_parameters_are_not_found(client, home, two_days, query):
    assert client.get("/rates/" + query).status_code == 404


@pytest.mark.parametrize(
    "query", ["?currency=USD&end=2026-13-01", "?currency=USD&days=8", "?currency=XYZ", "?date=2026-02-30"]
)
def test_bad_csv_parameters_are_not_found(client, two_days, query):
    assert client.get("/rates/rates.csv" + query).status_code == 404


def test_without_rates_the_page_says_so(client, home, db):
    page = soup(client.get("/rates/"))
    assert page.select_one("p.empty").get_text() == "Курсы ещё не загружены."


def test_the_days_table_downloads_as_csv(client, home, two_days):
    response = client.get("/rates/rates.csv?date=2026-01-27")
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="rates-2026-01-27.csv"' in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "code", "bank_id", "name", "nominal", "value", "change"]
    usd = next(r for r in rows if r[1] == "USD")
    assert usd == ["2026-01-27", "USD", "R01235", "Доллар США", "1", "75.8100", "-0.1100"]


def test_a_repeated_download_keeps_its_file_name(client, home, two_days):
    client.get("/rates/rates.csv?date=2026-01-27")
    again = client.get("/rates/rates.csv?date=2026-01-27")
    assert 'filename="rates-2026-01-27.csv"' in again["Content-Disposition"]


def test_the_history_downloads_as_csv(client, home, year):
    response = client.get("/rates/rates.csv?currency=USD&days=30&end=2026-01-27")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["date", "code", "nominal", "value", "unit_value"]
    assert len(rows) - 1 == len([d for d in year if d > date(2025, 12, 28)])
    assert rows[-1][0] == "2026-01-27"


def test_a_cached_rates_page_changes_when_rates_are_stored(client, home, two_days):
    assert client.get("/rates/").status_code == 200
    assert client.get("/rates/")["X-Polosa-Cache"] == "hit"
    body = fixture("daily_2026-01-27.xml").replace(
        b"<Value>75,8100</Value><VunitRate>75,81", b"<Value>75,8000</Value><VunitRate>75,8"
    )
    store(body)
    assert "75,8000" in client.get("/rates/").content.decode()


def test_a_chart_of_one_point_draws_a_dot():
    svg = str(chart.render_svg([chart.Point(date(2026, 1, 27), Decimal("75.81"))], "Курс доллара"))
    assert "<circle" in svg
    assert "<polyline" not in svg


def test_the_chart_scale_uses_round_steps_and_russian_numbers():
    points = [
        chart.Point(date(2026, 1, d), Decimal(v)) for d, v in [(20, "75.1"), (21, "76.9"), (22, "75.5")]
    ]
    svg = BeautifulSoup(str(chart.render_svg(points, "Курс доллара")), "html.parser")
    labels = [t.get_text() for t in svg.select("text.chart__label")]
    assert "75,00" in labels
    assert "77,00" in labels
