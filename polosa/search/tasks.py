"""Background re-indexing: a renamed tag changes the text of every article carrying it."""

from django_tasks import task

from polosa.news.models import ArticleTag

from . import indexing

BATCH = 500


@task()
def reindex_tagged_articles(tag_id: int) -> int:
    ids = list(ArticleTag.objects.filter(tag_id=tag_id).values_list("article_id", flat=True))
    return sum(indexing.index_articles(ids[i : i + BATCH]) for i in range(0, len(ids), BATCH))
