"""Suggestions follow the text: a saved revision of an article queues its analysis."""

import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Revision

from polosa.news.models import ArticlePage, Tag

from . import matching, tasks

logger = logging.getLogger(__name__)


@receiver(post_save, sender=Revision)
def revision_saved(sender, instance, created=False, **kwargs):
    if not created or not getattr(settings, "POLOSA_NLP_ON_SAVE", True):
        return
    model = instance.content_type.model_class() if instance.content_type_id else None
    if model is None or not issubclass(model, ArticlePage):
        return
    article_id = int(instance.object_id)

    def enqueue():
        try:
            tasks.analyse_article.enqueue(article_id)
        except Exception:  # the save must not fail because the suggestions could not be queued
            logger.exception("nlp: could not queue the analysis of article %s", article_id)

    transaction.on_commit(enqueue)


@receiver(post_save, sender=Tag)
@receiver(post_delete, sender=Tag)
def tag_changed(sender, instance, **kwargs):
    transaction.on_commit(matching.tags_changed)
