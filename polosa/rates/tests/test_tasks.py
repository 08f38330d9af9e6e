"""The worker's schedule and task, and the demo's documents."""

import logging
from datetime import date, datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine

from polosa.core import periodic
from polosa.rates import demo, tasks
from polosa.rates.models import Rate
from polosa.rates.providers import base

from .factories import FakeTransport, fixture, ok

MOSCOW = ZoneInfo("Europe/Moscow")


def rates_job():
    return next(job for job in periodic.jobs() if job.name == "rates.import")


def test_the_import_runs_hourly_from_noon_to_eight_pm_moscow_time():
    job = rates_job()
    assert job.every == timedelta(hours=1)
    assert job.active_at(datetime(2026, 1, 26, 12, 0, tzinfo=MOSCOW))
    assert job.active_at(datetime(2026, 1, 26, 20, 30, tzinfo=MOSCOW))
    assert not job.active_at(datetime(2026, 1, 26, 11, 59, tzinfo=MOSCOW))
    assert not job.active_at(datetime(2026, 1, 26, 21, 0, tzinfo=MOSCOW))


def test_moscow_hours_become_hours_of_another_newsroom_zone(settings):
    settings.TIME_ZONE = "Asia/Yekaterinburg"  # Moscow + 2 h
    assert tasks.schedule_hours() == list(range(14, 23))


@pytest.mark.django_db
@time_machine.travel("2026-01-26 14:00:00+00:00", tick=False)
def test_the_task_stores_tomorrows_rates(monkeypatch, caplog):
    transport = FakeTransport(ok(fixture("daily_2026-01-27.xml")))
    monkeypatch.setattr(base, "urllib_transport", transport)
    with caplog.at_level(logging.INFO, logger="polosa.rates"):
        result = tasks.import_latest_rates.call()
    assert result == {"stored": True, "date": "2026-01-27", "new": 8, "changed": 0}
    assert "stored rates for 27.01.2026: 8 rates, 8 new" in caplog.text


@pytest.mark.django_db
@time_machine.travel("2026-01-26 14:00:00+00:00", tick=False)
def test_a_failing_task_logs_why_and_stores_nothing(monkeypatch, settings, caplog):
    settings.POLOSA_RATES_BACKOFF = 0.0
    monkeypatch.setattr(base, "urllib_transport", FakeTransport(TimeoutError("timed out")))
    with caplog.at_level(logging.INFO):
        result = tasks.import_latest_rates.call()
    assert result == {
        "stored": False,
        "error": "could not fetch https://www.cbr.ru/scripts/XML_daily.asp?date_req=27/01/2026: "
        "TimeoutError: timed out",
    }
    problems = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert [r.getMessage() for r in problems] == ["rates: import failed, nothing stored: " + result["error"]]
    assert not any(r.exc_info for r in caplog.records)
    assert Rate.objects.count() == 0


def test_demo_documents_cover_sixty_days_and_move_to_the_current_week():
    documents = demo.demo_documents(tomorrow=date(2027, 3, 10))
    days = [d.date for d in documents]
    # 10 March 2027 is a Wednesday: the newest rates take effect that day.
    assert max(days) == date(2027, 3, 10)
    assert min(days) > date(2027, 3, 10) - timedelta(days=60)
    assert min(days) <= date(2027, 3, 10) - timedelta(days=55)
    assert all(day.isoweekday() not in (1, 7) for day in days)  # no rate takes effect on Sunday or Monday


@pytest.mark.django_db
def test_the_demo_loads_once():
    out = StringIO()
    demo.load(out)
    assert "invented values" in out.getvalue()
    count = Rate.objects.count()
    assert count == len(demo.demo_documents()) * 13
    demo.load(out)
    assert Rate.objects.count() == count


@pytest.mark.django_db
def test_operators_see_rates_in_the_admin_but_cannot_edit_them(admin_client):
    demo.load(StringIO())
    response = admin_client.get("/django-admin/rates/rate/")
    assert response.status_code == 200
    assert "Доллар США" in response.content.decode()
    assert admin_client.get("/django-admin/rates/rate/add/").status_code == 403
