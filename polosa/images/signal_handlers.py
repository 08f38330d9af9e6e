from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from polosa.caching import invalidate_on_commit, keys

from .models import PolosaImage


@receiver(post_save, sender=PolosaImage)
@receiver(post_delete, sender=PolosaImage)
def image_changed(sender, instance, **kwargs):
    """A new crop, caption or credit shows on every stored page and fragment with the photo, and the
    edge drops them by the photo's key."""
    invalidate_on_commit(keys.image(instance.pk))
