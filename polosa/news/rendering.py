"""What the article template needs beyond the page itself, fetched in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import prefetch_related_objects
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from polosa.caching import cached_fragment, current_recorder, depends_on, keys


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
    """The HTML of the card for article `pk` (empty when readers may not see it)."""
    return related_card_html([pk])[pk] if pk is not None else _CardLoader([]).render(None)


def related_card_html(ids) -> dict[int, SafeString]:
    """{id: HTML of its card} for the given related-article ids (empty when readers may not see it).

    Each card is a shared fragment: the same card sits in every article that links to it, and
    rendering three took a fifth of a cold article render. The cards that are not cached are read
    together, in two queries for all of them.
    """
    loader = _CardLoader(ids)
    language = get_language()
    return {
        pk: cached_fragment(f"related-card:{pk}:{language}", lambda pk=pk: loader.render(pk))
        for pk in loader.ids
    }


class _CardLoader:
    """Reads the cards of one page once, for whichever of their fragments turn out to be stale."""

    def __init__(self, ids):
        self.ids = list(dict.fromkeys(ids))
        self.cards: dict[int, object] | None = None
        self.versions: dict[str, str | None] = {}

    def render(self, pk: int | None) -> str:
        # The card shows its article (page:<pk>), its section's title (section titles change with
        # keys.SITE) and its main person's name (tag:<id>).
        depends_on(keys.SITE)
        card = self.card(pk) if pk is not None else None
        if card is not None and card.main_person_id:
            depends_on(keys.tag(card.main_person_id))
        return render_to_string("news/blocks/related.html", {"article": card})

    def card(self, pk: int):
        if self.cards is None:
            # The first stale card reads them all. related_cards() records every card's page key in
            # this card's fragment before reading (so this one is also re-rendered when another card
            # changes), and the versions it saw tell the later cards whether their row is still good.
            self.cards = related_cards(self.ids)
            self.versions = self._versions()
            return self.cards.get(pk)
        depends_on(keys.page(pk))
        if self._versions().get(keys.page(pk)) != self.versions.get(keys.page(pk)):
            return related_cards([pk]).get(pk)  # changed since the others were read
        return self.cards.get(pk)

    def _versions(self) -> dict:
        recorder = current_recorder()
        return dict(recorder.versions) if recorder is not None else {}


def body_blocks(article) -> list:
    """The body's blocks in order, with each related-article block replaced by its `RelatedCard`.

    A related block's chosen id is read from the stored data: converting the block would load the
    chosen page (one query) only to throw it away, and gives None for a deleted one.
    """
    body = article.body
    raw = body.raw_data
    chosen = [_chosen_id(item["value"]) for item in raw if item["type"] == "related"]
    cards = related_card_html([pk for pk in chosen if pk is not None])
    blocks = []
    for i in range(len(body)):
        if raw[i]["type"] == "related":
            blocks.append(RelatedCard(cards.get(_chosen_id(raw[i]["value"])) or related_card(None)))
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
        depends_on(*(keys.image(image.pk) for image in images))
        # Every size of the page's photos (page, JSON-LD, sharing) in one query, instead of a cache
        # lookup for each size asked for: nine for the main photo alone.
        prefetch_related_objects(images, "renditions")
    return {
        "body_blocks": blocks,
        "breadcrumbs": breadcrumbs(article, request),
    }
