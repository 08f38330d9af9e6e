"""The admin's image upload form: refuse what is not an image, or is too large, from its header.

Wagtail's own checks go through Willow, which decodes every pixel to learn an image's size (twice),
so a 12000×12000 PNG of a few kilobytes took seconds and hundreds of megabytes to be refused, and a
file named .gif that only starts like a GIF raised an UnidentifiedImageError (a 500). Pillow's
``Image.open`` is lazy: it reads the header, which gives the format and the size without decoding.
This form checks that first, then lets Wagtail's checks run on what passed (they still decode the
image once, which proves its data is whole), turning a decoder's error into a form error too.

Used for every Wagtail image form (the add and edit views, the multiple uploader, the chooser's
upload tab) through ``WAGTAILIMAGES_IMAGE_FORM_BASE``.
"""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.utils import get_allowed_image_extensions

logger = logging.getLogger(__name__)

# Pillow's name for the format behind each extension Wagtail may accept. Only these parsers look at
# an upload; an extension Pillow cannot read (svg) is left to Wagtail's own checks.
PILLOW_FORMATS = {
    "avif": "AVIF",
    "bmp": "BMP",
    "gif": "GIF",
    "heic": "HEIF",
    "ico": "ICO",
    "jpeg": "JPEG",
    "jpg": "JPEG",
    "png": "PNG",
    "tif": "TIFF",
    "tiff": "TIFF",
    "webp": "WEBP",
}

NOT_AN_IMAGE = _("This file is not an image in a supported format, or it is damaged.")
TOO_LARGE = _(
    "This image is too large (%(width)s × %(height)s pixels): at most %(megapixels)s megapixels are accepted."
)
FAR_TOO_LARGE = _("This image is too large: at most %(megapixels)s megapixels are accepted.")


def _megapixels(pixels: int) -> str:
    return f"{pixels / 1_000_000:g}"


def check_image_header(upload, max_pixels: int | None) -> None:
    """Raise ValidationError unless `upload`'s header is that of an image with at most `max_pixels`.

    Reads the header only (Pillow opens lazily), whatever the pixel count; leaves the file at its start.
    """
    PILImage.init()
    wanted = {PILLOW_FORMATS.get(ext) for ext in get_allowed_image_extensions()}
    formats = sorted(name for name in wanted if name in PILImage.OPEN)
    upload.seek(0)
    try:
        with PILImage.open(upload, formats=formats) as image:
            width, height = image.size
    except PILImage.DecompressionBombError:
        # Pillow refuses twice its own limit outright, before telling the size.
        limit = min(max_pixels or PILImage.MAX_IMAGE_PIXELS * 2, PILImage.MAX_IMAGE_PIXELS * 2)
        raise ValidationError(
            FAR_TOO_LARGE, code="file_too_many_pixels", params={"megapixels": _megapixels(limit)}
        ) from None
    except Exception as error:  # any parser failure on a hostile file means "not an image"
        logger.info("image upload refused, no readable image header: %r", error)
        raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from None
    finally:
        upload.seek(0)
    if max_pixels is not None and width * height > max_pixels:
        raise ValidationError(
            TOO_LARGE,
            code="file_too_many_pixels",
            params={"width": width, "height": height, "megapixels": _megapixels(max_pixels)},
        )


class HeaderCheckedImageField(WagtailImageField):
    """Wagtail's image field with the header check first, and no decoder error left uncaught."""

    def to_python(self, data):
        if data and hasattr(data, "seek"):
            check_image_header(data, self.max_image_pixels)
        try:
            return super().to_python(data)
        except ValidationError:
            raise
        except Exception as error:  # the header was fine, the data behind it is not
            logger.info("image upload refused, its data does not decode: %r", error)
            raise ValidationError(NOT_AN_IMAGE, code="invalid_image") from None


class PolosaImageForm(BaseImageForm):
    """The base of Wagtail's image forms (WAGTAILIMAGES_IMAGE_FORM_BASE)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("file")
        if field is not None and not isinstance(field, HeaderCheckedImageField):
            # Wagtail builds the field itself (formfield_for_dbfield); same options, our checks.
            self.fields["file"] = HeaderCheckedImageField(
                label=field.label,
                required=field.required,
                widget=field.widget,
                max_length=field.max_length,
                initial=field.initial,
                disabled=field.disabled,
            )
