from django.conf import settings
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import Site

from .sites import point_default_site_at


@receiver(post_migrate)
def point_default_site_at_site_url(sender, **kwargs):
    """Keep Wagtail's default site on SITE_URL, so absolute links in feeds and metadata are right."""
    if sender.label != "core":
        return
    point_default_site_at(settings.SITE_URL)


@receiver(post_save, sender=Site)
@receiver(post_delete, sender=Site)
def site_changed(sender, instance, **kwargs):
    """A site's address or root page shows in every absolute link: stored pages and fragments that
    named it, and each process's copy of the site (`sites.site_for`), follow the change."""
    from polosa.caching import invalidate_on_commit, keys

    invalidate_on_commit(keys.SITE, keys.ARTICLES, keys.FEED, keys.HOME)
