"""Assembling the front page from the editors' choices and the newest articles."""

from __future__ import annotations

from dataclasses import dataclass

from polosa.caching import depends_on, keys
from polosa.news.listings import for_listing, with_card_renditions
from polosa.news.models import ArticlePage, SectionPage
from polosa.news.newsworthy import newsworthy

from .models import SECTION_BLOCK_SIZE, TOP_STORIES_MAX


@dataclass
class SectionBlock:
    section: SectionPage
    articles: list[ArticlePage]


def front_page(home) -> dict:
    """The main story, the top stories and a block per section, each article shown once.

    Main story: the editors' choice while it is published, else the newest article flagged as main
    story, else the newest article. Top stories: the editors' choices in their order, topped up with
    the newest articles. The automatic choices skip what is not news (paid material, through
    `polosa.news.newsworthy`); only an editor can put such an article on top. Queries: a fixed number
    plus one per section. Only the main story's card names its main person, so only it brings its tags.
    """
    published = ArticlePage.objects.published()
    automatic = newsworthy(published)
    chosen_ids = [t.article_id for t in home.top_stories.all()]
    wanted = [i for i in (*chosen_ids, home.main_story_id) if i]
    chosen = {a.pk: a for a in for_listing(published.filter(pk__in=wanted))} if wanted else {}

    main = None
    if home.main_story_id in chosen:
        main = published.filter(pk=home.main_story_id).for_cards().first()
    if main is None:
        main = automatic.filter(is_main_story=True).for_cards().first() or automatic.for_cards().first()
    shown = {main.pk} if main else set()
    if main is not None:
        # The main story's card names its main person.
        depends_on(*(keys.tag(tag.pk) for tag in main.tags))

    top = [chosen[i] for i in chosen_ids if i in chosen and i not in shown]
    if len(top) < TOP_STORIES_MAX:
        missing = TOP_STORIES_MAX - len(top)
        top.extend(for_listing(automatic.exclude(pk__in=[*shown, *(a.pk for a in top)]))[:missing])
    shown.update(a.pk for a in top)

    blocks = []
    for section in SectionPage.objects.child_of(home).live().public():
        articles = list(for_listing(published.in_section(section).exclude(pk__in=shown))[:SECTION_BLOCK_SIZE])
        if articles:
            blocks.append(SectionBlock(section, articles))
    with_card_renditions([*([main] if main else []), *top, *(a for b in blocks for a in b.articles)])
    return {"main_story": main, "top_stories": top, "section_blocks": blocks}
