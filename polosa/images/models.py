from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.images.models import AbstractImage, AbstractRendition, Image


class PolosaImage(AbstractImage):
    """A news photo: Wagtail's image plus what a newsroom must print beside it.

    Wagtail's own `description` field is the alt text read to screen-reader users.
    """

    caption = models.CharField(
        _("caption"),
        max_length=500,
        blank=True,
        help_text=_("What the photo shows, printed under it."),
    )
    credit = models.CharField(
        _("credit"),
        max_length=255,
        blank=True,
        help_text=_("Photographer and agency, e.g. “Anna Ivanova / Agency”. Printed as “Photo: …”."),
    )

    admin_form_fields = (
        *Image.admin_form_fields,
        "caption",
        "credit",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    @property
    def alt_text(self) -> str:
        return self.description or self.caption or ""


class PolosaRendition(AbstractRendition):
    image = models.ForeignKey(PolosaImage, on_delete=models.CASCADE, related_name="renditions")

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
