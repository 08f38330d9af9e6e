"""The front page and the read counters moved out of the feed app (feed 0005, front 0001, readership
0001): a database from before keeps its front page, its top stories and its counted reads."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from wagtail.models import Page

from polosa.front.models import HomePage, TopStory
from polosa.readership.models import ArticleReadTotal

BEFORE = [("feed", "0004_read_counts")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def leaf_nodes():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_a_database_from_before_the_move_keeps_its_front_page(home, article_factory):
    article = article_factory()
    TopStory.objects.create(home=home, article=article, sort_order=0)
    ArticleReadTotal.objects.create(article=article, reads=7)
    home_type = ContentType.objects.get_for_model(HomePage)
    latest = leaf_nodes()
    try:
        migrate(BEFORE)
        # As the previous version left it: the feed app's content type, the same tables.
        with connection.cursor() as cursor:
            cursor.execute("SELECT app_label FROM django_content_type WHERE id = %s", [home_type.pk])
            assert cursor.fetchone() == ("feed",)
    finally:
        migrate(latest)

    assert ContentType.objects.get(pk=home_type.pk).app_label == "front"
    assert not ContentType.objects.filter(app_label="feed", model__in=["homepage", "topstory"]).exists()
    page = Page.objects.get(pk=home.pk).specific
    assert isinstance(page, HomePage)
    assert [t.article_id for t in page.top_stories.all()] == [article.pk]
    assert ArticleReadTotal.objects.get(article=article).reads == 7


@pytest.mark.django_db(transaction=True)
def test_the_front_page_still_answers_after_the_move(client, home, article_factory):
    article = article_factory(title="Перенесённая главная")
    latest = leaf_nodes()
    try:
        migrate(BEFORE)
    finally:
        migrate(latest)
    response = client.get("/")
    assert response.status_code == 200
    assert article.title in response.content.decode()
