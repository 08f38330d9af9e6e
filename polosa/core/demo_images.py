"""Pictures for demo content: openly licensed photographs shipped in demo_photos/ (authors, sources and
licences in demo_photos/README.md), so the demo needs no downloads."""

from __future__ import annotations

import hashlib
import io
import random
from functools import cache
from pathlib import Path

from django.core.files.images import ImageFile
from PIL import Image

PHOTOS = Path(__file__).resolve().parent / "demo_photos"
KDE = "пакет plasma-workspace-wallpapers, LGPL-3.0"
MATE = "пакет mate-backgrounds, GPL-2.0+"
# file stem: (what the picture shows, for its caption and alt text; its author and licence, for the credit)
ABOUT = {
    "aqua": ("Капля падает в воду", f"Charles Barbin, {MATE}"),
    "by-the-water": ("Деревянный настил у воды на закате", f"Maciej Wiklo, {KDE}"),
    "cold-ripple": ("Пирс в тумане над неподвижной водой", f"Risto Saukonpää, {KDE}"),
    "colorful-cups": ("Ряды разноцветных пластиковых стаканов", f"Dmitri Popov, {KDE}"),
    "darkest-hour": ("Озеро в синих сумерках", f"Risto Saukonpää, {KDE}"),
    "dune": ("Сухая трава на дюне у моря", f"Marco Cogoni, Hylke Bons, {MATE}"),
    "evening-glow": ("Лодки у берега озера на закате", f"Ian Hex, {KDE}"),
    "fallen-leaf": ("Опавшие кленовые листья", f"Martin Klapetek, {KDE}"),
    "garden": ("Цветок бархатца в саду", f"Charles Barbin, {MATE}"),
    "green-meadow": ("Молодая трава крупным планом", f"Timothy Schellhase, Lapo Calamandrei, {MATE}"),
    "one-stands-out": ("Мох и один рыжий побег среди зелени", f"Risto Saukonpää, {KDE}"),
    "path": ("Тропа через еловый лес", f"Risto Saukonpää, {KDE}"),
    "rain-drops": ("Капли дождя на листьях", f"blackcombwhistler07, {MATE}"),
    "storm": ("Грозовое небо над шоссе", f"Sergey Nazarov, {MATE}"),
    "summer-1am": ("Летняя ночь над озером", f"Risto Saukonpää, {KDE}"),
    "wood": ("Деревянная доска крупным планом", f"Jean-François Fortin Tam, {MATE}"),
}


@cache
def photos() -> tuple[Path, ...]:
    return tuple(sorted(PHOTOS.glob("*.jpg")))


def photo_for(seed: str) -> Path:
    """The photograph `seed` always gets."""
    return photos()[int(hashlib.sha256(seed.encode()).hexdigest(), 16) % len(photos())]


def picture(seed: str, width: int = 1280, height: int = 720) -> bytes:
    """A deterministic JPEG for `seed`: its photograph cut to `width`×`height` at a seeded zoom and
    offset (and sometimes mirrored), so articles sharing a photograph still show different pictures."""
    rng = random.Random(seed)
    with Image.open(photo_for(seed)) as source:
        photo = source.convert("RGB")
    zoom = rng.uniform(1.0, 1.35)
    ratio = width / height
    crop_w = min(photo.width, photo.height * ratio) / zoom
    crop_h = crop_w / ratio
    left = rng.uniform(0, photo.width - crop_w)
    top = rng.uniform(0, photo.height - crop_h)
    if rng.random() < 0.5:
        photo = photo.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    box = (left, top, left + crop_w, top + crop_h)
    image = photo.resize((width, height), Image.Resampling.LANCZOS, box=box)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=82, optimize=True, progressive=True)
    return buffer.getvalue()


def demo_image(title: str, seed: str):
    """The demo image with this title, created on first use; its caption, alt text and credit say
    what the photograph shows and who took it (never an invented agency)."""
    from wagtail.images import get_image_model

    model = get_image_model()
    existing = model.objects.filter(title=title).first()
    if existing is not None:
        return existing
    about, credit = ABOUT[photo_for(seed).stem]
    file = ImageFile(
        io.BytesIO(picture(seed)), name=f"demo-{hashlib.sha256(seed.encode()).hexdigest()[:12]}.jpg"
    )
    return model.objects.create(title=title, file=file, caption=about, credit=credit, description=about)
