"""Entry changes become live-blog events and invalidate the blog's page once they commit."""

from django.db import transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished

from polosa.caching import invalidate_on_commit, keys

from . import events
from .models import BroadcastWindow, EventKind, LiveBlogEntry, LiveBlogEvent, LiveBlogPage, LiveBroadcast


def forget_state_on_commit(page_id):
    events.forget_state(page_id)
    transaction.on_commit(lambda: events.forget_state(page_id))


@receiver(post_init, sender=LiveBlogEntry)
def remember_blog(sender, instance, **kwargs):
    instance._saved_page_id = instance.page_id


@receiver(post_save, sender=LiveBlogEntry)
def entry_saved(sender, instance, created, **kwargs):
    moved_from = instance._saved_page_id
    if not created and moved_from and moved_from != instance.page_id:
        # Moved to another live blog: it leaves the old one like a deleted entry.
        events.record(moved_from, EventKind.DELETE, instance.pk)
        invalidate_on_commit(keys.page(moved_from))
    instance._saved_page_id = instance.page_id
    events.record(instance.page_id, EventKind.ENTRY, instance.pk)
    invalidate_on_commit(keys.page(instance.page_id))


@receiver(post_delete, sender=LiveBlogEntry)
def entry_deleted(sender, instance, origin=None, **kwargs):
    if isinstance(origin, Page):  # the whole blog is being deleted: nobody is left to tell
        return
    events.record(instance.page_id, EventKind.DELETE, instance.pk)
    invalidate_on_commit(keys.page(instance.page_id))


@receiver(page_published, sender=LiveBlogPage)
def blog_published(sender, instance, **kwargs):
    last = LiveBlogEvent.objects.filter(page_id=instance.pk).order_by("-pk").values_list("kind", flat=True)
    if instance.is_closed and last.first() != EventKind.CLOSED:
        events.record(instance.pk, EventKind.CLOSED)
    forget_state_on_commit(instance.pk)


@receiver(page_unpublished, sender=LiveBlogPage)
def blog_unpublished(sender, instance, **kwargs):
    forget_state_on_commit(instance.pk)


@receiver(post_save, sender=LiveBroadcast)
@receiver(post_delete, sender=LiveBroadcast)
@receiver(post_save, sender=BroadcastWindow)
@receiver(post_delete, sender=BroadcastWindow)
def broadcast_changed(sender, instance, **kwargs):
    invalidate_on_commit(keys.LIVE_BROADCASTS)


@receiver(post_save, sender=LiveBlogPage)
@receiver(post_delete, sender=LiveBlogPage)
def blog_saved(sender, instance, **kwargs):
    """Opening, closing, publishing, unpublishing or retitling a live blog (publishing and
    unpublishing save the page too) changes the «Онлайн» rows on the front page and in the feed."""
    invalidate_on_commit(keys.LIVE_BLOGS)
