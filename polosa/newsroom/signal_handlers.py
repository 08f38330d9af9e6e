"""Keep caches and permissions in step with the newsroom's changes."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from polosa.caching import invalidate_on_commit, keys
from polosa.news.models import SectionPage, StoryIndexPage

from .models import BreakingBanner


@receiver(post_save, sender=BreakingBanner)
@receiver(post_delete, sender=BreakingBanner)
def banner_changed(sender, instance, **kwargs):
    invalidate_on_commit(keys.BANNER)


@receiver(post_save, sender=SectionPage)
@receiver(post_save, sender=StoryIndexPage)
def new_section_gets_role_permissions(sender, instance, created, raw=False, **kwargs):
    """A new section or story index gets the roles' section permissions (see roles.py)."""
    if created and not raw:
        from .roles import grant_section_permissions

        grant_section_permissions(instance.pk)
