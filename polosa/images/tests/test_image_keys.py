"""A photo edited after publication (crop, caption, credit) reaches every stored page showing it."""

import pytest

from polosa.caching import CACHE_HEADER
from polosa.images.tests.factories import PolosaImageFactory as ImageFactory

pytestmark = pytest.mark.django_db


def keys_of(response) -> set[str]:
    return set(response["xkey"].split())


def test_a_credit_corrected_after_publication_shows_on_the_cached_article(client, article_factory):
    photo = ImageFactory(credit="Иван Фотографов")
    article = article_factory(title="Мост открыли после ремонта", hero_image=photo)
    client.get(article.url)
    cached = client.get(article.url)
    assert cached[CACHE_HEADER] == "hit"
    assert f"image:{photo.pk}" in keys_of(cached)
    assert "Иван Фотографов" in cached.content.decode()

    photo.credit = "Пётр Снимков"
    photo.save()
    response = client.get(article.url)
    assert response[CACHE_HEADER] == "miss"
    assert "Пётр Снимков" in response.content.decode()


def test_a_listing_depends_on_the_photos_of_its_cards(client, section, article_factory):
    photo = ImageFactory()
    article_factory(title="Порт принял первый контейнеровоз", hero_image=photo)
    client.get(section.url)
    listing = client.get(section.url)
    assert listing[CACHE_HEADER] == "hit"
    assert f"image:{photo.pk}" in keys_of(listing)
    photo.focal_point_x, photo.focal_point_y = 10, 10
    photo.focal_point_width, photo.focal_point_height = 20, 20
    photo.save()
    assert client.get(section.url)[CACHE_HEADER] == "miss"
