"""manage.py import_rates: a saved file, one date, a backfill with progress, and its failures."""

import logging
from datetime import date

import pytest
import time_machine
from django.core.management import CommandError, call_command

from polosa.rates.models import Rate
from polosa.rates.providers import base

from .factories import FakeTransport, fixture, ok

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _monday_before_the_27th():
    with time_machine.travel("2026-01-27 10:00:00+00:00", tick=False):
        yield


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("import_rates", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def network(monkeypatch, settings):
    """Replace the real transport; no pauses between retries."""
    settings.POLOSA_RATES_BACKOFF = 0.0

    def install(*answers):
        transport = FakeTransport(*answers)
        monkeypatch.setattr(base, "urllib_transport", transport)
        return transport

    return install


def test_file_option_stores_a_saved_document(tmp_path):
    path = tmp_path / "daily.xml"
    path.write_bytes(fixture("daily_2026-01-24.xml"))
    output = run("--file", str(path))
    assert "Stored rates for 24.01.2026: 8 rates, 8 new" in output
    assert Rate.objects.count() == 8
    assert "0 new" in run("--file", str(path))


def test_date_option_fetches_that_date(network):
    transport = network(ok(fixture("daily_2026-01-27.xml")))
    output = run("--date", "27.01.2026")
    assert transport.urls[0].endswith("date_req=27/01/2026")
    assert "27.01.2026: 8 rates, 8 new" in output


def test_without_options_the_newest_rates_are_fetched(network):
    transport = network(ok(fixture("daily_2026-01-27.xml")))
    run()
    assert transport.urls[0].endswith("date_req=28/01/2026")
    assert Rate.objects.filter(date=date(2026, 1, 27)).count() == 8


def test_a_timeout_fails_the_command_with_a_clear_message(network, caplog):
    network(TimeoutError("timed out"))
    with (
        caplog.at_level(logging.ERROR, logger="polosa.rates"),
        pytest.raises(CommandError, match="timed out"),
    ):
        run("--date", "2026-01-27")
    assert "import failed, nothing stored" in caplog.text
    assert Rate.objects.count() == 0


def test_an_html_error_page_fails_the_command_and_keeps_stored_rates(network, tmp_path):
    path = tmp_path / "daily.xml"
    path.write_bytes(fixture("daily_2026-01-24.xml"))
    run("--file", str(path))
    network(base.Response(200, "text/html", fixture("error_page.asp")))
    with pytest.raises(CommandError, match="HTML page"):
        run("--date", "2026-01-27")
    assert Rate.objects.count() == 8


def test_backfill_from_saved_documents_stores_each_document_once(tmp_path, caplog):
    (tmp_path / "2026-01-24.xml").write_bytes(fixture("daily_2026-01-24.xml"))
    (tmp_path / "2026-01-27.xml").write_bytes(fixture("daily_2026-01-27.xml"))
    with caplog.at_level(logging.INFO, logger="polosa.rates"):
        output = run("--from", "2026-01-24", "--to", "2026-01-27", "--dir", str(tmp_path), "--no-progress")
    assert "Backfilled 4 days: 2 documents, 16 new and 0 changed rates" in output
    assert "backfill 4 of 4 days" in caplog.text
    assert "backfill 24.01.2026–27.01.2026 stored 2 documents" in caplog.text


def test_a_bad_day_stops_the_backfill_and_keeps_the_days_before(tmp_path):
    (tmp_path / "2026-01-24.xml").write_bytes(fixture("daily_2026-01-24.xml"))
    (tmp_path / "2026-01-27.xml").write_bytes(fixture("truncated.xml"))
    with pytest.raises(CommandError, match="truncated"):
        run("--from", "2026-01-24", "--to", "2026-01-27", "--dir", str(tmp_path), "--no-progress")
    assert set(Rate.objects.values_list("date", flat=True)) == {date(2026, 1, 24)}


def test_currency_history_in_one_request(network, tmp_path):
    path = tmp_path / "daily.xml"
    path.write_bytes(fixture("daily_2026-01-24.xml"))
    run("--file", str(path))
    transport = network(ok(fixture("history_R01820_2026.xml")))
    output = run("--from", "2026-01-20", "--to", "2026-01-27", "--currency", "JPY")
    assert "VAL_NM_RQ=R01820" in transport.urls[0]
    assert "history of R01820, 20.01.2026–27.01.2026: 6 rates, 5 new" in output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--date", "31.02.2026"], "not a date"),
        (["--to", "2026-01-27"], "--to needs --from"),
        (["--from", "2026-01-27", "--to", "2026-01-01"], "before --from"),
        (["--currency", "USD"], "needs --from"),
        (["--from", "2026-01-01", "--dir", "/nonexistent/folder"], "no such folder"),
    ],
)
def test_bad_arguments_are_refused(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_backfill_on_a_terminal_shows_a_progress_bar(tmp_path, monkeypatch):
    from io import StringIO

    class Terminal(StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    (tmp_path / "2026-01-24.xml").write_bytes(fixture("daily_2026-01-24.xml"))
    run("--from", "2026-01-24", "--to", "2026-01-27", "--dir", str(tmp_path))
    assert "4/4" in terminal.getvalue()
    assert "rates" in terminal.getvalue()
