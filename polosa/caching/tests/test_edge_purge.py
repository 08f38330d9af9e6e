"""Purge by key: a change purges exactly its keys at the edge, and an edge that fails never fails it."""

import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings

from polosa.caching import conf, edge, invalidate

pytestmark = pytest.mark.django_db


class FakeVarnish:
    """Answers ``PURGE /`` with ``xkey-purge`` as docs/deploy/varnish.vcl does, recording the keys."""

    def __init__(self, status: int = 200):
        self.purged: list[set[str]] = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            def do_PURGE(self):
                recorder.purged.append(set(self.headers.get("xkey-purge", "").split()))
                self.send_response(status)
                self.send_header("X-Purged", "1")
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def all_keys(self) -> set[str]:
        return set().union(*self.purged) if self.purged else set()


def varnish_settings(url: str):
    return override_settings(
        POLOSA_KEY_PURGE={"BACKEND": "polosa.caching.edge.VarnishPurger", "LOCATIONS": [url]}
    )


@pytest.fixture
def varnish():
    with FakeVarnish() as fake, varnish_settings(fake.url):
        yield fake


def test_publishing_purges_the_article_its_listings_and_the_feed(
    varnish, article_factory, section, django_capture_on_commit_callbacks
):
    article = article_factory(live=False)
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert {f"page:{article.pk}", f"section:{section.pk}", "feed", "articles"} <= varnish.all_keys()


def test_an_edit_purges_the_article(varnish, article_factory, django_capture_on_commit_callbacks):
    article = article_factory()
    article.title = "Заголовок поправили"
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert f"page:{article.pk}" in varnish.all_keys()


def test_unpublishing_purges_the_article_and_the_feed(
    varnish, article_factory, django_capture_on_commit_callbacks
):
    article = article_factory()
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert {f"page:{article.pk}", "feed"} <= varnish.all_keys()


def test_moving_purges_the_article_and_both_sections(
    varnish, home, section, article_factory, django_capture_on_commit_callbacks
):
    from polosa.news.tests.factories import SectionPageFactory

    other = SectionPageFactory(parent=home, title="Бизнес", slug="business")
    article = article_factory()
    article.save_revision().publish()
    varnish.purged.clear()
    with django_capture_on_commit_callbacks(execute=True):
        article.move(other, pos="last-child")
    assert {f"page:{article.pk}", f"section:{section.pk}", f"section:{other.pk}"} <= varnish.all_keys()


def test_deleting_purges_the_article_and_the_feed(
    varnish, article_factory, django_capture_on_commit_callbacks
):
    article = article_factory()
    pk = article.pk
    with django_capture_on_commit_callbacks(execute=True):
        article.delete()
    assert {f"page:{pk}", "feed"} <= varnish.all_keys()


@override_settings(POLOSA_SURROGATE_KEY_PREFIX="site2-")
def test_purged_keys_carry_the_same_prefix_as_the_header(varnish):
    invalidate("rates")
    assert varnish.purged == [{"site2-rates"}]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_an_edge_that_is_down_is_logged_and_the_publish_goes_through(
    article_factory, caplog, django_capture_on_commit_callbacks
):
    article = article_factory(live=False)
    with (
        varnish_settings(f"http://127.0.0.1:{closed_port()}"),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        article.save_revision().publish()
    article.refresh_from_db()
    assert article.live
    assert any("edge purge" in r.getMessage() for r in caplog.records)


def test_an_edge_that_refuses_the_purge_is_logged_and_the_publish_goes_through(
    article_factory, caplog, django_capture_on_commit_callbacks
):
    article = article_factory(live=False)
    with (
        FakeVarnish(status=403) as refusing,
        varnish_settings(refusing.url),
        caplog.at_level(logging.ERROR),
        django_capture_on_commit_callbacks(execute=True),
    ):
        article.save_revision().publish()
    article.refresh_from_db()
    assert article.live
    assert any("HTTP 403" in r.getMessage() for r in caplog.records)


def test_each_edge_is_configured_from_its_variables():
    env = {
        "CDN_PURGE_LOCATION": "http://127.0.0.1:6081, http://10.0.0.2:6081",
        "FASTLY_SERVICE_ID": "svc",
        "FASTLY_API_TOKEN": "tok",
        "CLOUDFLARE_ZONE_ID": "zone",
        "CLOUDFLARE_BEARER_TOKEN": "bearer",
    }
    get = lambda name: env.get(name, "")  # noqa: E731
    assert conf.key_purge_backend("varnish", get) == {
        "BACKEND": "polosa.caching.edge.VarnishPurger",
        "LOCATIONS": ["http://127.0.0.1:6081", "http://10.0.0.2:6081"],
    }
    assert conf.key_purge_backend("fastly", get)["BACKEND"] == "polosa.caching.edge.FastlyPurger"
    assert conf.key_purge_backend("cloudflare", get)["ZONE_ID"] == "zone"
    assert conf.key_purge_backend("http", get) == {}
    # Varnish and Fastly purge by key only; Cloudflare also by URL through Wagtail.
    assert conf.frontend_cache_backends("varnish", get) == {}
    assert conf.frontend_cache_backends("cloudflare", get)["default"]["ZONEID"] == "zone"
    with pytest.raises(conf.MissingSetting, match="FASTLY_API_TOKEN"):
        conf.key_purge_backend("fastly", lambda name: "svc" if name == "FASTLY_SERVICE_ID" else "")


def test_cdn_apis_are_called_in_batches_they_accept(monkeypatch):
    calls = []

    class Answer:
        status_code = 200
        text = ""

        def json(self):
            return {"success": True}

    monkeypatch.setattr("requests.post", lambda url, **kw: calls.append((url, kw)) or Answer())
    keys = [f"page:{i}" for i in range(65)]
    assert edge.purge_now(keys, edge.CloudflarePurger(ZONE_ID="z", BEARER_TOKEN="t"))
    assert [len(kw["json"]["tags"]) for _, kw in calls] == [30, 30, 5]
    calls.clear()
    assert edge.purge_now(keys, edge.FastlyPurger(SERVICE_ID="s", API_TOKEN="t"))
    assert calls[0][0].endswith("/service/s/purge")
    assert len(calls[0][1]["headers"]["Surrogate-Key"].split()) == 65


def test_a_page_rendered_across_a_change_is_not_kept_at_the_edge(client, article_factory, monkeypatch):
    from polosa.caching.pages import CACHE_HEADER
    from polosa.news.models import ArticlePage

    article = article_factory(title="Заголовок до правки")
    original = ArticlePage.get_context

    def edited_meanwhile(self, request, *args, **kwargs):
        context = original(self, request, *args, **kwargs)
        invalidate(f"page:{article.pk}")  # the edit commits (and its purge passes) while this renders
        return context

    monkeypatch.setattr(ArticlePage, "get_context", edited_meanwhile)
    response = client.get(article.url)
    assert "s-maxage=0" in response["Cache-Control"]
    assert CACHE_HEADER not in response
    monkeypatch.setattr(ArticlePage, "get_context", original)
    assert client.get(article.url)[CACHE_HEADER] == "miss"


def test_the_edge_probe_address_answers_without_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.head("/_util/health/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
