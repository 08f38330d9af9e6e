"""Lazy pictures of live blogs and the live broadcast have a tiny preview under them."""

import pytest
from bs4 import BeautifulSoup

from polosa.images.tests.factories import PolosaImageFactory, photo_file

from .factories import LiveBlogEntryFactory, LiveBlogPageFactory, LiveBroadcastFactory, on_air_window

pytestmark = pytest.mark.django_db


def test_a_live_entrys_photo_has_a_preview_of_the_whole_photo(client, home):
    blog = LiveBlogPageFactory(parent=home)
    portrait = PolosaImageFactory(file=photo_file((600, 900), name="portrait.jpg"))
    LiveBlogEntryFactory(page=blog, image=portrait)
    soup = BeautifulSoup(client.get(blog.url).content, "html.parser")
    preview, photo = soup.select_one(".live-entry__image .live-entry__media").find_all("img")
    assert "image-preview" in preview["class"]
    assert (preview["width"], preview["height"]) == ("11", "16")
    assert photo["loading"] == "lazy"
    assert (photo["width"], photo["height"]) == ("600", "900")


def test_the_broadcast_poster_has_a_preview(client, home):
    poster = PolosaImageFactory(file=photo_file((640, 360), name="poster.jpg"))
    broadcast = LiveBroadcastFactory(poster=poster)
    on_air_window(broadcast)
    soup = BeautifulSoup(client.get(home.url).content, "html.parser")
    preview, poster = soup.select_one(".live-player__start").find_all("img")
    assert "image-preview" in preview["class"]
    assert "live-player__poster" in poster["class"]
