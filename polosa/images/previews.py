"""Tiny previews of images, shown under a lazy image until it loads (never an empty grey box).

A preview is a WebP of at most 16 pixels a side as a `data:` URI (about 150 bytes): the page's CSP
allows `data:` images but no inline styles, so it is an <img> of its own under the real one, scaled
up by CSS (which smooths it into a soft picture).

Two shapes, matching the renditions they stand under:

- ``FILL``: 16×9, cut around the image's focal point the way Wagtail's ``fill-`` crops are, for cards
  and posters (``fill-400x225``, ``fill-640x360``; a 3:2 card covers its box with it).
- ``WHOLE``: the whole picture with its own proportions (a portrait stays a portrait), for photos
  shown uncut (``width-800`` in the article body and live blogs).

Built once per image file, shape and focal point and kept in the shared cache; a file that cannot
be read is logged, gives no preview (the page renders without one) and is tried again only after
`FAILURE_TIMEOUT`. A picture with transparency gets no preview either: it would stay visible
through the picture once that had loaded.
"""

from __future__ import annotations

import base64
import io
import logging

from django.core.cache import cache
from PIL import Image, ImageOps
from wagtail.images.image_operations import FillOperation, ImageTransform

logger = logging.getLogger(__name__)

FILL = "fill"
WHOLE = "whole"
SHAPES = (FILL, WHOLE)
PREVIEW_SIZE = (16, 9)  # FILL
PREVIEW_SIDE = 16  # WHOLE: the longer side
PREVIEW_TIMEOUT = 30 * 24 * 3600  # keyed by the file's name, which changes when the file does
FAILURE_TIMEOUT = 10 * 60  # a missing file is not looked for on every render, nor given up for a month


def preview_uri(image, shape: str = FILL) -> str:
    """The image's preview as a `data:` URI, or "" if there is none (no file, unreadable, transparent)."""
    if image is None or not image.file:
        return ""
    if shape not in SHAPES:
        raise ValueError(f"unknown preview shape {shape!r}, expected one of {SHAPES}")
    key = cache_key(image, shape)
    value = cache.get(key)
    if value is None:
        value = _build(image, shape)
        cache.set(key, value, PREVIEW_TIMEOUT if value else FAILURE_TIMEOUT)
    return value


def cache_key(image, shape: str = FILL) -> str:
    key = f"image-preview:{image.pk}:{image.file.name}:{shape}"
    if shape == FILL and image.has_focal_point():
        # A new focal point moves the fill- crops, so it moves the preview too.
        focal = (image.focal_point_x, image.focal_point_y, image.focal_point_width, image.focal_point_height)
        key += ":" + "-".join(map(str, focal))
    return key


def _build(image, shape: str) -> str:
    try:
        with image.open_file() as file, Image.open(file) as source:
            if _has_alpha(source):
                return ""
            quarter_turn = source.getexif().get(0x0112, 1) in (5, 6, 7, 8)
            source.draft("RGB", (PREVIEW_SIDE * 8, PREVIEW_SIDE * 8))  # JPEG: decode at 1/8 at most
            # Renditions are cut from the upright picture; the focal point is given in its pixels.
            picture = ImageOps.exif_transpose(source).convert("RGB")
            if shape == FILL:
                upright = (image.height, image.width) if quarter_turn else (image.width, image.height)
                box = _fill_box(image, upright, picture.size)
                small = picture.crop(box).resize(PREVIEW_SIZE, Image.Resampling.BOX)
            else:
                small = ImageOps.contain(picture, (PREVIEW_SIDE, PREVIEW_SIDE), Image.Resampling.BOX)
        buffer = io.BytesIO()
        small.save(buffer, format="WEBP", quality=50)
    except Exception as error:  # a missing or damaged file must never break the page showing it
        logger.warning("no preview for image %s: its file cannot be read (%s)", image.pk, error)
        return ""
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _has_alpha(source: Image.Image) -> bool:
    return source.mode in ("RGBA", "LA", "PA") or "transparency" in source.info


def _fill_box(image, upright: tuple[int, int], size: tuple[int, int]) -> tuple[int, int, int, int]:
    """The box of a picture decoded at `size` that a 16:9 ``fill-`` rendition keeps: Wagtail's own
    operation on the `upright` (full size) picture, so the preview is cut where the rendition above
    it is, focal point included."""
    if not (upright[0] and upright[1]):
        upright = size
    focal = image if image.has_focal_point() else _NoFocalPoint()
    operation = FillOperation("fill", f"{PREVIEW_SIZE[0]}x{PREVIEW_SIZE[1]}")
    rect = operation.run(ImageTransform(upright), focal).get_rect()
    # `size` may be a JPEG's reduced decode.
    scale_x, scale_y = size[0] / upright[0], size[1] / upright[1]
    return (
        round(rect.left * scale_x),
        round(rect.top * scale_y),
        round(rect.right * scale_x),
        round(rect.bottom * scale_y),
    )


class _NoFocalPoint:
    def get_focal_point(self):
        return None
