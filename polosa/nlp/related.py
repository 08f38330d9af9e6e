"""«Похожие материалы»: published articles that name the same people, organisations and places, and
whose headline and lead share words with this one's.

Candidates are the articles sharing an entity (an indexed lookup of `ArticleEntity.key`); each is
scored by the shared entities, rarer ones weighing more (an article about «Газпром» is closer than one
that also mentions «Москва»), plus the cosine similarity of the Snowball stems of the two headlines
and leads (the search app's Russian analysis).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from django.db.models import Count
from django.utils.translation import gettext as _

from polosa.news.models import ArticlePage
from polosa.search import analysis

from .models import ArticleEntity

CANDIDATES = 50
TEXT_WEIGHT = 2.0


@dataclass
class Related:
    id: int
    title: str
    score: float
    shared: list[str]

    @property
    def reason(self) -> str:
        if not self.shared:
            return _("similar text")
        names = ", ".join(self.shared[:3])
        return _("in common: %(names)s") % {"names": names}


def _stems(text: str) -> Counter:
    return Counter(analysis.stems_text(text).split())


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(a[w] * b[w] for w in a.keys() & b.keys())
    return dot / (math.sqrt(sum(v * v for v in a.values())) * math.sqrt(sum(v * v for v in b.values())))


def related_articles(article: ArticlePage, limit: int = 5, exclude_ids=()) -> list[Related]:
    """Up to `limit` live articles related to `article` by its stored entities and its text."""
    entities = {e.key: e.name for e in ArticleEntity.objects.filter(article=article)}
    if not entities:
        return []
    exclude = {article.pk, *exclude_ids}
    counts = dict(
        ArticleEntity.objects.filter(key__in=entities)
        .values_list("key")
        .annotate(n=Count("article", distinct=True))
        .values_list("key", "n")
    )
    rows = (
        ArticleEntity.objects.filter(key__in=entities)
        .exclude(article_id__in=exclude)
        .values_list("article_id", "key")
    )
    shared: dict[int, list[str]] = {}
    for article_id, key in rows:
        shared.setdefault(article_id, []).append(key)
    if not shared:
        return []
    idf = {key: 1.0 / math.log(1 + n) for key, n in counts.items()}
    best = sorted(shared, key=lambda pk: -sum(idf.get(k, 0) for k in shared[pk]))[:CANDIDATES]
    candidates = ArticlePage.objects.live().public().filter(pk__in=best).only("pk", "title", "lead")
    own = _stems(f"{article.title} {article.lead}")
    found = []
    for candidate in candidates:
        keys = shared[candidate.pk]
        score = sum(idf.get(k, 0) for k in keys) + TEXT_WEIGHT * _cosine(
            own, _stems(f"{candidate.title} {candidate.lead}")
        )
        names = [entities[k] for k in sorted(keys, key=lambda k: -idf.get(k, 0))]
        found.append(Related(candidate.pk, candidate.title, score, names))
    found.sort(key=lambda r: -r.score)
    return found[:limit]
