"""The benchmark generator writes a page tree that Wagtail itself would accept."""

import io

import pytest
from wagtail.models import Page

from benchmarks import generate
from polosa.news.models import ArticleGenre, ArticlePage


@pytest.mark.django_db
def test_generated_articles_are_valid_published_pages(client, section):
    count = generate.generate(articles=60, days=3, tags_count=12, batch=25, seed=1, stream=io.StringIO())
    assert count == 60
    assert ArticlePage.objects.published().count() == 60
    assert set(ArticlePage.objects.values_list("genre", flat=True)) <= set(ArticleGenre.values)
    assert all(problems == [] for problems in Page.find_problems())
    article = ArticlePage.objects.published().first()
    assert article.tags
    assert client.get(article.url).status_code == 200
    # A second run continues the tree instead of colliding with it.
    generate.generate(articles=10, days=3, tags_count=12, batch=25, seed=2, stream=io.StringIO())
    assert all(problems == [] for problems in Page.find_problems())

    assert generate.clear() == 70
    assert not ArticlePage.objects.filter(slug__startswith=generate.PREFIX).exists()
    assert all(problems == [] for problems in Page.find_problems())
