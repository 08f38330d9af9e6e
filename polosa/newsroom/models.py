"""The newsroom's own data: the breaking-news banner ("Срочно") run by the duty editor."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel


def validate_banner_link(value: str) -> None:
    """A banner links to a page of the site ("/…") or to an http(s) address, nothing else."""
    if value.startswith("/") and not value.startswith("//"):
        return
    if value.startswith(("https://", "http://")):
        return
    raise ValidationError(_("Enter a path on this site (starting with /) or an http(s) address."))


class BreakingBannerQuerySet(models.QuerySet):
    def showing(self, now=None):
        """Banners readers see at `now`: not yet expired, newest first."""
        now = now or timezone.now()
        return self.filter(expires_at__gt=now).order_by("-created_at", "-pk")


class BreakingBanner(models.Model):
    """A one-line breaking-news banner shown above the header of every page until it expires."""

    text = models.CharField(_("text"), max_length=200)
    link = models.CharField(
        _("link"),
        max_length=500,
        blank=True,
        validators=[validate_banner_link],
        help_text=_("An article's address on this site (/…) or an http(s) address; may be left empty."),
    )
    expires_at = models.DateTimeField(
        _("shown until"), help_text=_("The banner disappears from every page at this time.")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = BreakingBannerQuerySet.as_manager()

    panels = [FieldPanel("text"), FieldPanel("link"), FieldPanel("expires_at")]

    class Meta:
        verbose_name = _("breaking-news banner")
        verbose_name_plural = _("breaking-news banners")
        indexes = [models.Index(fields=["expires_at"], name="banner_expires_idx")]

    def __str__(self):
        return self.text

    def clean(self):
        super().clean()
        if self.expires_at and self.expires_at <= timezone.now():
            raise ValidationError({"expires_at": _("The expiry time must be in the future.")})
