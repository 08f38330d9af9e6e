import logging
from functools import lru_cache

from django.db import models
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.models import AbstractImage, AbstractRendition, Filter, Image, SourceImageIOError

from polosa.caching import depends_on, keys

from .credits import clean_credit

logger = logging.getLogger(__name__)


@lru_cache(maxsize=512)
def shared_filter(spec: str) -> Filter:
    """One Filter per spec for the whole process. A Filter parses its spec into operations the first
    time it is used, and Wagtail's image tags make new ones on every render: 19 parses per article
    page, for a dozen specs that never change."""
    return Filter(spec=spec)


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
        help_text=_(
            "Photographer and agency, e.g. “Anna Ivanova / Agency”, without “Photo:”: the page adds "
            "it (“Photo: Anna Ivanova / Agency”), and a typed one is removed."
        ),
    )

    admin_form_fields = (
        *Image.admin_form_fields,
        "caption",
        "credit",
    )

    class Meta(AbstractImage.Meta):
        verbose_name = _("image")
        verbose_name_plural = _("images")

    def save(self, *args, **kwargs):
        self.credit = clean_credit(self.credit)
        return super().save(*args, **kwargs)

    @property
    def alt_text(self) -> str:
        return self.description or self.caption or ""

    def get_renditions(self, *filters):
        # Whatever shows a size of this photo shows its crop and credit too: an edit must reach it.
        # (Listings and the article page record their photos in bulk first; then this reads nothing.)
        depends_on(keys.image(self.pk))
        try:
            return super().get_renditions(
                *(shared_filter(f if isinstance(f, str) else f.spec) if _plain(f) else f for f in filters)
            )
        except SourceImageIOError:
            raise
        except (OSError, ValueError, PILImage.DecompressionBombError) as error:
            # A file that is there but does not decode (cut off, overwritten). Wagtail's image tags
            # turn a *missing* file (SourceImageIOError) into a broken picture and render the page;
            # any other decoder error was a 500 for every reader of every page showing the image.
            logger.warning("image %s: its file does not decode, no rendition made: %r", self.pk, error)
            raise SourceImageIOError(str(error)) from error

    def get_rendition(self, filter):
        # Wagtail's get_rendition writes the rendition back to the cache on every call, even one it
        # has just read from there: seven needless cache writes per cold article page.
        # get_renditions() writes only what it found in the database or made.
        return next(iter(self.get_renditions(filter).values()))


def _plain(filter) -> bool:
    return isinstance(filter, str) or type(filter) is Filter


class PolosaRendition(AbstractRendition):
    image = models.ForeignKey(PolosaImage, on_delete=models.CASCADE, related_name="renditions")

    def __setstate__(self, state):
        # Unpickled means read from the cache; Wagtail's get_renditions() then leaves it there.
        super().__setstate__(state)
        self._from_cache = True

    class Meta:
        unique_together = (("image", "filter_spec", "focal_point_key"),)
