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
