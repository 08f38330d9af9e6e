"""Counting article reads without cookies or personal data, and the "most read" list.

A page may come from the page cache, so the count cannot be taken while rendering: the article page
sends a beacon (a POST from feed.js) to `/_util/feed/read/<id>/`, a path the page cache never stores.
The view drops bots (by user agent), rate-limits each client, and adds the read to pending counters in
the shared cache; the periodic job `feed.flush_reads` moves them to the database in batches. Reading
a page therefore never waits for a database write, and a flood of beacons only touches the cache.

Privacy: the client is recognised only by a hash of its address and user agent with a salt that
changes every day; the hash lives in the cache for a few minutes (rate limit) or half an hour (a
repeated view of the same article is not counted again) and is never written to the database.

The counter shown beside an article's story line is kept in the cache too (`reads:total:<id>`,
seeded from the database), so the beacon can answer with the fresh figure and the script can update
a page that was served from the page cache; flushing never invalidates article pages.
"""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest
from django.utils import timezone

from polosa.core.clients import client_address

logger = logging.getLogger(__name__)

TOTAL_PREFIX = "reads:total:"
TOTAL_TIMEOUT = 7 * 24 * 3600
LOG_SEQ_KEY = "reads:log:seq"
LOG_DONE_KEY = "reads:log:done"
LOG_ENTRY_PREFIX = "reads:log:e:"
LOG_TIMEOUT = 2 * 24 * 3600
HOURS_KEPT = 48
MOST_READ_HOURS = 24
MOST_READ_STATE_KEY = "reads:most-read-state"
MAX_USER_AGENT = 512


def _setting(name: str, default):
    return getattr(settings, name, default)


# --- Who is reading ---------------------------------------------------------------------------------


def _detector():
    from crawlerdetect import CrawlerDetect

    global _DETECTOR
    if _DETECTOR is None:
        _DETECTOR = CrawlerDetect()
    return _DETECTOR


_DETECTOR = None


def is_bot(user_agent: str) -> bool:
    """Crawlers, monitors, headless browsers and clients that say nothing about themselves."""
    user_agent = (user_agent or "").strip()
    if not user_agent or len(user_agent) > MAX_USER_AGENT:
        return True
    return _detector().is_crawler(user_agent)


def client_token(request: HttpRequest, now: datetime | None = None) -> str:
    """A short hash that tells clients apart for one day and cannot be turned back into an address."""
    day = timezone.localdate(now or timezone.now()).isoformat()
    raw = "|".join(
        (
            settings.SECRET_KEY,
            "polosa.reads",
            day,
            client_address(request),
            request.headers.get("User-Agent", ""),
        )
    )
    return hashlib.sha256(raw.encode()).hexdigest()[:24]


def allow(token: str) -> bool:
    """At most POLOSA_READS_PER_MINUTE beacons a minute from one client; the rest are refused."""
    limit = _setting("POLOSA_READS_PER_MINUTE", 30)
    minute = int(timezone.now().timestamp() // 60)
    key = f"reads:rate:{token}:{minute}"
    if cache.add(key, 1, 120):
        return True
    try:
        return cache.incr(key) <= limit
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, 120)
        return True


def first_view(token: str, article_id: int) -> bool:
    """Whether this client has not read this article in the last half hour (reloads count once)."""
    seconds = _setting("POLOSA_READ_REPEAT_SECONDS", 1800)
    return cache.add(f"reads:seen:{token}:{article_id}", 1, seconds)


# --- Pending counts in the shared cache -------------------------------------------------------------


def _hour(moment: datetime) -> datetime:
    return moment.replace(minute=0, second=0, microsecond=0)


def _field(moment: datetime, article_id: int) -> str:
    return f"{_hour(moment).strftime('%Y%m%d%H')}:{article_id}"


def _parse_field(field: str) -> tuple[datetime, int]:
    hour, article_id = field.split(":")
    return datetime.strptime(hour, "%Y%m%d%H").replace(tzinfo=UTC), int(article_id)


def add_pending(article_id: int, moment: datetime | None = None) -> None:
    """Remember one read until the next flush.

    An append-only log of entries numbered by incr(), through Django's cache API, so it works on every
    backend and a shared-cache outage costs a lost read, never a failed request; a read can also be
    lost when two processes race, which a read counter can afford.
    """
    moment = moment or timezone.now()
    field = _field(moment, article_id)
    cache.add(LOG_SEQ_KEY, 0, None)
    seq = cache.incr(LOG_SEQ_KEY)
    cache.set(f"{LOG_ENTRY_PREFIX}{seq}", field, LOG_TIMEOUT)


def take_pending() -> Counter:
    """Remove and return every pending read: {(hour, article_id): reads}."""
    counts: Counter = Counter()
    top = cache.get(LOG_SEQ_KEY) or 0
    done = cache.get(LOG_DONE_KEY) or 0
    for start in range(done + 1, top + 1, 1000):
        names = [f"{LOG_ENTRY_PREFIX}{n}" for n in range(start, min(start + 1000, top + 1))]
        found = cache.get_many(names)
        for value in found.values():
            counts[_parse_field(value)] += 1
        cache.delete_many(names)
    cache.set(LOG_DONE_KEY, top, None)
    return counts


# --- The counter beside the story line --------------------------------------------------------------


