"""Photo sizes are made when an article is published, so its first readers never wait for them."""

import logging

import pytest
from wagtail.images import get_image_model

from polosa.images.tests.factories import PolosaImageFactory
from polosa.news import renditions
from polosa.news.models import ArticlePage

pytestmark = pytest.mark.django_db


def rendition_count():
    return get_image_model().get_rendition_model().objects.count()


def test_publishing_makes_every_size_that_the_pages_show(client, article_factory, section, home):
    related = article_factory(title="Связанная статья")
    body_photo = PolosaImageFactory()
    article = article_factory(
        live=False,
        body=[
            ("paragraph", "<p>Текст.</p>"),
            ("image", {"image": body_photo, "caption": "", "credit": ""}),
            ("related", {"article": related}),
        ],
    )
    related_page = article_factory(body=[("related", {"article": article})], title="Ссылается на новую")
    # The factories create these live without a publish; their sizes are made as a publish would.
    renditions.prepare(related)
    renditions.prepare(related_page)
    article.save_revision().publish()
    made = rendition_count()
    assert made >= len(renditions.HERO_SPECS) + len(renditions.BODY_IMAGE_SPECS)
    for url in (article.url, section.url, home.url, related_page.url):
        assert client.get(url).status_code == 200
    # Rendering the article, its section, the front page and a related card made nothing new.
    assert rendition_count() == made


def test_an_article_without_photos_queues_nothing(article_factory, monkeypatch):
    from polosa.news import tasks

    queued = []

    class FakeTask:
        def enqueue(self, *args):
            queued.append(args)

    monkeypatch.setattr(tasks, "prepare_renditions", FakeTask())
    article = article_factory(live=False, hero_image=None)
    article.save_revision().publish()
    assert queued == []


def test_a_photo_whose_file_is_missing_is_logged_and_the_publish_goes_through(article_factory, caplog):
    article = article_factory(live=False)
    article.hero_image.file.storage.delete(article.hero_image.file.name)
    with caplog.at_level(logging.WARNING, logger="polosa.news.renditions"):
        article.save_revision().publish()
    assert ArticlePage.objects.get(pk=article.pk).live
    assert (
        f"renditions for image {article.hero_image.pk} of article {article.pk} were not made" in caplog.text
    )
