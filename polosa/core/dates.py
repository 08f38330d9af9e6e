"""Dates the way a Russian newsroom prints them, in the newsroom's time zone.

Feed style: today "21:52", yesterday "вчера, 21:52", this year "23 янв, 17:13", other years
"23 янв 2025, 17:13". Article style: "25 ноября 2026, 14:05". Feed times mostly follow a rubric and
a comma ("Политика, вчера, 23:44"), so "вчера" is lowercase; where one starts a line, a template
capitalises it (`|capfirst`).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.dates import MONTHS_ALT
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

# The feed's abbreviations ("23 янв", no full stop) are the newsroom's own; the genitive of a full
# date ("25 ноября") is Django's (`MONTHS_ALT`, the `E` date format).
_SHORT_MONTHS = (
    lambda: pgettext("abbrev. month", "Jan"),
    lambda: pgettext("abbrev. month", "Feb"),
    lambda: pgettext("abbrev. month", "Mar"),
    lambda: pgettext("abbrev. month", "Apr"),
    lambda: pgettext("abbrev. month", "May"),
    lambda: pgettext("abbrev. month", "Jun"),
    lambda: pgettext("abbrev. month", "Jul"),
    lambda: pgettext("abbrev. month", "Aug"),
    lambda: pgettext("abbrev. month", "Sep"),
    lambda: pgettext("abbrev. month", "Oct"),
    lambda: pgettext("abbrev. month", "Nov"),
    lambda: pgettext("abbrev. month", "Dec"),
)


def local(value: datetime) -> datetime:
    return timezone.localtime(value)


def short_month(month: int) -> str:
    return _SHORT_MONTHS[month - 1]()


def genitive_month(month: int) -> str:
    return str(MONTHS_ALT[month])


def feed_time(value: datetime, now: datetime | None = None) -> str:
    """The time of a feed item relative to `now`, in the newsroom's zone."""
    value = local(value)
    today = local(now or timezone.now()).date()
    clock = value.strftime("%H:%M")
    day = value.date()
    if day == today:
        return clock
    if day == today - timedelta(days=1):
        return _("yesterday, %(time)s") % {"time": clock}
    if day.year == today.year:
        return f"{day.day} {short_month(day.month)}, {clock}"
    return f"{day.day} {short_month(day.month)} {day.year}, {clock}"


def long_date(value: datetime) -> str:
    """ "25 ноября 2026"."""
    day = local(value).date()
    return f"{day.day} {genitive_month(day.month)} {day.year}"


def long_datetime(value: datetime) -> str:
    """ "25 ноября 2026, 14:05"."""
    value = local(value)
    return f"{long_date(value)}, {value.strftime('%H:%M')}"


def day_and_month(value) -> str:
    """ "24 января", for dates and datetimes alike (rates are set for a date)."""
    day = local(value).date() if isinstance(value, datetime) else value
    return f"{day.day} {genitive_month(day.month)}"


def iso(value: datetime) -> str:
    """ISO 8601 with the newsroom's offset, for <time datetime> and structured data."""
    return local(value).isoformat(timespec="seconds")
