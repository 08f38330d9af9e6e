"""A lazy card picture has its tiny preview under it, in the picture's own colours."""

import base64
import io

import pytest
from bs4 import BeautifulSoup
from django.core.files.images import ImageFile
from PIL import Image
from wagtail.images.rect import Rect

from polosa.images.previews import preview_uri

from .factories import PolosaImageFactory, photo_file

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


RED, BLUE = (220, 20, 20), (20, 20, 220)


def colour_at(uri, xy):
    return decode(uri).convert("RGB").getpixel(xy)


def is_blue(rgb):
    return rgb[2] > 150 and rgb[0] < 90


def is_red(rgb):
    return rgb[0] > 150 and rgb[2] < 90


def test_a_fill_preview_is_cut_around_the_focal_point_like_the_fill_renditions():
    # 640×180, red on the left, blue on the right: a 16×9 box (320×180) cannot hold both.
    image = PolosaImageFactory(file=photo_file((640, 180), halves=(RED, BLUE), name="halves.jpg"))
    centred = preview_uri(image)
    assert is_red(colour_at(centred, (4, 4)))
    assert is_blue(colour_at(centred, (12, 4)))
    image.set_focal_point(Rect.from_point(560, 90, 60, 60))
    image.save()
    preview = preview_uri(image)
    assert preview != centred
    # The fill- rendition the card shows makes the same cut: mostly the blue half now.
    rendition = image.get_rendition("fill-160x90")
    with rendition.file.open() as file, Image.open(file) as cut:
        rendered = cut.convert("RGB").resize((16, 9), Image.Resampling.BOX)
    for x in (0, 4, 8, 14):
        assert is_blue(rendered.getpixel((x, 4))) == is_blue(colour_at(preview, (x, 4))), x
    assert is_blue(colour_at(preview, (4, 4)))
    assert is_blue(colour_at(preview, (14, 4)))


def test_a_whole_preview_keeps_the_photos_proportions():
    portrait = PolosaImageFactory(file=photo_file((180, 320), name="portrait.jpg"))
    assert decode(preview_uri(portrait, "whole")).size == (9, 16)
    landscape = PolosaImageFactory(file=photo_file((400, 300), name="landscape.jpg"))
    assert decode(preview_uri(landscape, "whole")).size == (16, 12)
    with pytest.raises(ValueError, match="unknown preview shape"):
        preview_uri(landscape, "square")


def test_a_transparent_picture_gets_no_preview_that_would_show_through_it():
    chart = PolosaImageFactory(file=photo_file((320, 180), (0, 0, 0, 0), name="chart.png", mode="RGBA"))
    assert preview_uri(chart) == ""
    assert preview_uri(chart, "whole") == ""


def test_a_preview_is_built_once_then_read_from_the_cache(monkeypatch):
    image = solid_image((200, 40, 30))
    first = preview_uri(image, "whole")

    def fail(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(Image, "open", fail)
    assert preview_uri(image, "whole") == first


def test_a_missing_file_is_not_looked_for_on_every_render_nor_given_up_for_good(caplog, monkeypatch):
    from polosa.images import previews

    image = solid_image((0, 0, 0))
    image.file.storage.delete(image.file.name)
    stored = {}
    real_set = previews.cache.set

    def remember(key, value, timeout):
        stored[key] = timeout
        real_set(key, value, timeout)

    monkeypatch.setattr(previews.cache, "set", remember)
    assert preview_uri(image, "whole") == ""
    assert list(stored.values()) == [previews.FAILURE_TIMEOUT]
    assert f"no preview for image {image.pk}" in caplog.text
