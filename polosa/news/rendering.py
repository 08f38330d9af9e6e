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
    """{id: article} for the ids readers may see a card of (live, public), ready to render as cards.

    Narrow listing-card rows (news/blocks/related.html shows no more), in no particular order, with
    the main person's name joined as ``main_person_name``: whole pages with their sections, story
    lines and every tag took three queries and a fifth of a cold article render.
    """
    from django.db.models import OuterRef, Subquery

    from .listings import for_listing
    from .models import ArticlePage, ArticleTag, TagKind

    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    depends_on(*(keys.page(i) for i in ids))
    # ArticlePage.main_person: the first person among the tags, in the editor's order.
    person = (
        ArticleTag.objects.filter(article=OuterRef("pk"), tag__kind=TagKind.PERSON)
        .order_by("sort_order")
        .values("tag__name")[:1]
    )
    found = (
        for_listing(ArticlePage.objects.live().public().filter(pk__in=ids))
        .annotate(main_person_name=Subquery(person))
        .order_by()
    )
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


def breadcrumbs(article, request: HttpRequest | None = None) -> list[tuple[str, str]]:
    # With the request, Wagtail looks the site roots up once per request instead of once per page.
    crumbs = []
    if article.section_id:
        crumbs.append((article.section.title, article.section.get_url(request=request)))
    if article.story_id:
        crumbs.append((article.story.title, article.story.get_url(request=request)))
    return crumbs


def page_images(article, blocks: list) -> list:
    """Every photo the page shows: the main one, the body's and the related cards'."""
    images = [article.hero_image] if article.hero_image_id and article.hero_image else []
    for block in blocks:
        if block.block_type == "image" and block.value.get("image") is not None:
            images.append(block.value["image"])
        elif block.block_type == "related" and block.article is not None and block.article.hero_image:
            images.append(block.article.hero_image)
    return images


def article_context(article, request: HttpRequest) -> dict:
    depends_on(*article.shown_keys())
    blocks = body_blocks(article, related_articles(article))
    if images := page_images(article, blocks):
        # Every size of every photo (page, JSON-LD, sharing, cards) in one query, instead of a
        # cache lookup for each size asked for: nine for the main photo alone.
        prefetch_related_objects(images, "renditions")
    return {
        "body_blocks": blocks,
        "breadcrumbs": breadcrumbs(article, request),
    }
