"""Storing documents: idempotent upserts, changes across weekends and holidays, and bad documents."""

import logging
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from polosa.caching import current_versions, keys
from polosa.rates import importing, queries
from polosa.rates.models import Currency, Rate
from polosa.rates.providers import DocumentError, RatesError
from polosa.rates.providers.cbr import parse_daily, parse_history

from .factories import fixture

pytestmark = pytest.mark.django_db

# The bank set the 27 January rates on Monday the 26th at about 15:30 Moscow time.
AFTER_SETTING = "2026-01-26 14:00:00+00:00"


def snapshot():
    return sorted(Rate.objects.values_list("currency__code", "date", "nominal", "value", "unit_value"))


@pytest.fixture
def stored_24th():
    with time_machine.travel(AFTER_SETTING, tick=False):
        importing.store(parse_daily(fixture("daily_2026-01-24.xml")))
    return snapshot()


@time_machine.travel(AFTER_SETTING, tick=False)
def test_a_daily_document_creates_currencies_and_rates():
    result = importing.store(parse_daily(fixture("daily_2026-01-24.xml")))
    assert (result.new, result.changed, result.unchanged) == (8, 0, 0)
    assert Currency.objects.get(code="AZN").bank_id == "R01020A"
    jpy = Rate.objects.get(currency__code="JPY")
    assert (jpy.date, jpy.nominal, jpy.value, jpy.unit_value) == (
        date(2026, 1, 24),
        100,
        Decimal("48.6133"),
        Decimal("0.486133"),
    )


@time_machine.travel(AFTER_SETTING, tick=False)
def test_importing_the_same_document_again_changes_nothing(stored_24th):
    result = importing.store(parse_daily(fixture("daily_2026-01-24.xml")))
    assert (result.new, result.changed, result.unchanged) == (0, 0, 8)
    assert snapshot() == stored_24th
    assert Currency.objects.count() == 8


@time_machine.travel(AFTER_SETTING, tick=False)
def test_a_concurrent_import_of_the_same_day_is_compared_not_an_error(stored_24th, monkeypatch, caplog):
    # The other importer's rows were not there when this one looked, but are when it writes.
    real = importing._existing_rates
    looks = []

    def missed_the_first_time(ids, days):
        looks.append(1)
        return {} if len(looks) == 1 else real(ids, days)

    monkeypatch.setattr(importing, "_existing_rates", missed_the_first_time)
    with caplog.at_level(logging.INFO, logger="polosa.rates"):
        result = importing.store(parse_daily(fixture("daily_2026-01-24.xml")))

    assert (result.new, result.changed, result.unchanged) == (0, 0, 8)
    assert snapshot() == stored_24th
    assert "at the same time" in caplog.text


@time_machine.travel(AFTER_SETTING, tick=False)
def test_a_corrected_value_replaces_the_stored_one(stored_24th, caplog):
    body = fixture("daily_2026-01-24.xml").replace(
        b"<Value>75,9200</Value><VunitRate>75,92", b"<Value>75,9300</Value><VunitRate>75,93"
    )
    with caplog.at_level(logging.WARNING, logger="polosa.rates"):
        result = importing.store(parse_daily(body))
    assert (result.new, result.changed) == (0, 1)
    assert Rate.objects.get(currency__code="USD").value == Decimal("75.93")
    assert "corrected by the bank" in caplog.text


@time_machine.travel(AFTER_SETTING, tick=False)
def test_the_change_after_a_weekend_is_against_saturday_not_monday(stored_24th):
    importing.store(parse_daily(fixture("daily_2026-01-27.xml")))
    effective, quotes = queries.quotes_on(date(2026, 1, 27))
    assert effective == date(2026, 1, 27)
    by_code = {q.currency.code: q for q in quotes}
    assert by_code["USD"].previous_date == date(2026, 1, 24)
    assert by_code["USD"].change == Decimal("-0.11")
    assert by_code["EUR"].change == Decimal("0.27")
    assert by_code["CNY"].change == Decimal("0")
    assert by_code["JPY"].change == Decimal("0.3771")


@time_machine.travel(AFTER_SETTING, tick=False)
def test_a_day_without_its_own_rates_shows_the_previous_ones(stored_24th):
    # Sunday and Monday: the bank set nothing, Saturday's rates apply.
    effective, quotes = queries.quotes_on(date(2026, 1, 26))
    assert effective == date(2026, 1, 24)
    assert {q.currency.code for q in quotes} >= {"USD", "EUR"}