def total(article_id: int) -> int:
    """All reads of an article so far, from the cache (seeded from the database on a miss)."""
    value = cache.get(f"{TOTAL_PREFIX}{article_id}")
    if value is None:
        value = _seed_total(article_id)
    return int(value)


def _seed_total(article_id: int) -> int:
    from .models import ArticleReadTotal

    stored = ArticleReadTotal.objects.filter(article_id=article_id).values_list("reads", flat=True).first()
    value = stored or 0
    cache.add(f"{TOTAL_PREFIX}{article_id}", value, TOTAL_TIMEOUT)
    return int(cache.get(f"{TOTAL_PREFIX}{article_id}", value))


def count_read(article_id: int) -> int:
    """Count one read now; return the article's new total."""
    add_pending(article_id)
    key = f"{TOTAL_PREFIX}{article_id}"
    if cache.get(key) is None:
        _seed_total(article_id)
    try:
        return int(cache.incr(key))
    except ValueError:  # evicted in between
        return _seed_total(article_id) + 1


# --- Flushing to the database -----------------------------------------------------------------------


def _upsert(table: str, conflict: str, columns: list[str], rows: list[tuple]) -> None:
    """INSERT … ON CONFLICT DO UPDATE adding the new reads: the same SQL on PostgreSQL and SQLite."""
    if not rows:
        return
    qn = connection.ops.quote_name
    cols = ", ".join(qn(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    reads = qn("reads")
    # Names come from the models, values are parameters.
    sql = (
        f"INSERT INTO {qn(table)} ({cols}) VALUES ({marks}) ON CONFLICT ({conflict}) "  # noqa: S608
        f"DO UPDATE SET {reads} = {qn(table)}.{reads} + excluded.{reads}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def store(counts: Counter) -> int:
    """Add `counts` ({(hour, article_id): reads}) to the database; return how many reads were stored."""
    from polosa.news.models import ArticlePage

    from .models import ArticleReadHour, ArticleReadTotal

    if not counts:
        return 0
    ids = {article_id for _, article_id in counts}
    existing = set(ArticlePage.objects.filter(pk__in=ids).values_list("pk", flat=True))
    per_hour = [(a, hour, n) for (hour, a), n in sorted(counts.items()) if a in existing]
    per_article: Counter = Counter()
    for article_id, _, n in per_hour:
        per_article[article_id] += n
    qn = connection.ops.quote_name
    with transaction.atomic():
        _upsert(
            ArticleReadHour._meta.db_table,
            f"{qn('article_id')}, {qn('hour')}",
            ["article_id", "hour", "reads"],
            per_hour,
        )
        _upsert(
            ArticleReadTotal._meta.db_table,
            qn("article_id"),
            ["article_id", "reads"],
            sorted(per_article.items()),
        )
    return sum(per_article.values())


def flush(now: datetime | None = None) -> int:
    """Move pending reads to the database, forget old hours, refresh the most-read list if it changed."""
    from .models import ArticleReadHour

    now = now or timezone.now()
    counts = take_pending()
    stored = store(counts)
    ArticleReadHour.objects.filter(hour__lt=_hour(now) - timedelta(hours=HOURS_KEPT)).delete()
    refresh_most_read(now)
    if stored:
        logger.info("stored %s reads of %s articles", stored, len({a for _, a in counts}))
    return stored


# --- Most read --------------------------------------------------------------------------------------


def most_read_ids(limit: int, now: datetime | None = None) -> list[int]:
    """The articles read most in the last 24 hours, most read first."""
    from django.db.models import Sum

    from .models import ArticleReadHour

    now = now or timezone.now()
    since = _hour(now) - timedelta(hours=MOST_READ_HOURS - 1)
    rows = (
        ArticleReadHour.objects.filter(hour__gte=since)
        .values("article_id")
        .annotate(total=Sum("reads"))
        .order_by("-total", "-article_id")
        .values_list("article_id", flat=True)[: limit * 2]
    )
    return list(rows)


def refresh_most_read(now: datetime | None = None, force: bool = False) -> bool:
    """Invalidate the most-read block when its order changed, at most every few minutes.

    Every article page shows the block, so invalidating it on every flush would empty the page cache
    each minute; POLOSA_MOST_READ_REFRESH_SECONDS bounds how often that happens.
    """
    from polosa.caching import invalidate, keys

    now = now or timezone.now()
    state = cache.get(MOST_READ_STATE_KEY) or {"ids": None, "at": 0.0}
    ids = most_read_ids(_setting("POLOSA_MOST_READ_SIZE", 5), now)
    if ids == state["ids"]:
        return False
    wait = _setting("POLOSA_MOST_READ_REFRESH_SECONDS", 300)
    if not force and state["ids"] is not None and now.timestamp() - state["at"] < wait:
        return False
    invalidate(keys.MOST_READ)
    cache.set(MOST_READ_STATE_KEY, {"ids": ids, "at": now.timestamp()}, None)
    return True


def articles_by_ids(ids: Iterable[int]):
    """Published articles in the order of `ids`, unpublished ones left out."""
    from polosa.news.models import ArticlePage

    ids = list(ids)
    if not ids:
        return []
    found = {a.pk: a for a in ArticlePage.objects.published().filter(pk__in=ids).select_related("section")}
    return [found[i] for i in ids if i in found]
