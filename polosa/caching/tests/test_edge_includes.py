"""Shells with holes: the same bytes whole, composed by the page cache, or assembled by an ESI edge."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import TestCase, override_settings
from django.utils import timezone
from django.utils.datastructures import CaseInsensitiveMapping

from polosa.caching import memory
from polosa.caching.asgi import PageCacheApp
from polosa.caching.pages import CACHE_HEADER
from polosa.caching.tests import aio

pytestmark = pytest.mark.django_db

ESI = {"HTTP_SURROGATE_CAPABILITY": 'varnish="ESI/1.0"'}
ESI_INCLUDE = re.compile(rb'<esi:include src="([^"]+)"/>')


@pytest.fixture
def world(home, section, story, article_factory):
    """Every shared piece on: a banner, a broadcast on air, a promo, rates; articles with a tag."""
    from polosa.live.tests.factories import LiveBroadcastFactory, on_air_window
    from polosa.news.tests.factories import PersonTagFactory
    from polosa.newsroom.tests.factories import BreakingBannerFactory
    from polosa.promos.tests.factories import EventPromoFactory
    from polosa.rates import importing
    from polosa.rates.providers.cbr import parse_daily
    from polosa.rates.tests.factories import fixture

    tag = PersonTagFactory(name="Анна Проверочная")
    first = article_factory(title="Первая новость дня", story=story, tags=[tag])
    article = article_factory(title="Правительство обсудило бюджет", story=story, tags=[tag])
    article.save_revision().publish()
    BreakingBannerFactory()
    on_air_window(LiveBroadcastFactory())
    EventPromoFactory()
    with TestCase.captureOnCommitCallbacks(execute=True):
        importing.store(parse_daily(fixture("daily_2026-01-27.xml")))
    return {
        "home": home.url,
        "article": article.url,
        "other_article": first.url,
        "section": section.url,
        "story": story.url,
        "tag": tag.get_absolute_url(),
        "news": "/news/",
        "rates": "/rates/",
        "article_page": article,
        "section_page": section,
        "tag_object": tag,
    }


def whole(client, url):
    """The page rendered with no page cache at all, as an editor or a preview gets it."""
    with override_settings(POLOSA_PAGE_CACHE_ENABLED=False):
        response = client.get(url)
    assert response.status_code == 200, url
    assert b"<!--polosa-include" not in response.content
    return response.content


def assembled_by_edge(client, url, with_includes=True):
    """What an ESI edge makes of the shell: each include replaced by the body of its address."""
    with override_settings(POLOSA_EDGE_INCLUDES="esi"):
        shell = client.get(url, **ESI)
        sources = ESI_INCLUDE.findall(shell.content)
        if not with_includes:  # a page without the feed column leaves nothing to the edge
            assert sources == []
            return shell.content
        assert shell["Surrogate-Control"] == 'content="ESI/1.0"'
        assert "ETag" not in shell
        assert sources, "the shell has no includes"

        def piece(match):
            response = client.get(match.group(1).decode().replace("&amp;", "&"), **ESI)
            assert response.status_code == 200
            return response.content

        return ESI_INCLUDE.sub(piece, shell.content)


def asgi_get(path, headers=(), method="GET"):
    """Ask the ASGI hit path; returns (status, headers, body), or None when it passed to Django."""
    scope = {
        "type": "http",
        "method": method,
        "path": path,
        "query_string": b"",
        "scheme": "http",
        "root_path": "",
        "headers": [(b"host", b"testserver"), *headers],
    }
    sent, passed = [], []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    async def django(scope, receive, send):
        passed.append(scope["path"])

    aio.run(PageCacheApp(django)(scope, receive, send))
    if passed:
        return None
    start, body = sent
    return (
        start["status"],
        CaseInsensitiveMapping({k.decode(): v.decode() for k, v in start["headers"]}),
        body["body"],
    )


PAGES = ["home", "article", "section", "story", "tag", "news", "rates"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_is_the_same_bytes_whole_composed_cached_and_assembled_by_an_esi_edge(client, world, page):
    # Times on the page read to the minute: keep every render inside one.
    with time_machine.travel(timezone.now(), tick=False):
        # /news/ is the feed itself: it has no feed column, the one piece left to the edge by default.
        check_the_same_bytes_everywhere(client, world[page], with_includes=page != "news")


def check_the_same_bytes_everywhere(client, url, with_includes=True):
    expected = whole(client, url)
    miss = client.get(url)
    assert miss[CACHE_HEADER] == "miss"
    assert miss.content == expected
    hit = client.get(url)
    assert hit[CACHE_HEADER] == "hit"
    assert hit.content == expected
    status, _headers, body = asgi_get(url)
    assert status == 200
    assert body == expected
    assert assembled_by_edge(client, url, with_includes) == expected


def test_the_article_shows_every_shared_piece(client, world):
    html = client.get(world["article"]).content.decode()
    for marker in ("data-feed-column", "rates-widget", "data-live-player", "Центробанк неожиданно"):
        assert marker in html, marker


def test_a_publish_refreshes_the_feed_column_without_rendering_the_article_again(
    client, world, article_factory
):
    client.get(world["article"])
    assert client.get(world["article"])[CACHE_HEADER] == "hit"
    fresh = article_factory(title="Только что пришло сообщение", live=False)
    fresh.save_revision().publish()
    response = client.get(world["article"])
    assert response[CACHE_HEADER] == "hit"
    assert "Только что пришло сообщение" in response.content.decode()
    _status, headers, body = asgi_get(world["article"])
    assert headers[CACHE_HEADER] == "hit"
    assert "Только что пришло сообщение" in body.decode()


def test_an_edit_of_the_article_renders_it_again(client, world):
    client.get(world["article"])
    article = world["article_page"]
    article.title = "Правительство утвердило бюджет"
    article.save_revision().publish()
    response = client.get(world["article"])
    assert response[CACHE_HEADER] == "miss"
    assert "Правительство утвердило бюджет" in response.content.decode()


def keys_of(response):
    return set(response["xkey"].split())


def test_each_page_type_names_its_dependency_keys_for_the_edge(client, world):
    article, section, tag = world["article_page"], world["section_page"], world["tag_object"]
    expected = {
        "article": {f"page:{article.pk}", "feed", "rates", "banner", "live-broadcasts"},
        "section": {f"section:{section.pk}", "feed", "banner"},
        "tag": {f"tag:{tag.pk}", f"tagged:{tag.pk}", "feed"},
        "news": {"articles"},  # the feed itself, without the feed column
        "home": {"home", "feed", "rates", "live-broadcasts", "promos"},
    }
    for page, keys in expected.items():
        for response in (client.get(world[page]), client.get(world[page])):
            assert keys <= keys_of(response), (page, keys - keys_of(response))


ALL_PIECES = ["feed-column", "rates-widget", "breaking-banner", "live-broadcast", "promos-aside", "most-read"]


@override_settings(POLOSA_EDGE_INCLUDES="esi")
def test_behind_an_esi_edge_the_shell_leaves_the_feed_to_the_edge_and_names_the_rest(client, world):
    article = world["article_page"]
    shell = client.get(world["article"], **ESI)
    assert ESI_INCLUDE.findall(shell.content) == [b"/_esi/feed-column/"]
    assert f"page:{article.pk}" in keys_of(shell)
    assert "feed" not in keys_of(shell)
    # The pieces filled in by the app are purged with the page.
    assert {"rates", "banner", "live-broadcasts"} <= keys_of(shell)


@override_settings(POLOSA_EDGE_INCLUDES="esi", POLOSA_EDGE_INCLUDE_PIECES=ALL_PIECES)
def test_every_piece_can_be_left_to_the_edge(client, world):
    article = world["article_page"]
    shell = client.get(world["article"], **ESI)
    assert len(ESI_INCLUDE.findall(shell.content)) == 6
    assert f"page:{article.pk}" in keys_of(shell)
    assert not {"feed", "rates", "banner", "live-broadcasts"} & keys_of(shell)
    with time_machine.travel(timezone.now(), tick=False):
        assert assembled_by_edge(client, world["article"]) == whole(client, world["article"])
    banner = client.get("/_esi/breaking-banner/", **ESI)
    assert "banner" in keys_of(banner)
    feed = client.get("/_esi/feed-column/", **ESI)
    assert "feed" in keys_of(feed)
    assert f"page:{article.pk}" not in keys_of(feed)
    assert "s-maxage" in feed["Cache-Control"]


def test_the_surrogate_capability_header_is_ignored_unless_an_esi_edge_is_configured(client, world):
    response = client.get(world["article"], **ESI)
    assert b"<esi:include" not in response.content
    assert "Surrogate-Control" not in response


@override_settings(POLOSA_SURROGATE_KEY_HEADER="Cache-Tag", POLOSA_SURROGATE_KEY_PREFIX="news1-")
def test_the_key_header_follows_the_edge_cloudflare_takes_commas(client, world):
    response = client.get(world["article"])
    assert "xkey" not in response
    tags = response["Cache-Tag"].split(",")
    assert f"news1-page:{world['article_page'].pk}" in tags


def test_piece_addresses_refuse_unknown_pieces_and_parameters(client, world):
    assert client.get("/_esi/no-such-piece/").status_code == 404
    assert client.get("/_esi/feed-column/?x=1").status_code == 404
    assert client.get("/_esi/live-broadcast/?placement=<script>").status_code == 404
    assert client.get("/_esi/live-broadcast/?placement=article").status_code == 200
    assert client.post("/_esi/feed-column/").status_code == 405


def test_a_marker_typed_by_an_editor_is_text_not_a_hole(client, article_factory):
    article = article_factory(title="<!--polosa-include:feed-column?-->")
    html = client.get(article.url).content
    assert b"&lt;!--polosa-include" in html


SECURITY_HEADERS = (
    "X-Frame-Options",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
)


def test_hits_keep_every_security_header_of_the_render(client, world):
    miss = client.get(world["article"])
    hit = client.get(world["article"])
    _status, asgi_headers, _body = asgi_get(world["article"])
    for name in (*SECURITY_HEADERS, "Content-Security-Policy"):
        assert name in miss, name
        assert hit[name] == miss[name], name
        assert asgi_headers[name] == miss[name], name


def test_the_asgi_hit_path_answers_with_the_middlewares_bytes_and_headers(client, world):
    assert asgi_get(world["article"]) is None  # nothing stored yet: Django renders
    client.get(world["article"])
    hit = client.get(world["article"])
    status, headers, body = asgi_get(world["article"])
    assert status == 200
    assert body == hit.content
    for name in ("Content-Type", "ETag", "Last-Modified", "Cache-Control", "xkey", CACHE_HEADER):
        assert headers[name] == hit[name], name
    assert headers["Content-Length"] == str(len(body))


def test_the_asgi_hit_path_answers_conditional_and_head_requests(client, world):
    etag = client.get(world["article"])["ETag"]
    status, headers, body = asgi_get(world["article"], [(b"if-none-match", etag.encode())])
    assert (status, body) == (304, b"")
    assert headers["ETag"] == etag
    status, headers, body = asgi_get(world["article"], method="HEAD")
    assert status == 200
    assert body == b""
    assert int(headers["Content-Length"]) > 1000


def test_the_asgi_hit_path_leaves_editors_posts_and_strangers_to_django(client, world):
    client.get(world["article"])
    assert asgi_get(world["article"], [(b"cookie", b"sessionid=abc")]) is None
    assert asgi_get(world["article"], [(b"authorization", b"Basic eDp5")]) is None
    assert asgi_get(world["article"], method="POST") is None
    assert asgi_get("/admin/") is None


def test_the_asgi_hit_path_passes_a_page_whose_piece_changed_to_django(client, world, article_factory):
    client.get(world["article"])
    article_factory(title="Новая новость", live=False).save_revision().publish()
    memory.reset()  # another process: only the shared cache knows the page
    assert asgi_get(world["article"]) is None
    # Django filled the hole, and the page was not rendered again.
    assert client.get(world["article"])[CACHE_HEADER] == "hit"
    assert asgi_get(world["article"])[1][CACHE_HEADER] == "hit"


def test_an_entry_stored_by_another_process_is_found_through_the_shared_cache(client, world):
    client.get(world["article"])
    memory.reset()
    status, headers, _body = asgi_get(world["article"])
    assert (status, headers[CACHE_HEADER]) == (200, "hit")


def test_the_banner_expiry_still_cuts_the_composed_page(client, world):
    from polosa.newsroom.models import BreakingBanner

    BreakingBanner.objects.update(expires_at=timezone.now() + timedelta(seconds=40))
    from polosa.caching import invalidate

    invalidate("banner")
    response = client.get(world["section"])
    max_age = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    assert max_age <= 40


def test_a_page_read_once_does_not_take_a_place_in_process_memory(client, world):
    from django.test import RequestFactory

    from polosa.caching.middleware import entry_key

    key = entry_key(RequestFactory().get(world["section"] + "?nocache=8731"))
    client.get(world["section"] + "?nocache=8731")
    assert memory.tier().get(key) is None
    client.get(world["section"] + "?nocache=8731")
    assert memory.tier().get(key) is not None


def test_a_piece_declared_through_the_hook_has_an_address_until_it_is_removed(client, home):
    from wagtail import hooks

    from polosa.caching import includes

    def weather():
        return [includes.Include("weather", lambda params: "<p>Ясно, +3</p>")]

    with hooks.register_temporarily(includes.HOOK, weather):
        assert includes.get("weather") is not None
        response = client.get("/_esi/weather/")
        assert response.status_code == 200
        assert response.content.decode() == "<p>Ясно, +3</p>"
        assert includes.get("feed-column") is not None  # the apps' own pieces stay declared
    assert includes.get("weather") is None
    assert client.get("/_esi/weather/").status_code == 404


def test_a_piece_name_must_fit_its_address():
    from polosa.caching import includes

    with pytest.raises(ValueError, match="lowercase letters"):
        includes.Include("Погода", lambda params: "")