@time_machine.travel("2026-03-12 12:00:00+00:00", tick=False)
def test_the_change_across_a_holiday_gap_uses_the_previous_stored_date():
    importing.store(parse_daily(fixture("daily_2026-01-24.xml")))
    importing.store(parse_history(fixture("history_R01235_2001.xml")))
    # 8 March 2001 was a holiday: 10 March compares with 7 March.
    quote = queries.latest_quotes(["USD"], date(2001, 3, 10))[0]
    assert quote.date == date(2001, 3, 10)
    assert quote.previous_date == date(2001, 3, 7)
    assert quote.change == Decimal("0.02")


@time_machine.travel(AFTER_SETTING, tick=False)
def test_history_needs_a_currency_known_from_a_daily_document():
    with pytest.raises(DocumentError, match="unknown currency R01820"):
        importing.store(parse_history(fixture("history_R01820_2026.xml")))
    assert Rate.objects.count() == 0


@time_machine.travel(AFTER_SETTING, tick=False)
def test_history_after_a_daily_document_fills_the_gaps(stored_24th):
    result = importing.store(parse_history(fixture("history_R01820_2026.xml")))
    assert (result.new, result.unchanged) == (5, 1)
    assert Rate.objects.filter(currency__code="JPY").count() == 6


@time_machine.travel("2026-01-22 10:00:00+00:00", tick=False)
def test_a_document_dated_after_tomorrow_is_refused(caplog):
    with pytest.raises(DocumentError, match="in the future"):
        importing.store(parse_daily(fixture("daily_2026-01-24.xml")))
    assert Rate.objects.count() == 0


@time_machine.travel("2026-01-23 13:00:00+00:00", tick=False)
def test_tomorrows_document_is_accepted_on_the_evening_before():
    assert importing.store(parse_daily(fixture("daily_2026-01-24.xml"))).new == 8


@pytest.mark.parametrize(
    "name",
    [
        "error_page.asp",
        "truncated.xml",
        "bomb.xml",
        "utf8_bytes_declared_cp1251.xml",
        "missing_usd.xml",
        "negative_value.xml",
        "zero_value.xml",
    ],
)
def test_a_bad_document_from_a_file_stores_nothing_and_keeps_what_was_stored(name, stored_24th, tmp_path):
    path = tmp_path / name
    # The same document for the 27th would otherwise be stored: the bad one must change nothing.
    path.write_bytes(fixture(name).replace(b"24.01.2026", b"27.01.2026"))
    with time_machine.travel(AFTER_SETTING, tick=False), pytest.raises(RatesError):
        importing.import_file(path)
    assert snapshot() == stored_24th


@time_machine.travel(AFTER_SETTING, tick=False)
def test_missing_currency_is_named_in_the_error():
    with pytest.raises(DocumentError, match="no rate for USD"):
        importing.store(parse_daily(fixture("missing_usd.xml")))


@time_machine.travel(AFTER_SETTING, tick=False)
def test_storing_new_rates_invalidates_the_rates_key_and_a_repeat_does_not():
    before = current_versions([keys.RATES])[keys.RATES]
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        importing.store(parse_daily(fixture("daily_2026-01-24.xml")))
    after = current_versions([keys.RATES])[keys.RATES]
    assert after != before
    with TestCase.captureOnCommitCallbacks(execute=True):
        importing.store(parse_daily(fixture("daily_2026-01-24.xml")))
    assert current_versions([keys.RATES])[keys.RATES] == after


@time_machine.travel(AFTER_SETTING, tick=False)
def test_import_file_logs_what_was_stored(tmp_path, caplog):
    path = tmp_path / "doc.xml"
    path.write_bytes(fixture("daily_2026-01-24.xml"))
    with caplog.at_level(logging.INFO, logger="polosa.rates"):
        importing.import_file(path)
    assert "stored rates for 24.01.2026: 8 rates, 8 new, 0 changed, 0 unchanged" in caplog.text


def test_an_unreadable_file_is_a_clear_error(tmp_path):
    with pytest.raises(RatesError, match="cannot read"):
        importing.import_file(tmp_path / "missing.xml")
