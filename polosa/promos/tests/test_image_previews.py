"""A promo card's lazy picture has the same tiny preview under it as the news cards."""

import pytest
from bs4 import BeautifulSoup

from polosa.images.tests.factories import PolosaImageFactory, photo_file

from .factories import EventPromoFactory

pytestmark = pytest.mark.django_db


def test_a_promo_cards_lazy_picture_has_its_preview_under_it(client, home, article_factory):
    article = article_factory(title="Новость")
    EventPromoFactory(image=PolosaImageFactory(file=photo_file((640, 360), (200, 40, 30), name="event.jpg")))
    for url in (home.url, article.url):  # the front page block and the aside beside an article
        soup = BeautifulSoup(client.get(url).content, "html.parser")
        media = soup.select(".promo-card__media")
        assert media, url
        for box in media:
            preview, picture = box.find_all("img")
            assert "image-preview" in preview["class"]
            assert preview["src"].startswith("data:image/webp;base64,")
            assert preview["alt"] == ""
            assert picture["loading"] == "lazy"
            assert (picture["width"], picture["height"]) == ("400", "225")


def test_a_promo_whose_picture_is_gone_is_shown_without_a_preview(client, home, caplog):
    image = PolosaImageFactory(file=photo_file(name="gone.jpg"))
    EventPromoFactory(image=image)
    image.file.storage.delete(image.file.name)
    response = client.get(home.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    assert soup.select(".promo-card")
    assert soup.select(".promo-card img.image-preview") == []
    assert f"no preview for image {image.pk}" in caplog.text
