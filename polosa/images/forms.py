"""The admin's image upload form: refuse what is not an image, or is too large, from its header.

Wagtail's own checks go through Willow, which decodes every pixel to learn an image's size (twice),
so a 12000×12000 PNG of a few kilobytes took seconds and hundreds of megabytes to be refused, and a
file named .gif that only starts like a GIF raised an UnidentifiedImageError (a 500). Pillow's
``Image.open`` is lazy: it reads the header, which gives the format and the size without decoding.
This form checks that first, then lets Wagtail's checks run on what passed (they still decode the
image once, which proves its data is whole), turning a decoder's error into a form error too.

Used for every Wagtail image form (the add and edit views, the multiple uploader, the chooser's
upload tab) through ``WAGTAILIMAGES_IMAGE_FORM_BASE``.

It also lets the editor set the focal point (the part of the photo a ``fill-`` crop keeps, a face)
where a photo comes in, not only on the image's own edit page: the multiple uploader's form for each
uploaded image, the add page and the chooser's upload tab gain a picture to click or drag a box on
(``FocalPointWidget``). Every form checks the four values: whole numbers, inside the image.
"""

from __future__ import annotations

import contextlib
import logging

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image as PILImage
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm
from wagtail.images.utils import get_allowed_image_extensions

from .widgets import FocalPointWidget

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
FOCAL_NOT_NUMBERS = _(
    "The focal point must be four whole numbers of pixels (centre across, centre down, width, height), "
    "or none at all."
)
FOCAL_NOT_POSITIVE = _("The focal point cannot have a negative position or an empty area.")
FOCAL_OUTSIDE = _("The focal point must lie inside the image (%(width)s × %(height)s pixels).")

FOCAL_FIELDS = ("focal_point_x", "focal_point_y", "focal_point_width", "focal_point_height")
# Orientations that turn the stored pixels a quarter turn: the upright picture is height × width.
QUARTER_TURNS = {5, 6, 7, 8}


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


def upright_size(file) -> tuple[int, int] | None:
    """The size of the picture as shown (EXIF orientation applied), from its header; None if unreadable.

    Renditions are cut from the upright picture (Willow's auto_orient), and Wagtail's fill- operation
    reads the focal point in its pixels, so that is the space the focal point is checked in.
    """
    try:
        file.seek(0)
        with PILImage.open(file) as image:
            width, height = image.size
            orientation = image.getexif().get(0x0112, 1)
    except Exception:  # an unreadable file is the file field's error, not this one's
        return None
    finally:
        with contextlib.suppress(Exception):  # a closed file; nothing to rewind
            file.seek(0)
    return (height, width) if orientation in QUARTER_TURNS else (width, height)


def _parse_focal_point(values: list[str]) -> tuple[int, int, int, int] | None:
    if not any(values):
        return None
    try:
        numbers = [int(value) for value in values]
    except ValueError:
        raise ValidationError(FOCAL_NOT_NUMBERS, code="focal_point_invalid") from None
    x, y, width, height = numbers
    if x < 0 or y < 0 or width < 1 or height < 1:
        raise ValidationError(FOCAL_NOT_POSITIVE, code="focal_point_negative")
    return x, y, width, height


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
        self._setup_focal_point(has_file_field=field is not None)

    def _setup_focal_point(self, has_file_field: bool) -> None:
        # Wagtail's multiple uploader edits each uploaded image with a form that leaves the focal
        # point out (get_image_multi_form); it is put back here, and saved by clean() below.
        # The values stay four hidden inputs with Wagtail's classes, which the edit page's own
        # focal point chooser fills; they are parsed in clean(), so a bad value is a message the
        # form shows (an error on a hidden input is shown nowhere).
        for name in FOCAL_FIELDS:
            self.fields[name] = forms.CharField(
                required=False,
                strip=True,
                widget=forms.HiddenInput(attrs={"class": name}),
                initial=getattr(self.instance, name, None),
            )
        editing_existing = has_file_field and self.instance.pk is not None
        if editing_existing:
            return  # the edit page has Wagtail's focal point chooser beside the form
        self.fields["focal_point"] = forms.Field(
            required=False,
            label=_("Focal point"),
            help_text=_(
                "Click the most important part of the photo (a face), or drag a box around it: "
                "crops of the photo keep it. Leave it to crop around the centre."
            ),
            widget=FocalPointWidget(image=self.instance if not has_file_field else None),
        )

    def clean(self):
        cleaned = super().clean()
        raw = [cleaned.get(name) or "" for name in FOCAL_FIELDS]
        try:
            focal = _parse_focal_point(raw)
            if focal is not None:
                self._check_focal_point_inside(focal, cleaned.get("file"))
        except ValidationError as error:
            self.add_error(None, error)
            for name in FOCAL_FIELDS:
                cleaned.pop(name, None)
            return cleaned
        values = focal if focal is not None else (None,) * 4
        for name, value in zip(FOCAL_FIELDS, values, strict=True):
            cleaned[name] = value
            # Excluded from the multiple uploader's model form, so not copied by it.
            setattr(self.instance, name, value)
        return cleaned

    def _check_focal_point_inside(self, focal, new_file) -> None:
        if new_file:
            size = upright_size(new_file)
        elif self.instance.file:
            size = self._stored_upright_size()
        else:  # an upload waiting for its image (Wagtail's UploadedFile): its size is not known yet
            size = None
        if size is None:
            return
        width, height = size
        x, y, area_width, area_height = focal
        # Centre and size in whole pixels: half a pixel over an edge is rounding, not a mistake.
        if (
            x - area_width / 2 < -1
            or y - area_height / 2 < -1
            or x + area_width / 2 > width + 1
            or y + area_height / 2 > height + 1
        ):
            raise ValidationError(
                FOCAL_OUTSIDE, code="focal_point_outside", params={"width": width, "height": height}
            )

    def _stored_upright_size(self) -> tuple[int, int] | None:
        try:
            with self.instance.open_file() as file:
                size = upright_size(file)
        except Exception:  # a missing file: check against what the database says
            size = None
        if size is None and self.instance.width and self.instance.height:
            size = (self.instance.width, self.instance.height)
        return size
