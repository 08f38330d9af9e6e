"""The worker's rates import: every hour while the bank may publish (12:00–20:00 Moscow time)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django_tasks import task

from . import importing
from .providers import RatesError

logger = logging.getLogger("polosa.rates")


def schedule_interval() -> timedelta:
    return timedelta(minutes=settings.POLOSA_RATES_EVERY_MINUTES)


def schedule_hours() -> list[int]:
    """The Moscow hours of ``POLOSA_RATES_HOURS`` as hours of the newsroom's zone (the scheduler's).

    Moscow keeps no daylight saving time; a newsroom zone that does is converted with today's offset.
    """
    moscow = ZoneInfo("Europe/Moscow")
    today = timezone.now().astimezone(moscow).date()
    local = timezone.get_default_timezone()
    hours = set()
    for hour in settings.POLOSA_RATES_HOURS:
        moment = datetime(today.year, today.month, today.day, hour, tzinfo=moscow)
        hours.add(moment.astimezone(local).hour)
    return sorted(hours)


@task()
def import_latest_rates() -> dict:
    """Fetch and store the newest rates; one log line says what was stored or why nothing was.

    A source that cannot be reached or answers badly is an expected, operator-level failure: it is
    logged in that one line and the task ends normally (the next run tries again), so the worker does
    not add a traceback for it. Anything else is a bug and fails the task as usual.
    """
    try:
        result = importing.import_latest()
    except RatesError as error:
        logger.error("rates: import failed, nothing stored: %s", error)
        return {"stored": False, "error": str(error)}
    return {
        "stored": True,
        "date": result.document.date.isoformat(),
        "new": result.new,
        "changed": result.changed,
    }
