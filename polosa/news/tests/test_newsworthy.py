import pytest
from wagtail import hooks

from polosa.news import newsworthy
from polosa.news.models import ArticlePage
from testsupport import only_hooks


@pytest.mark.django_db
def test_an_exclusion_registered_through_the_hook_removes_articles_from_news_surfaces(article_factory):
    kept = article_factory(title="Обычная новость")
    paid = article_factory(title="Оплаченный материал")

    def drop_paid(qs):
        return qs.exclude(pk=paid.pk)

    with hooks.register_temporarily(newsworthy.HOOK, drop_paid):
        result = list(newsworthy.newsworthy(ArticlePage.objects.live()))
    assert kept in result
    assert paid not in result
    # Gone with its registration.
    assert paid in list(newsworthy.newsworthy(ArticlePage.objects.live()))


@pytest.mark.django_db
def test_without_exclusions_every_article_is_news(article_factory):
    article = article_factory(title="Новость")
    with only_hooks(newsworthy.HOOK):
        assert list(newsworthy.newsworthy(ArticlePage.objects.live())) == [article]


def test_the_promos_app_keeps_paid_material_out_of_news():
    from polosa.promos.exclusion import exclude_paid

    assert exclude_paid in hooks.get_hooks(newsworthy.HOOK)
