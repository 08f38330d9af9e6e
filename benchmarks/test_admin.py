"""The admin benchmark times real, accepted admin requests: a refused save would time the wrong thing."""

import io

import pytest
from django.test import Client

from benchmarks import admin, generate
from polosa.news.models import ArticlePage


@pytest.mark.django_db
def test_every_measured_admin_request_is_answered_and_publish_publishes(section):
    generate.generate(articles=12, days=2, tags_count=5, batch=10, seed=5, stream=io.StringIO())
    ArticlePage.objects.filter(slug__startswith=generate.PREFIX).update(live=False)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(admin.editor())
    names = []
    for name, calls in admin.scenarios(client, 2):
        names.append(name)
        assert len(calls) == 2
        for call in calls:
            admin.check(name, call())
    assert {"dashboard", "edit form", "save draft", "publish"} <= set(names)
    assert ArticlePage.objects.filter(slug__startswith=generate.PREFIX, live=True).count() == 2
