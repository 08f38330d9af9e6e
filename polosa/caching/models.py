from django.db import models
from django.utils.translation import gettext_lazy as _


class AffectedKeys(models.Model):
    """The dependency keys an object's published state last touched.

    When an article moves to another section or loses a tag, the listings it *left* must be
    invalidated too; the database no longer says where it was, so this remembers it.
    """

    owner = models.CharField(_("object"), max_length=100, unique=True)
    keys = models.JSONField(_("keys"), default=list)
    fingerprint = models.CharField(_("fingerprint"), max_length=64, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("affected cache keys")
        verbose_name_plural = _("affected cache keys")

    def __str__(self):
        return self.owner


class PendingInvalidation(models.Model):
    """Keys whose invalidation could not reach the shared cache (Redis was down).

    Kept in the database, which a publish has just written to anyway, so the invalidation survives
    the process that missed it; replayed as soon as the shared cache answers again (and by the
    worker every few seconds), so no stale page outlives the outage.
    """

    keys = models.JSONField(_("keys"), default=list)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending cache invalidation")
        verbose_name_plural = _("pending cache invalidations")

    def __str__(self):
        return ", ".join(self.keys)
