"""Full-text search over published articles: the public entry point is `search_articles`.

Other apps call::

    from polosa.search.service import SearchFilters, search_articles

    results = search_articles("Лаврова", SearchFilters(section=economics), page=1)
    for hit in results.hits: hit.article, hit.headline, hit.snippet, hit.score

How an article is ranked (documented in docs/search.md, tested in tests/test_ranking.py)::

    score = relevance × (1 + RECENCY_BOOST × 0.5 ^ (age_in_days / RECENCY_HALF_LIFE_DAYS))

`relevance` is the database's own measure (PostgreSQL ``ts_rank`` over the weighted vector; SQLite
FTS5 ``bm25`` with the same column weights, sign flipped), so an article published just now counts up
to (1 + RECENCY_BOOST) times its relevance, one a half-life old (1 + RECENCY_BOOST / 2) times, and an
old one its relevance alone. PostgreSQL computes the same formula in SQL (one page of rows leaves the
database); SQLite scores in Python. Only the newest CANDIDATES matching articles are scored, which
bounds the work on a common word and the pagination (CANDIDATES / per_page pages at most).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import reduce
from operator import or_

from django.conf import settings
from django.db import connection
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from polosa.news import newsworthy as news_filter
from polosa.news.models import ArticlePage, SectionPage, Tag, TagKind

from . import analysis
from .highlight import has_match, highlight
from .models import SearchEntry

logger = logging.getLogger(__name__)

PER_PAGE = 20
# Column weights for SQLite's bm25, in the FTS table's column order (title, tags, lead, body); they
# mirror the PostgreSQL vector's A/A/B/D weights (1.0, 1.0, 0.4, 0.1).
BM25_WEIGHTS = (10.0, 10.0, 4.0, 1.0)
MAX_OFFERED_TAGS = 3


def candidates_limit() -> int:
    return settings.POLOSA_SEARCH_CANDIDATES


def recency_factor(published_at: datetime, now: datetime) -> float:
    """1 + RECENCY_BOOST × 0.5 ^ (age in days / half-life): 1 + boost when new, towards 1 when old."""
    age_days = max((now - published_at).total_seconds(), 0.0) / 86400
    half_life = max(settings.POLOSA_SEARCH_RECENCY_HALF_LIFE_DAYS, 0.001)
    return 1.0 + settings.POLOSA_SEARCH_RECENCY_BOOST * 0.5 ** (age_days / half_life)


def score(relevance: float, published_at: datetime, now: datetime) -> float:
    return max(relevance, 0.0) * recency_factor(published_at, now)


@dataclass
class SearchFilters:
    """What a search may be narrowed to; None means no restriction."""

    section: SectionPage | None = None
    tag: Tag | None = None
    date_from: date | None = None
    date_to: date | None = None  # inclusive, in the newsroom's time zone
    news_only: bool = False  # drop what the newsworthy exclusions keep out of news surfaces

    @property
    def active(self) -> bool:
        return bool(self.section or self.tag or self.date_from or self.date_to or self.news_only)


@dataclass
class Hit:
    article: ArticlePage
    score: float
    headline: str  # escaped HTML with <mark> around matched words
    snippet: str  # escaped HTML with <mark> around matched words


@dataclass
class SearchResults:
    query: analysis.ParsedQuery
    filters: SearchFilters
    hits: list[Hit] = field(default_factory=list)
    total: int = 0  # matches counted, at most candidates_limit()
    more_than_total: bool = False  # the count stopped at the limit
    page: int = 1
    per_page: int = PER_PAGE
    tags: list[Tag] = field(default_factory=list)  # tags and people whose names match the query

    @property
    def has_next(self) -> bool:
        return self.page * self.per_page < self.total

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def last_page(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _local_day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def filtered_entries(filters: SearchFilters) -> QuerySet:
    entries = SearchEntry.objects.all()
    if filters.section is not None:
        entries = entries.filter(section=filters.section)
    if filters.tag is not None:
        entries = entries.filter(article__tag_links__tag=filters.tag)
    if filters.date_from:
        entries = entries.filter(published_at__gte=_local_day_start(filters.date_from))
    if filters.date_to:
        entries = entries.filter(published_at__lt=_local_day_start(filters.date_to + timedelta(days=1)))
    if filters.news_only:
        entries = entries.filter(article__in=news_filter.newsworthy(ArticlePage.objects.all()).values("pk"))
    return entries


def postgres_sql(
    parsed: analysis.ParsedQuery, entries: QuerySet, filtered: bool, offset: int, limit: int
) -> tuple[str, list, str, list]:
    """The ranking query (one page of article id, score, candidate count) and the candidates query,
    each with its parameters; public so the benchmark can EXPLAIN them."""
    # One websearch_to_tsquery per query word, its forms joined with "or"; the words are ANDed. The
    # forms are letters and digits only, and they are parameters.
    tsquery = " && ".join(["websearch_to_tsquery('russian', %s)"] * len(parsed.terms))
    tsquery_params = [" or ".join(f for f in term.distinct_forms if f != "or") for term in parsed.terms]
    # The newest matches are chosen first (GIN index, or the published_at index on a common word),
    # and only those are ranked: ts_rank reads the whole vector, so it runs on CANDIDATES rows at most.
    inner = f"SELECT article_id FROM search_searchentry WHERE vector @@ ({tsquery})"  # noqa: S608
    inner_params: list = [*tsquery_params]
    if filtered:
        sub_sql, sub_params = entries.values("pk").query.sql_with_params()
        inner += f" AND article_id IN ({sub_sql})"
        inner_params.extend(sub_params)
    inner += " ORDER BY published_at DESC LIMIT %s"
    inner_params.append(candidates_limit())
    half_life = max(settings.POLOSA_SEARCH_RECENCY_HALF_LIFE_DAYS, 0.001)
    sql = (
        "SELECT article_id, score, count(*) OVER () FROM ("  # noqa: S608
        f"  SELECT e.article_id, e.published_at, GREATEST(ts_rank(e.vector, ({tsquery}), 1), 0)"
        "    * (1 + %s * power(0.5, GREATEST(extract(epoch FROM (%s - e.published_at)), 0) / 86400.0 / %s))"
        "    AS score"
        f"  FROM search_searchentry e WHERE e.article_id IN ({inner})"
        ") ranked ORDER BY score DESC, published_at DESC, article_id DESC LIMIT %s OFFSET %s"
    )
    params = [
        *tsquery_params,
        settings.POLOSA_SEARCH_RECENCY_BOOST,
        timezone.now(),
        half_life,
        *inner_params,
        limit,
        offset,
    ]
    return sql, params, inner, inner_params


def _postgres_page(
    parsed: analysis.ParsedQuery, entries: QuerySet, filtered: bool, offset: int, limit: int
) -> tuple[list[tuple[int, float]], int]:
    """One page of (article id, score), best first, and the number of candidates.

    The score is computed in SQL with the formula of `score()` (same settings), so only one page of
    rows leaves the database.
    """
    sql, params, inner, inner_params = postgres_sql(parsed, entries, filtered, offset, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
        if rows:
            return [(pk, float(value)) for pk, value, _total in rows], rows[0][2]
        if offset == 0:
            return [], 0
        cursor.execute(f"SELECT count(*) FROM ({inner}) matched", inner_params)  # noqa: S608
        return [], cursor.fetchone()[0]


def _fts_expression(parsed: analysis.ParsedQuery) -> str:
    # Stems are letters and digits only (analysis.WORD_RE), so quoting them cannot break out.
    groups = []
    for term in parsed.terms:
        stems = sorted(term.stems)
        groups.append("(" + " OR ".join(f'"{s}"' for s in stems) + ")")
    return " AND ".join(groups)


def _sqlite_candidates(
    parsed: analysis.ParsedQuery, entries: QuerySet, filtered: bool
) -> list[tuple[int, float, datetime]]:
    sql = (
        "SELECT e.article_id, -bm25(search_fts, %s, %s, %s, %s), e.published_at "
        "FROM search_fts JOIN search_searchentry e ON e.article_id = search_fts.rowid "
        "WHERE search_fts MATCH %s"
    )
    params: list = [*BM25_WEIGHTS, _fts_expression(parsed)]
    if filtered:
        sub_sql, sub_params = entries.values("pk").query.sql_with_params()
        sql += f" AND e.article_id IN ({sub_sql})"
        params.extend(sub_params)
    sql += " ORDER BY e.published_at DESC LIMIT %s"
    params.append(candidates_limit())
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    found = []
    for pk, relevance, published in rows:
        if isinstance(published, str):
            published = parse_datetime(published)
        if published is not None and timezone.is_naive(published):
            published = published.replace(tzinfo=UTC)
        found.append((pk, float(relevance), published))
    return found


def matching_tags(parsed: analysis.ParsedQuery) -> list[Tag]:
    """People and tags to offer above the results: every word of the tag's name is in the query
    («санкции против России» offers «Россия»), or every query word is in the name («Лаврова» offers
    «Сергей Лавров»). People come first."""
    if parsed.is_empty:
        return []
    prefixes = {min(term.stems, key=len) for term in parsed.terms}
    prefixes = {p for p in prefixes if len(p) >= 3}
    if not prefixes:
        return []
    # Case-insensitive LIKE does not fold Cyrillic on SQLite, so both spellings are asked for.
    condition = reduce(
        or_, [Q(name__contains=p) | Q(name__contains=p.capitalize()) for p in sorted(prefixes)]
    )
    offered = []
    for tag in Tag.objects.filter(condition).order_by("name")[:50]:
        name_stems = [analysis.stem(w) for w in analysis.words(tag.name) if w not in analysis.STOPWORDS]
        if not name_stems:
            continue
        all_name_words = all(s in parsed.all_stems for s in name_stems)
        all_query_words = all(term.stems & set(name_stems) for term in parsed.terms)
        if all_name_words or all_query_words:
            offered.append(tag)
    offered.sort(key=lambda t: (t.kind != TagKind.PERSON, t.name))
    return offered[:MAX_OFFERED_TAGS]


def search_articles(
    query: str, filters: SearchFilters | None = None, page: int = 1, per_page: int = PER_PAGE
) -> SearchResults:
    """Published articles matching `query` (Russian morphology), best first, one page of them.

    Never raises on what a reader typed: the query is reduced to plain words (see
    analysis.parse_query); an empty or all-stopword query returns no hits.
    """
    parsed = analysis.parse_query(query)
    filters = filters or SearchFilters()
    per_page = max(1, min(per_page, 100))
    max_page = max(1, -(-candidates_limit() // per_page))
    page = max(1, min(page, max_page))
    results = SearchResults(query=parsed, filters=filters, page=page, per_page=per_page)
    if parsed.is_empty:
        return results
    results.tags = matching_tags(parsed)
    entries = filtered_entries(filters)
    offset = (page - 1) * per_page
    if connection.vendor == "postgresql":
        ranked, results.total = _postgres_page(parsed, entries, filters.active, offset, per_page)
    else:
        rows = _sqlite_candidates(parsed, entries, filters.active)
        results.total = len(rows)
        now = timezone.now()
        scored = [(pk, score(rel, published, now), published) for pk, rel, published in rows]
        scored.sort(key=lambda r: (r[1], r[2], r[0]), reverse=True)
        ranked = [(pk, value) for pk, value, _published in scored[offset : offset + per_page]]
    results.more_than_total = results.total >= candidates_limit()
    scores = dict(ranked)
    page_ids = [pk for pk, _value in ranked]
    if not page_ids:
        return results
    articles = {a.pk: a for a in ArticlePage.objects.published().filter(pk__in=page_ids).for_cards()}
    texts = {e.pk: e for e in SearchEntry.objects.filter(pk__in=page_ids).only("lead", "body")}
    stems = parsed.all_stems
    for pk in page_ids:
        article = articles.get(pk)
        if article is None:  # unpublished since it was indexed; the index catches up on its own
            continue
        entry = texts.get(pk)
        text_sources = [entry.lead, entry.body] if entry else [article.lead]
        results.hits.append(
            Hit(
                article=article,
                score=scores[pk],
                headline=highlight(article.title, stems, max_chars=None),
                snippet=_snippet(text_sources, stems),
            )
        )
    return results


def _snippet(sources: list[str], stems: frozenset[str]) -> str:
    for text in sources:
        if text and has_match(text, stems):
            return highlight(text, stems)
    return highlight(sources[0] or "", stems)
