"""What the article template needs beyond the page itself, fetched in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from polosa.caching import cached_fragment, depends_on, keys


@dataclass(frozen=True)
class RelatedCard:
    """A related-article block of the body, resolved to the HTML of its card: empty when the chosen
    article was deleted, unpublished or made private."""

    html: str
    block_type: str = "related"


def _chosen_id(value) -> int | None:
    chosen = value.get("article") if isinstance(value, dict) else None
    try:
        return int(chosen) if chosen is not None else None
    except (TypeError, ValueError):
        return None


def related_cards(ids) -> dict[int, object]:
    """{id: article} for the ids readers may see a card of (live, public), ready to render as cards.

    Narrow listing-card rows (news/blocks/related.html shows no more), in no particular order, with
    the main person joined as ``main_person_id`` and ``main_person_name``: whole pages with their
    sections, story lines and every tag took three queries.
    """
    from django.db.models import OuterRef, Subquery

    from .listings import for_listing
    from .models import ArticlePage, ArticleTag, TagKind

    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    depends_on(*(keys.page(i) for i in ids))
    # ArticlePage.main_person: the first person among the tags, in the editor's order.
    person = ArticleTag.objects.filter(article=OuterRef("pk"), tag__kind=TagKind.PERSON).order_by(
        "sort_order"
    )
    found = (
        for_listing(ArticlePage.objects.live().public().filter(pk__in=ids))
        .annotate(
            main_person_id=Subquery(person.values("tag_id")[:1]),
            main_person_name=Subquery(person.values("tag__name")[:1]),
        )
        .order_by()
    )
    return {a.pk: a for a in found}


def related_card(pk: int | None) -> SafeString:
    """The HTML of the card for article `pk` (empty when readers may not see it), kept as a shared
    fragment: the same card sits in every article that links to it, and rendering it takes two
    queries, a template and its photo's renditions (a fifth of a cold article render for three)."""
    if pk is None:
        return _render_card(None)
    return cached_fragment(f"related-card:{pk}:{get_language()}", lambda: _render_card(pk))


def _render_card(pk: int | None) -> str:
    # The card shows the article (page:<pk>, recorded by related_cards), its section's title (section
    # titles change with keys.SITE) and its main person's name.
    depends_on(keys.SITE)
    card = related_cards([pk]).get(pk) if pk is not None else None
    if card is not None and card.main_person_id:
        depends_on(keys.tag(card.main_person_id))
    return render_to_string("news/blocks/related.html", {"article": card})


def body_blocks(article) -> list:
    """The body's blocks in order, with each related-article block replaced by its `RelatedCard`.

    A related block's chosen id is read from the stored data: converting the block would load the
    chosen page (one query) only to throw it away, and gives None for a deleted one.
    """
    body = article.body
    raw = body.raw_data
    blocks = []
    for i in range(len(body)):
        if raw[i]["type"] == "related":
            blocks.append(RelatedCard(related_card(_chosen_id(raw[i]["value"]))))
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
    """Every photo the page shows outside the related cards: the main one and the body's."""
    images = [article.hero_image] if article.hero_image_id and article.hero_image else []
    for block in blocks:
        if block.block_type == "image" and block.value.get("image") is not None:
            images.append(block.value["image"])
    return images


def article_context(article, request: HttpRequest) -> dict:
    depends_on(*article.shown_keys())
    blocks = body_blocks(article)
    if images := page_images(article, blocks):
        # Every size of the page's photos (page, JSON-LD, sharing) in one query, instead of a cache
        # lookup for each size asked for: nine for the main photo alone.
        prefetch_related_objects(images, "renditions")
    return {
        "body_blocks": blocks,
        "breadcrumbs": breadcrumbs(article, request),
    }
