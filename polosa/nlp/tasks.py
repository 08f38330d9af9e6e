"""Background analysis: after an article's revision is saved, in the worker (or at once in tests)."""

import logging

from django_tasks import task

from polosa.news.models import ArticlePage

logger = logging.getLogger(__name__)


@task()
def analyse_article(article_id: int) -> int:
    """Analyse the article's latest revision unless that was done already; the number of suggestions."""
    from . import service

    article = ArticlePage.objects.filter(pk=article_id).first()
    if article is None:
        return 0
    if service.is_up_to_date(article):
        return article.tag_suggestions.count()
    service.analyse_article(article)
    return article.tag_suggestions.count()
