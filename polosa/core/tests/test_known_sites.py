"""Each process keeps the site a request is for (`polosa.core.sites.site_for`), checked against the
site's and its root page's dependency versions instead of two queries per uncached page."""

import pytest
from django.db import connection
from django.test import RequestFactory, override_settings
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from polosa.caching import invalidate, keys
from polosa.core.sites import remember_site_for_request, site_for

pytestmark = pytest.mark.django_db


def site_queries(queries) -> list[str]:
    return [q["sql"] for q in queries if "wagtailcore_site" in q["sql"]]


def test_wagtail_reuses_the_site_kept_on_the_request(home):
    # The one private attribute this relies on: if Wagtail stops reading it, this fails.
    request = RequestFactory().get("/")
    remember_site_for_request(request)
    with CaptureQueriesContext(connection) as queries:
        assert Site.find_for_request(request) is request._wagtail_site
    assert queries.captured_queries == []
    assert request._wagtail_site.root_page.pk == home.pk


@override_settings(POLOSA_PAGE_CACHE_ENABLED=False)
def test_an_uncached_article_asks_the_database_for_its_site_once_per_process(client, article_factory):
    article = article_factory(title="Совет директоров утвердил дивиденды")
    assert client.get(article.url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(article.url)
    assert response.status_code == 200
    assert site_queries(queries.captured_queries) == []
    # Routing starts from the front page already in its own type: no query for its row either.
    assert not [q for q in queries.captured_queries if '"feed_homepage"' in q["sql"]]


def test_the_root_page_is_loaded_in_its_own_type_once(home):
    site = site_for("localhost", 80)
    assert type(site.root_page.specific) is type(home)
    with CaptureQueriesContext(connection) as queries:
        assert site_for("localhost", 80).root_page.specific.pk == home.pk
    assert queries.captured_queries == []


def test_a_saved_site_is_followed_at_once(home):
    assert site_for("localhost", 80).site_name != "Полоса: деловые новости"
    site = Site.objects.get(is_default_site=True)
    site.site_name = "Полоса: деловые новости"
    site.save()
    assert site_for("localhost", 80).site_name == "Полоса: деловые новости"


def test_a_published_front_page_is_followed_at_once(home):
    assert site_for("localhost", 80).root_page.title == home.title
    home.title = "Полоса сегодня"
    home.save_revision().publish()
    assert site_for("localhost", 80).root_page.title == "Полоса сегодня"


def test_another_process_changing_the_site_is_followed(home):
    site_for("localhost", 80)
    # Another process saved the site: its commit moved the key's version, this process saw no signal.
    Site.objects.filter(is_default_site=True).update(site_name="Другая редакция")
    assert site_for("localhost", 80).site_name != "Другая редакция"
    invalidate(keys.SITE)
    assert site_for("localhost", 80).site_name == "Другая редакция"


def test_while_the_cache_cannot_be_asked_the_database_answers(home, monkeypatch):
    import polosa.caching

    site_for("localhost", 80)
    Site.objects.filter(is_default_site=True).update(site_name="Без кэша")
    monkeypatch.setattr(polosa.caching, "read_versions", lambda keys: None)
    assert site_for("localhost", 80).site_name == "Без кэша"


def test_an_unknown_host_on_a_tree_without_sites_finds_none(home):
    Site.objects.all().delete()
    assert site_for("nowhere.example", 80) is None


@override_settings(POLOSA_PAGE_CACHE_ENABLED=False)
def test_while_no_page_is_private_an_article_reads_no_view_restrictions(client, section, article_factory):
    from wagtail.models import PageViewRestriction

    article = article_factory(title="Совет директоров утвердил дивиденды")
    client.get(article.url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(article.url).status_code == 200
    assert not [q for q in queries.captured_queries if "pageviewrestriction" in q["sql"]]

    # A section made private takes effect at the next request, in every process (the key's version).
    PageViewRestriction.objects.create(page=section, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(article.url)
    assert response.status_code == 302
    assert "login" in response["Location"]
    PageViewRestriction.objects.all().delete()
    assert client.get(article.url).status_code == 200
