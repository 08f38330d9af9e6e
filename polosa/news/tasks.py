"""Background work of the news app."""

from django_tasks import task

from . import renditions


@task()
def prepare_renditions(article_id: int) -> int:
    """Make the photo sizes of a just-published article (see polosa.news.renditions)."""
    from .models import ArticlePage

    article = ArticlePage.objects.filter(pk=article_id).select_related("hero_image").first()
    return renditions.prepare(article) if article is not None else 0
