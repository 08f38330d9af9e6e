from django.conf import settings
from django.db.models.signals import post_migrate
from django.dispatch import receiver

from .sites import point_default_site_at


@receiver(post_migrate)
def point_default_site_at_site_url(sender, **kwargs):
    """Keep Wagtail's default site on SITE_URL, so absolute links in feeds and metadata are right."""
    if sender.label != "core":
        return
    point_default_site_at(settings.SITE_URL)
