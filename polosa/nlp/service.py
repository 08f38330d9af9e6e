"""Analyse an article's latest revision and store what it suggests; read the suggestions back.

`analyse_article` is what the save signal's task, the editor's "refresh" button and the backfill
command all call.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from django.db import transaction

from polosa.news.models import ArticlePage, Tag

from . import extraction, matching
from .models import ArticleAnalysis, ArticleEntity, TagSuggestion
from .text import article_text

logger = logging.getLogger(__name__)

MAX_SUGGESTIONS = 20


def latest_version(article: ArticlePage) -> ArticlePage:
    """The article as its latest revision has it (what the editor sees), else as stored."""
    revision = article.get_latest_revision()
    return revision.as_object() if revision is not None else article


def is_up_to_date(article: ArticlePage) -> bool:
    """Whether the stored analysis was made from the article's latest revision."""
    analysis = ArticleAnalysis.objects.filter(article=article).first()
    return analysis is not None and analysis.revision_id == article.latest_revision_id


def analyse_article(article: ArticlePage | int) -> ArticleAnalysis:
    """Read the entities of the article's latest revision; store them and the tag suggestions."""
    if not isinstance(article, ArticlePage):
        article = ArticlePage.objects.get(pk=article)
    started = time.perf_counter()
    version = latest_version(article)
    text = article_text(version)
    mentions = extraction.extract(text.text, label=f"article {article.pk}")
    entities = matching.group(mentions, headline_chars=len(text.headline))
    suggestions = matching.suggest(entities)[:MAX_SUGGESTIONS]
    with transaction.atomic():
        analysis, _ = ArticleAnalysis.objects.update_or_create(
            article=article,
            defaults={"revision_id": article.latest_revision_id, "chars": len(text.text)},
        )
        ArticleEntity.objects.filter(article=article).delete()
        ArticleEntity.objects.bulk_create(
            ArticleEntity(
                article=article, type=e.type, key=e.key[:200], name=e.name[:200], mentions=e.mentions
            )
            for e in entities
        )
        TagSuggestion.objects.filter(article=article).delete()
        TagSuggestion.objects.bulk_create(
            TagSuggestion(
                article=article, tag=s.tag, kind=s.kind, name=s.name[:200], mentions=s.mentions, score=s.score
            )
            for s in suggestions
        )
    logger.info(
        "nlp: article %s analysed in %.0f ms: %d entities, %d suggestions",
        article.pk,
        (time.perf_counter() - started) * 1000,
        len(entities),
        len(suggestions),
    )
    return analysis


@dataclass
class PanelSuggestion:
    """A suggestion as the editor's panel shows it."""

    id: int
    kind: str
    kind_label: str
    name: str
    mentions: int
    tag: Tag | None


def suggestions_for(article: ArticlePage, exclude_tag_ids=()) -> list[PanelSuggestion]:
    """The stored suggestions, less the tags the article already has (`exclude_tag_ids`: the tags of
    the version being edited) and new-tag ones whose tag has been made since."""
    exclude = set(exclude_tag_ids)
    rows = TagSuggestion.objects.filter(article=article).select_related("tag")
    existing = {
        (tag.kind, matching.fold(tag.name)): tag
        for tag in Tag.objects.filter(name__in=[r.name for r in rows if r.tag_id is None])
    }
    shown, seen = [], set()
    for row in rows:
        tag = row.tag or existing.get((row.kind, matching.fold(row.name)))
        if tag is not None and (tag.pk in exclude or tag.pk in seen):
            continue
        if tag is not None:
            seen.add(tag.pk)
        kind_label = Tag(kind=row.kind).get_kind_display()
        name = tag.name if tag else row.name
        shown.append(PanelSuggestion(row.pk, row.kind, kind_label, name, row.mentions, tag))
    return shown
