"""Locally generated pictures for demo content, so the demo needs no downloads and copies no photos."""

from __future__ import annotations

import hashlib
import io
import random

from django.core.files.images import ImageFile
from PIL import Image, ImageDraw, ImageFilter

PALETTES = [
    ((18, 52, 86), (222, 120, 58)),
    ((28, 74, 60), (236, 196, 88)),
    ((70, 28, 72), (240, 128, 128)),
    ((22, 36, 54), (96, 170, 220)),
    ((82, 44, 24), (250, 214, 150)),
    ((30, 30, 36), (180, 40, 48)),
    ((16, 70, 92), (160, 220, 200)),
]


def _mix(a, b, t):
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def picture(seed: str, width: int = 1600, height: int = 900) -> bytes:
    """An abstract, deterministic JPEG for `seed`: a gradient with soft shapes, like a blurred photo."""
    rng = random.Random(seed)
    dark, light = PALETTES[rng.randrange(len(PALETTES))]
    image = Image.new("RGB", (width, height), dark)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        draw.line([(0, y), (width, y)], fill=_mix(dark, light, (y / height) ** 1.6 * 0.55))
    for _ in range(rng.randint(7, 12)):
        r = rng.randint(height // 10, height // 2)
        x, y = rng.randint(-r, width), rng.randint(-r, height)
        colour = _mix(dark, light, rng.uniform(0.3, 1.0))
        if rng.random() < 0.5:
            draw.ellipse([x, y, x + r, y + r], fill=colour)
        else:
            draw.rectangle([x, y, x + r * 2, y + r // 2], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(radius=rng.randint(18, 40)))
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def demo_image(title: str, seed: str, *, caption: str = "", credit: str = "", alt: str = ""):
    """The demo image with this title, created on first use."""
    from wagtail.images import get_image_model

    model = get_image_model()
    existing = model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    file = ImageFile(
        io.BytesIO(picture(seed)), name=f"demo-{hashlib.sha256(seed.encode()).hexdigest()[:12]}.jpg"
    )
    return model.objects.create(title=title, file=file, caption=caption, credit=credit, description=alt)
