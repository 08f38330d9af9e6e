"""Keep the index in step with publishing: every handler re-reads the live row (never a draft)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished, post_page_move

from polosa.news.models import ArticlePage, ArticleTag, Tag

from . import indexing, tasks


@receiver(page_published, sender=ArticlePage)
@receiver(page_unpublished, sender=ArticlePage)
def article_publication_changed(sender, instance, **kwargs):
    indexing.index_article(instance.pk)


@receiver(post_save, sender=ArticlePage)
def article_saved(sender, instance, update_fields=None, **kwargs):
    # Saving a draft revision writes only bookkeeping columns (update_fields); the live text is
    # unchanged then. Full saves (publish, unpublish, imports, factories) re-index.
    if update_fields is None or "live" in update_fields:
        indexing.index_article(instance.pk)


@receiver(post_delete, sender=ArticlePage)
def article_deleted(sender, instance, **kwargs):
    # The entry goes with the article (cascade); the SQLite FTS row is not a model and goes here.
    indexing.remove_article(instance.pk)


@receiver(post_page_move)
def page_moved(sender, instance, **kwargs):
    if instance.specific_class is ArticlePage:
        indexing.index_article(instance.pk)


@receiver(post_save, sender=ArticleTag)
@receiver(post_delete, sender=ArticleTag)
def article_tags_changed(sender, instance, **kwargs):
    indexing.index_article(instance.article_id)


@receiver(post_save, sender=Tag)
def tag_renamed(sender, instance, created=False, **kwargs):
    if not created:
        tasks.reindex_tagged_articles.enqueue(instance.pk)
