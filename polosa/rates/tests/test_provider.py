"""The provider's requests, timeouts and retries, with the network replaced by a script."""

import logging
from datetime import date

import pytest
import time_machine

from polosa.rates import importing
from polosa.rates.models import Rate
from polosa.rates.providers import FetchError, Response, get_provider
from polosa.rates.providers.cbr import CbrProvider
from polosa.rates.providers.saved import SavedDocumentsTransport

from .factories import FakeTransport, fixture, ok


def provider(transport, **options):
    sleeps = []
    options.setdefault("attempts", 3)
    options.setdefault("backoff", 2.0)
    instance = CbrProvider(transport, timeout=7.5, sleep=sleeps.append, **options)
    return instance, sleeps


def test_daily_request_uses_the_banks_date_format_and_the_timeout():
    transport = FakeTransport(ok(fixture("daily_2026-01-24.xml")))
    instance, _ = provider(transport)
    document = instance.daily(date(2026, 1, 24))
    assert transport.urls == ["https://www.cbr.ru/scripts/XML_daily.asp?date_req=24/01/2026"]
    assert transport.timeouts == [7.5]
    assert document.date == date(2026, 1, 24)


def test_history_request_names_the_currency_and_the_range():
    transport = FakeTransport(ok(fixture("history_R01235_2001.xml")))
    instance, _ = provider(transport)
    instance.history("R01235", date(2001, 3, 2), date(2001, 3, 14))
    assert transport.urls == [
        "https://www.cbr.ru/scripts/XML_dynamic.asp?date_req1=02/03/2001&date_req2=14/03/2001&VAL_NM_RQ=R01235"
    ]


def test_a_timeout_is_retried_with_growing_pauses(caplog):
    transport = FakeTransport(
        TimeoutError("timed out"), Response(503, "text/html", b""), ok(fixture("daily_2026-01-24.xml"))
    )
    instance, sleeps = provider(transport)
    with caplog.at_level(logging.INFO):
        document = instance.daily(date(2026, 1, 24))
    assert document.date == date(2026, 1, 24)
    assert sleeps == [2.0, 4.0]
    assert len(transport.urls) == 3
    assert "attempt 1 of 3" in caplog.text
    assert "HTTP 503" in caplog.text


def test_the_provider_gives_up_after_the_last_attempt():
    transport = FakeTransport(TimeoutError("timed out"))
    instance, sleeps = provider(transport)
    with pytest.raises(FetchError, match=r"could not fetch .*timed out"):
        instance.daily(date(2026, 1, 24))
    assert len(transport.urls) == 3
    assert sleeps == [2.0, 4.0]


def test_a_client_error_is_not_retried():
    transport = FakeTransport(Response(404, "text/html", b""))
    instance, sleeps = provider(transport)
    with pytest.raises(FetchError, match="HTTP 404"):
        instance.daily(date(2026, 1, 24))
    assert len(transport.urls) == 1
    assert sleeps == []


@pytest.mark.django_db
@time_machine.travel("2026-01-23 14:00:00+00:00", tick=False)
def test_the_latest_import_asks_for_tomorrow_in_moscow():
    transport = FakeTransport(ok(fixture("daily_2026-01-24.xml")))
    instance, _ = provider(transport)
    result = importing.import_latest(instance)
    assert transport.urls[0].endswith("date_req=24/01/2026")
    assert result.new == 8


@pytest.mark.django_db
@time_machine.travel("2026-01-26 14:00:00+00:00", tick=False)
def test_a_network_failure_stores_nothing_and_says_why(caplog):
    instance, _ = provider(FakeTransport(OSError("Network is unreachable")))
    with pytest.raises(FetchError, match="Network is unreachable"):
        importing.import_day(date(2026, 1, 27), instance)
    assert Rate.objects.count() == 0


def test_get_provider_reads_the_settings(settings):
    settings.POLOSA_RATES_TIMEOUT = 3.0
    settings.POLOSA_RATES_ATTEMPTS = 5
    instance = get_provider(FakeTransport(ok(b"")))
    assert isinstance(instance, CbrProvider)
    assert (instance.timeout, instance.attempts) == (3.0, 5)


def test_saved_documents_answer_like_the_bank(tmp_path):
    (tmp_path / "2026-01-24.xml").write_bytes(fixture("daily_2026-01-24.xml"))
    (tmp_path / "2026-01-27.xml").write_bytes(fixture("daily_2026-01-27.xml"))
    instance, _ = provider(SavedDocumentsTransport(tmp_path))
    assert instance.daily(date(2026, 1, 26)).date == date(2026, 1, 24)  # Monday: Saturday's rates
    assert instance.daily(date(2026, 1, 27)).date == date(2026, 1, 27)
    with pytest.raises(FetchError, match="HTTP 404"):
        instance.daily(date(2026, 1, 1))
