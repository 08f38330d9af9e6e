"""Assembling the front page from the editors' choices and the newest articles."""

from __future__ import annotations

from dataclasses import dataclass

from polosa.news.models import ArticlePage, SectionPage

from .models import SECTION_BLOCK_SIZE, TOP_STORIES_MAX


@dataclass
class SectionBlock:
    section: SectionPage
    articles: list[ArticlePage]


def front_page(home) -> dict:
    published = ArticlePage.objects.published()
    chosen_ids = [t.article_id for t in home.top_stories.all()]
    chosen = {a.pk: a for a in published.filter(pk__in=[*chosen_ids, home.main_story_id]).for_cards()}

    main = chosen.get(home.main_story_id)
    if main is None:
        main = published.filter(is_main_story=True).for_cards().first() or published.for_cards().first()
    shown = {main.pk} if main else set()

    top = [chosen[i] for i in chosen_ids if i in chosen and i not in shown]
    if len(top) < TOP_STORIES_MAX:
        for article in published.exclude(pk__in=[*shown, *(a.pk for a in top)]).for_cards()[:TOP_STORIES_MAX]:
            if len(top) >= TOP_STORIES_MAX:
                break
            top.append(article)
    shown.update(a.pk for a in top)

    blocks = []
    for section in SectionPage.objects.child_of(home).live().public():
        articles = list(published.in_section(section).exclude(pk__in=shown).for_cards()[:SECTION_BLOCK_SIZE])
        if articles:
            blocks.append(SectionBlock(section, articles))
    return {"main_story": main, "top_stories": top, "section_blocks": blocks}
