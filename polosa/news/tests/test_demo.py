import io

import pytest
from django.core.management import call_command

from polosa.news.demo import corpus
from polosa.news.models import ArticlePage, SectionPage, StoryPage, Tag, TagKind


@pytest.mark.django_db
def test_demo_loads_every_section_story_and_article_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo", stdout=io.StringIO())
    assert SectionPage.objects.live().count() == len(corpus.SECTIONS) >= 6
    assert StoryPage.objects.live().count() == len(corpus.STORIES) >= 3
    # Other apps' demos may add article subclasses (partner articles); count the news demo's own.
    assert ArticlePage.objects.published().exact_type(ArticlePage).count() == len(corpus.ARTICLES) >= 40
    assert {t.kind for t in Tag.objects.all()} == set(TagKind.values)

    out = io.StringIO()
    call_command("load_demo", stdout=out)
    assert "already loaded" in out.getvalue()
    assert ArticlePage.objects.exact_type(ArticlePage).count() == len(corpus.ARTICLES)


def test_demo_articles_are_spread_over_the_last_three_days():
    hours = [a["hours_ago"] for a in corpus.ARTICLES]
    assert min(hours) < 3
    assert max(hours) <= 72
