"""Generic invalidation for every Wagtail page; apps add their own keys in their own handlers."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import keys
from .dependencies import invalidate_on_commit

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


@receiver(post_delete)
def invalidate_deleted_page(sender, instance, **kwargs):
    if isinstance(instance, Page):
        invalidate_on_commit(page_key(instance.pk))
