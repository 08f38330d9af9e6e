"""Invalidate the ``promos`` key on any change to paid material; partner articles also get the news
invalidation every article gets (news connects it for ArticlePage only, and Wagtail sends page signals
with the specific class)."""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from polosa.caching import invalidate_on_commit, keys

from .models import Advertiser, EventPromo, PartnerArticlePage, PartnerIndexPage, SpecialProjectPage

PROMO_MODELS = (Advertiser, EventPromo, PartnerArticlePage, SpecialProjectPage, PartnerIndexPage)


def promos_changed(sender, instance, **kwargs):
    invalidate_on_commit(keys.PROMOS)


def project_changed(sender, instance, **kwargs):
    # A project's name and hashtag appear above its articles and in its feed row.
    invalidate_on_commit(keys.PROMOS, keys.FEED, keys.page(instance.pk))


def connect():
    from polosa.news import signal_handlers as news

    for model in PROMO_MODELS:
        post_save.connect(promos_changed, sender=model, dispatch_uid=f"promos-save-{model.__name__}")
        post_delete.connect(promos_changed, sender=model, dispatch_uid=f"promos-delete-{model.__name__}")
        page_published.connect(promos_changed, sender=model, dispatch_uid=f"promos-pub-{model.__name__}")
        page_unpublished.connect(promos_changed, sender=model, dispatch_uid=f"promos-unpub-{model.__name__}")
    page_published.connect(project_changed, sender=SpecialProjectPage, dispatch_uid="promos-project-pub")
    page_unpublished.connect(project_changed, sender=SpecialProjectPage, dispatch_uid="promos-project-unpub")
    page_published.connect(
        news.article_published, sender=PartnerArticlePage, dispatch_uid="promos-article-pub"
    )
    page_unpublished.connect(
        news.article_unpublished, sender=PartnerArticlePage, dispatch_uid="promos-article-unpub"
    )
