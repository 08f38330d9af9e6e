"""A lazy photo in the article body has a preview of the whole photo under it, in its own box."""

import base64
import io
import logging

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from polosa.images.tests.factories import PolosaImageFactory, photo_file

pytestmark = pytest.mark.django_db


def decode(uri):
    assert uri.startswith("data:image/webp;base64,")
    return Image.open(io.BytesIO(base64.b64decode(uri.split(",", 1)[1])))


def body_photo(article_factory, image):
    article = article_factory(
        body=[("paragraph", "<p>Текст.</p>"), ("image", {"image": image, "caption": "", "credit": ""})]
    )
    return article


def test_a_body_photo_has_its_preview_under_it_and_keeps_its_box(client, article_factory):
    portrait = PolosaImageFactory(file=photo_file((600, 900), (200, 40, 30), name="portrait.jpg"))
    article = body_photo(article_factory, portrait)
    soup = BeautifulSoup(client.get(article.url).content, "html.parser")
    media = soup.select_one(".body-image .body-image__media")
    preview = media.select_one("img.image-preview")
    assert preview["alt"] == ""
    picture = decode(preview["src"])
    assert picture.size == (11, 16)  # the whole portrait, not a 16×9 cut
    assert (int(preview["width"]), int(preview["height"])) == picture.size
    red, green, blue = picture.convert("RGB").getpixel((5, 8))
    assert red > 150
    assert max(green, blue) < 90
    # The photo itself comes after it (CSS stacks it above), stays lazy and reserves its box.
    photo = media.select_one("picture > img")
    assert photo.find_previous_sibling() is None or photo.parent.find_previous_sibling("img") is preview
    assert photo["loading"] == "lazy"
    assert int(photo["width"]) * 3 == int(photo["height"]) * 2


def test_a_body_photo_whose_file_is_gone_still_renders_the_page(client, article_factory, caplog):
    image = PolosaImageFactory(file=photo_file(name="gone.jpg"))
    article = body_photo(article_factory, image)
    image.file.storage.delete(image.file.name)
    with caplog.at_level(logging.WARNING):
        response = client.get(article.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select_one(".body-image") is not None
    assert soup.select(".body-image img.image-preview") == []
    assert f"no preview for image {image.pk}" in caplog.text


def test_a_body_photo_whose_file_is_damaged_still_renders_the_page(client, article_factory, caplog):
    image = PolosaImageFactory(file=photo_file(name="damaged.jpg"))
    article = body_photo(article_factory, image)
    with image.file.storage.open(image.file.name, "wb") as file:
        file.write(b"\xff\xd8\xff\xe0 not a jpeg any more")
    with caplog.at_level(logging.WARNING):
        response = client.get(article.url)
    assert response.status_code == 200
    assert BeautifulSoup(response.content, "html.parser").select(".body-image img.image-preview") == []
    assert f"no preview for image {image.pk}" in caplog.text


def test_publishing_prepares_the_previews_too(article_factory):
    from polosa.images import previews
    from polosa.news import renditions

    photo = PolosaImageFactory(file=photo_file((600, 900), name="portrait.jpg"))
    article = body_photo(article_factory, photo)
    renditions.prepare(article)
    from django.core.cache import cache

    assert cache.get(previews.cache_key(photo, "whole"))
    assert cache.get(previews.cache_key(article.hero_image, "fill"))
