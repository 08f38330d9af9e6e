"""Keeping the search index in step with what is published.

`index_article(article_id)` reads the article's live row from the database (never an editor's draft)
and writes or removes its index entry; the signal handlers call it on publish, unpublish, move, tag
changes and deletion. `rebuild()` re-indexes everything (``manage.py rebuild_search_index``).
"""

from __future__ import annotations

import html
import logging
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.utils.html import strip_tags
from wagtail.models import PageViewRestriction

from polosa.news.models import ArticlePage, ArticleTag

from . import analysis
from .models import SearchEntry

logger = logging.getLogger(__name__)

# Weights of the PostgreSQL vector: headline and tags A, lead B, body D.
_PG_VECTOR_SQL = (
    "setweight(to_tsvector('russian', coalesce(title, '')), 'A') || "
    "setweight(to_tsvector('russian', coalesce(tags, '')), 'A') || "
    "setweight(to_tsvector('russian', coalesce(lead, '')), 'B') || "
    "setweight(to_tsvector('russian', coalesce(body, '')), 'D')"
)
FTS_TABLE = "search_fts"


def _text(value) -> str:
    return html.unescape(strip_tags(str(value or "")))


def _block_texts(block: dict) -> Iterator[str]:
    kind, value = block.get("type"), block.get("value")
    if kind == "paragraph":
        yield _text(value)
    elif kind == "quote" and isinstance(value, dict):
        yield from (_text(value.get(k)) for k in ("text", "speaker", "speaker_role", "source"))
    elif kind == "factbox" and isinstance(value, dict):
        yield _text(value.get("title"))
        for item in value.get("items") or []:
            yield _text(item.get("value") if isinstance(item, dict) else item)
    elif kind == "image" and isinstance(value, dict):
        yield _text(value.get("caption"))


def body_text(article: ArticlePage) -> str:
    """The readable words of the article body: paragraphs, quotes, fact boxes, captions."""
    try:
        raw = article.body.raw_data
    except (AttributeError, TypeError, ValueError):  # an unreadable body indexes as empty
        logger.warning("search: could not read the body of article %s", article.pk)
        return ""
    parts: list[str] = []
    for block in raw:
        if isinstance(block, dict):
            parts.extend(t.strip() for t in _block_texts(block) if t and t.strip())
    return "\n".join(parts)


def _restricted_paths() -> tuple[str, ...]:
    """Tree paths under a view restriction (password, login, groups): never shown in search."""
    return tuple(PageViewRestriction.objects.values_list("page__path", flat=True))


def _indexable(article: ArticlePage | None, restricted: tuple[str, ...]) -> bool:
    return bool(
        article is not None
        and article.live
        and article.published_at
        and not (restricted and article.path.startswith(restricted))
    )


def _write_engine_rows(article_ids: list[int]) -> None:
    if not article_ids:
        return
    placeholders = ", ".join(["%s"] * len(article_ids))
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"UPDATE search_searchentry SET vector = {_PG_VECTOR_SQL} "  # noqa: S608 (constant SQL)
                f"WHERE article_id IN ({placeholders})",
                article_ids,
            )
        elif connection.vendor == "sqlite":
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", article_ids)  # noqa: S608
            rows = SearchEntry.objects.filter(pk__in=article_ids).values_list(
                "pk", "title", "tags", "lead", "body"
            )
            cursor.executemany(
                f"INSERT INTO {FTS_TABLE} (rowid, title, tags, lead, body) VALUES (%s, %s, %s, %s, %s)",  # noqa: S608
                [(pk, *(analysis.stems_text(t) for t in texts)) for pk, *texts in rows],
            )


def _remove_engine_rows(article_ids: list[int]) -> None:
    if connection.vendor == "sqlite" and article_ids:
        placeholders = ", ".join(["%s"] * len(article_ids))
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid IN ({placeholders})", article_ids)  # noqa: S608


def entry_for(article: ArticlePage, tag_names: Iterable[str]) -> SearchEntry:
    return SearchEntry(
        article_id=article.pk,
        section_id=article.section_id,
        published_at=article.published_at,
        title=article.title,
        lead=article.lead or "",
        tags=" ".join(tag_names),
        body=body_text(article),
    )


def index_articles(article_ids: Iterable[int]) -> int:
    """Bring the entries of these articles in line with their live rows; returns how many are indexed."""
    ids = sorted(set(article_ids))
    if not ids:
        return 0
    articles = {a.pk: a for a in ArticlePage.objects.filter(pk__in=ids)}
    tag_names: dict[int, list[str]] = {}
    for article_id, name in (
        ArticleTag.objects.filter(article_id__in=ids)
        .order_by("article_id", "sort_order")
        .values_list("article_id", "tag__name")
    ):
        tag_names.setdefault(article_id, []).append(name)
    restricted = _restricted_paths()
    keep = [articles[i] for i in ids if _indexable(articles.get(i), restricted)]
    drop = [i for i in ids if i not in {a.pk for a in keep}]
    with transaction.atomic():
        if drop:
            SearchEntry.objects.filter(pk__in=drop).delete()
            _remove_engine_rows(drop)
        entries = [entry_for(a, tag_names.get(a.pk, [])) for a in keep]
        SearchEntry.objects.bulk_create(
            entries,
            update_conflicts=True,
            unique_fields=["article"],
            update_fields=["section", "published_at", "title", "lead", "tags", "body"],
        )
        _write_engine_rows([a.pk for a in keep])
    return len(keep)


def index_article(article_id: int) -> bool:
    """Index one article from its live row, or remove it when it is no longer published."""
    return index_articles([article_id]) == 1


def remove_article(article_id: int) -> None:
    SearchEntry.objects.filter(pk=article_id).delete()
    _remove_engine_rows([article_id])


def rebuild(batch: int = 500, progress=None) -> int:
    """Re-index every article (after an import that bypassed signals, or a change of analysis)."""
    total = 0
    ids = list(ArticlePage.objects.order_by("pk").values_list("pk", flat=True))
    stale = SearchEntry.objects.exclude(article_id__in=ArticlePage.objects.values("pk"))
    stale.delete()
    for start in range(0, len(ids), batch):
        chunk = ids[start : start + batch]
        total += index_articles(chunk)
        if progress:
            progress(len(chunk))
    logger.info("search: indexed %d articles", total)
    return total
