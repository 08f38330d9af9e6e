import pytest

from polosa.news import newsworthy
from polosa.news.models import ArticlePage


@pytest.fixture
def clean_exclusions(monkeypatch):
    monkeypatch.setattr(newsworthy, "_exclusions", [])


@pytest.mark.django_db
def test_registered_exclusion_removes_articles_from_news_surfaces(clean_exclusions, article_factory):
    kept = article_factory(title="Обычная новость")
    paid = article_factory(title="Оплаченный материал")

    def drop_paid(qs):
        return qs.exclude(pk=paid.pk)

    newsworthy.register_exclusion(drop_paid)
    newsworthy.register_exclusion(drop_paid)  # registering twice keeps one filter

    result = list(newsworthy.newsworthy(ArticlePage.objects.live()))

    assert kept in result
    assert paid not in result
    assert newsworthy._exclusions == [drop_paid]


@pytest.mark.django_db
def test_without_exclusions_every_article_is_news(clean_exclusions, article_factory):
    article = article_factory(title="Новость")
    assert list(newsworthy.newsworthy(ArticlePage.objects.live())) == [article]
