"""Generic invalidation for every Wagtail page; apps add their own keys in their own handlers."""

import copy

from django.db import transaction
from django.db.models.signals import post_delete, post_save, pre_delete
from django.dispatch import receiver
from wagtail import hooks
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import cdn, keys
from .dependencies import depends_on, invalidate_on_commit, keys_invalidated

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


@receiver(post_save, sender=PageViewRestriction)
@receiver(post_delete, sender=PageViewRestriction)
def invalidate_privacy_change(sender, instance, **kwargs):
    """A page made private (password, login, groups) or public again, through the admin's privacy
    dialog or the ORM: it and every page below it, whose privacy it decides, render again (and leave
    the CDN). Anonymous readers then get the password form or the login redirect, never a stored copy.
    The listings it appeared in are the news app's (polosa.news.signal_handlers)."""
    page = Page.objects.filter(pk=instance.page_id).first()
    if page is None:  # the page itself is being deleted; its own handlers invalidate it
        return
    ids = [page.pk, *page.get_descendants().values_list("pk", flat=True)]
    invalidate_on_commit(*(page_key(i) for i in ids))


@hooks.register("before_serve_page", order=-100)
def record_page_before_privacy_check(page, request, serve_args, serve_kwargs):
    # Wagtail checks view restrictions before the page's get_context records its key. Recording it
    # first means a restriction that commits between the check and the render leaves the stored copy
    # with an old version, so it is never served.
    depends_on(page_key(page.pk))


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
