from urllib.parse import urlsplit

from django.conf import settings
from django.db.models.signals import post_migrate
from django.dispatch import receiver


@receiver(post_migrate)
def point_default_site_at_site_url(sender, **kwargs):
    """Keep Wagtail's default site on SITE_URL, so absolute links in feeds and metadata are right."""
    if sender.label != "core":
        return
    from wagtail.models import Site

    parts = urlsplit(settings.SITE_URL)
    if not parts.hostname:
        return
    port = parts.port or (443 if parts.scheme == "https" else 80)
    Site.objects.filter(is_default_site=True).exclude(hostname=parts.hostname, port=port).update(
        hostname=parts.hostname, port=port
    )
