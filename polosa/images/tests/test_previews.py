"""A lazy card picture has its tiny preview under it, in the picture's own colours."""

import base64
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from PIL import Image

from polosa.images.previews import preview_uri

from .factories import PolosaImageFactory

pytestmark = pytest.mark.django_db


def solid_image(colour):
    buffer = io.BytesIO()
    Image.new("RGB", (320, 180), colour).save(buffer, format="JPEG")
    return PolosaImageFactory(file=ImageFile(buffer, name="solid.jpg"))


def decode(uri):
    assert uri.startswith("data:image/webp;base64,")
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))


def test_preview_is_a_tiny_picture_in_the_images_colour():
    preview = decode(preview_uri(solid_image((200, 40, 30))))
    assert preview.size == (16, 9)
    red, green, blue = preview.convert("RGB").getpixel((8, 4))
    assert red > 150, (red, green, blue)
    assert max(green, blue) < 90, (red, green, blue)
    assert len(preview_uri(solid_image((10, 10, 10)))) < 400  # a few hundred bytes in the page


def test_unreadable_file_gives_no_preview(caplog):
    image = solid_image((0, 0, 0))
    image.file.storage.delete(image.file.name)
    assert preview_uri(image) == ""
    assert "cannot be read" in caplog.text


def test_lazy_cards_carry_the_preview_and_the_main_story_loads_at_once(client, home, article_factory):
    # Past the main story and the top stories (no pictures), the section block's cards are lazy.
    for n in range(12):
        article_factory(title=f"Новость с фотографией {n}", hero_image=solid_image((30, 90, 200)))
    soup = BeautifulSoup(client.get(home.url).content, "html.parser")
    lazy = soup.select(".card__media img[loading=lazy]")
    assert lazy
    for picture in lazy:
        preview = picture.find_previous_sibling("img", class_="card__preview")
        assert preview is not None
        assert preview["alt"] == ""
        assert decode(preview["src"]).size == (16, 9)
    # The main story's picture is not lazy and needs no preview.
    main = soup.select_one(".card--main .card__media")
    assert main.select(".card__preview") == []
