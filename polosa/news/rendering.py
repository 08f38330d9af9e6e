"""What the article template needs beyond the page itself, fetched in a fixed number of queries."""

from __future__ import annotations

from django.db.models import prefetch_related_objects
from django.http import HttpRequest

from polosa.caching import depends_on, keys


def related_articles(article) -> dict[int, object]:
    """The articles that the body's related-article cards point to, ready to render as cards."""
    from .models import ArticlePage

    ids = [
        block.value["article"].pk
        for block in article.body
        if block.block_type == "related" and block.value["article"]
    ]
    if not ids:
        return {}
    depends_on(*(keys.page(i) for i in ids))
    found = ArticlePage.objects.live().public().filter(pk__in=ids).for_cards()
    return {a.pk: a for a in found}


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
        "related": related_articles(article),
        "breadcrumbs": breadcrumbs(article),
    }
