"""Generic invalidation for every Wagtail page; apps add their own keys in their own handlers."""

import copy

from django.db import transaction
from django.db.models.signals import post_delete, pre_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cdn, keys
from .dependencies import invalidate_on_commit, keys_invalidated

page_key = keys.page


@receiver(page_published)
@receiver(page_unpublished)
def invalidate_page(sender, instance, **kwargs):
    invalidate_on_commit(page_key(instance.pk))


@receiver(post_page_move)
def invalidate_moved_page(sender, instance, **kwargs):
    # Moving changes the URL of the page and of everything below it.
    ids = [instance.pk, *instance.get_descendants().values_list("pk", flat=True)]
    invalidate_on_commit("site", *(page_key(i) for i in ids))
    before = kwargs.get("url_path_before")
    if before and cdn.is_enabled():
        # The CDN still holds the page under its old address (descendants age out after s-maxage).
        old = copy.copy(instance)
        old.url_path = before
        old_url = old.get_full_url()
        if old_url:
            transaction.on_commit(lambda: cdn.schedule_purge(urls=[old_url]))


@receiver(pre_delete)
def purge_deleted_page(sender, instance, **kwargs):
    # Its URL cannot be looked up once it is gone.
    if isinstance(instance, Page) and cdn.is_enabled():
        url = instance.get_full_url()
        if url:
            transaction.on_commit(lambda: cdn.schedule_purge(urls=[url]))


@receiver(post_delete)
def invalidate_deleted_page(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_on_commit(page_key(instance.pk))


@receiver(keys_invalidated)
def purge_cdn_for_keys(sender, keys, **kwargs):
    cdn.schedule_purge(keys=keys)
