"""Tiny previews of images, shown under a lazy image until it loads (never an empty grey box).

A preview is a 16×9 WebP of the image as a `data:` URI (about 150 bytes): the page's CSP allows
`data:` images but no inline styles, so it is an <img> of its own under the real one, blurred by CSS.
Built once per image file and kept in the shared cache.
"""

from __future__ import annotations

import base64
import io
import logging

from django.core.cache import cache
from PIL import Image, ImageOps

logger = logging.getLogger(__name__)

PREVIEW_SIZE = (16, 9)
PREVIEW_TIMEOUT = 30 * 24 * 3600  # keyed by the file's name, which changes when the file does


def preview_uri(image) -> str:
    """The image's preview as a `data:` URI, or "" if its file cannot be read."""
    if image is None or not image.file:
        return ""
    key = f"image-preview:{image.pk}:{image.file.name}"
    value = cache.get(key)
    if value is None:
        value = _build(image)
        cache.set(key, value, PREVIEW_TIMEOUT)
    return value


def _build(image) -> str:
    try:
        with image.open_file() as file, Image.open(file) as source:
            source.draft("RGB", (PREVIEW_SIZE[0] * 8, PREVIEW_SIZE[1] * 8))  # JPEG: decode at 1/8
            small = ImageOps.fit(source.convert("RGB"), PREVIEW_SIZE, Image.Resampling.BOX)
        buffer = io.BytesIO()
        small.save(buffer, format="WEBP", quality=50)
    except (OSError, ValueError):
        logger.warning("no preview for image %s: its file cannot be read", image.pk)
        return ""
    return "data:image/webp;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
