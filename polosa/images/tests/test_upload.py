"""Uploads that are not images, or far too large, are refused with a form error from their header.

Nothing here decodes pixels: Pillow's decoder is replaced by one that fails the test if it is called.
"""

import json
import struct
import zlib
from functools import cache
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage
from PIL import ImageFile
from wagtail.images.forms import get_image_form

from polosa.images.models import PolosaImage

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::PIL.Image.DecompressionBombWarning"),
]

NOT_AN_IMAGE = "Файл не является изображением поддерживаемого формата или повреждён."
TOO_LARGE = "Слишком большое изображение (12000 × 12000 пикселей): допускается не больше 64 млн пикселей."


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@cache
def huge_png(side: int = 12000) -> bytes:
    """A complete, valid 1-bit PNG of side × side black pixels: about 17 KB, made in a few ms."""
    row = b"\0" * (1 + (side + 7) // 8)  # filter byte and the packed pixels
    compressor = zlib.compressobj(9)
    data = compressor.compress(row * side) + compressor.flush()
    header = struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0)  # 1 bit, greyscale
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", data) + _chunk(b"IEND", b"")


def small_png() -> bytes:
    buffer = BytesIO()
    PILImage.new("RGB", (64, 48), "#3366aa").save(buffer, "PNG")
    return buffer.getvalue()


NOT_IMAGES = {
    "gif-magic-then-garbage": b"GIF89a" + b"\0" * 64,
    "text": "Это не картинка, а текст.".encode(),
    "png-magic-then-garbage": b"\x89PNG\r\n\x1a\n" + b"\xff" * 64,
}


@pytest.fixture
def no_decoding(monkeypatch):
    """Fail the test if any pixel data is decoded."""

    def refuse(self):
        raise AssertionError("pixels were decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def add(admin_client, name, content):
    return admin_client.post(reverse("wagtailimages:add"), {"title": "Снимок", "file": upload(name, content)})


def add_multiple(admin_client, name, content):
    response = admin_client.post(reverse("wagtailimages:add_multiple"), {"files[]": upload(name, content)})
    assert response.status_code == 200
    return json.loads(response.content)


def form_errors(name, content):
    form = get_image_form(PolosaImage)({"title": "Снимок"}, {"file": upload(name, content)})
    assert not form.is_valid()
    return form.errors["file"]


@pytest.mark.parametrize("content", NOT_IMAGES.values(), ids=NOT_IMAGES.keys())
def test_a_non_image_named_gif_is_refused_with_a_form_error(admin_client, no_decoding, content):
    response = add(admin_client, "snimok.gif", content)
    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()

    answer = add_multiple(admin_client, "snimok.gif", content)
    assert answer["success"] is False
    assert answer["error_message"] == NOT_AN_IMAGE

    assert form_errors("snimok.gif", content) == [NOT_AN_IMAGE]
    assert not PolosaImage.objects.exists()


def test_a_huge_png_is_refused_from_its_header_without_decoding(admin_client, no_decoding):
    response = add(admin_client, "panorama.png", huge_png())
    assert response.status_code == 200
    assert TOO_LARGE in response.content.decode()

    answer = add_multiple(admin_client, "panorama.png", huge_png())
    assert answer["success"] is False
    assert answer["error_message"] == TOO_LARGE

    assert form_errors("panorama.png", huge_png()) == [TOO_LARGE]
    assert not PolosaImage.objects.exists()


def test_a_png_whose_data_is_cut_off_is_refused_not_a_500(admin_client):
    response = add(admin_client, "cut.png", small_png()[:80])
    assert response.status_code == 200
    assert NOT_AN_IMAGE in response.content.decode()
    assert not PolosaImage.objects.exists()


def test_an_ordinary_photo_is_still_accepted(admin_client):
    response = add(admin_client, "port.png", small_png())
    assert response.status_code == 302
    image = PolosaImage.objects.get()
    assert (image.width, image.height) == (64, 48)
    assert add_multiple(admin_client, "port-2.png", small_png())["success"] is True
