"""Assembling the front page from the editors' choices and the newest articles."""

from __future__ import annotations

from dataclasses import dataclass

from polosa.news.listings import with_card_renditions
from polosa.news.models import ArticlePage, SectionPage

from .models import SECTION_BLOCK_SIZE, TOP_STORIES_MAX


@dataclass
class SectionBlock:
    section: SectionPage
    articles: list[ArticlePage]


def front_page(home) -> dict:
    """The main story, the top stories and a block per section, each article shown once.

    Main story: the editors' choice while it is published, else the newest article flagged as main
    story, else the newest article. Top stories: the editors' choices in their order, topped up with
    the newest articles. Queries: a fixed number plus two per section (its cards and their tags).
    """
    published = ArticlePage.objects.published()
    chosen_ids = [t.article_id for t in home.top_stories.all()]
    wanted = [i for i in (*chosen_ids, home.main_story_id) if i]
    chosen = {a.pk: a for a in published.filter(pk__in=wanted).for_cards()} if wanted else {}

    main = chosen.get(home.main_story_id)
    if main is None:
        main = published.filter(is_main_story=True).for_cards().first() or published.for_cards().first()
    shown = {main.pk} if main else set()

    top = [chosen[i] for i in chosen_ids if i in chosen and i not in shown]
    if len(top) < TOP_STORIES_MAX:
        missing = TOP_STORIES_MAX - len(top)
        top.extend(published.exclude(pk__in=[*shown, *(a.pk for a in top)]).for_cards()[:missing])
    shown.update(a.pk for a in top)

    blocks = []
    for section in SectionPage.objects.child_of(home).live().public():
        articles = list(published.in_section(section).exclude(pk__in=shown).for_cards()[:SECTION_BLOCK_SIZE])
        if articles:
            blocks.append(SectionBlock(section, articles))
    with_card_renditions([*([main] if main else []), *top, *(a for b in blocks for a in b.articles)])
    return {"main_story": main, "top_stories": top, "section_blocks": blocks}
