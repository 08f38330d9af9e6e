"""What the article template needs beyond the page itself, fetched in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.http import HttpRequest

from polosa.caching import depends_on, keys


@dataclass(frozen=True)
class RelatedCard:
    """A related-article block of the body, resolved: the article its card shows, or None when the
    chosen article was deleted, unpublished or made private (the block then renders nothing)."""

    article: object | None
    block_type: str = "related"


def related_ids(article) -> list[int]:
    """The ids the body's related-article blocks point to, read from the stored data: converting the
    blocks would load each chosen page (one query) only to throw it away, and a deleted one is None."""
    ids = []
    for item in article.body.raw_data:
        if item["type"] == "related":
            pk = _chosen_id(item["value"])
            if pk is not None:
                ids.append(pk)
    return ids


def _chosen_id(value) -> int | None:
    chosen = value.get("article") if isinstance(value, dict) else None
    try:
        return int(chosen) if chosen is not None else None
    except (TypeError, ValueError):
        return None


def related_cards(ids) -> dict[int, object]:
    """{id: article} for the ids readers may see a card of (live, public), ready to render as cards."""
    from .models import ArticlePage

    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    depends_on(*(keys.page(i) for i in ids))
    found = ArticlePage.objects.live().public().filter(pk__in=ids).for_cards()
    return {a.pk: a for a in found}


def related_articles(article) -> dict[int, object]:
    """The articles that the body's related-article cards point to, ready to render as cards."""
    return related_cards(related_ids(article))


def body_blocks(article, cards: dict[int, object]) -> list:
    """The body's blocks in order, with each related-article block replaced by its `RelatedCard`."""
    body = article.body
    raw = body.raw_data
    blocks = []
    for i in range(len(body)):
        if raw[i]["type"] == "related":
            blocks.append(RelatedCard(cards.get(_chosen_id(raw[i]["value"]))))
        else:
            blocks.append(body[i])
    return blocks


def breadcrumbs(article) -> list[tuple[str, str]]:
    crumbs = []
    if article.section_id:
        crumbs.append((article.section.title, article.section.url))
    if article.story_id:
        crumbs.append((article.story.title, article.story.url))
    return crumbs


def article_context(article, request: HttpRequest) -> dict:
    depends_on(*article.shown_keys())
    if article.hero_image:
        # Every size of the photo (page, JSON-LD, sharing) in one query instead of one per size.
        prefetch_related_objects([article.hero_image], "renditions")
    return {
        "body_blocks": body_blocks(article, related_articles(article)),
        "breadcrumbs": breadcrumbs(article),
    }
