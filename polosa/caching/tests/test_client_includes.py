"""Client-side includes (POLOSA_EDGE_INCLUDES=client): every reader gets the page with a placeholder
for the news feed, which the browser fills from the feed's own address; so an edge keeps whole pages
that a publish does not purge, and assembles nothing itself."""

import re

import pytest
import time_machine
from django.test import override_settings
from django.utils import timezone

from polosa.caching.pages import CACHE_HEADER
from polosa.caching.tests.test_edge_includes import ESI, asgi_get, keys_of, whole

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("client_includes")]

PLACEHOLDER = re.compile(
    rb'<div class="polosa-include polosa-include--([a-z-]+)" data-polosa-include="([^"]+)">'
)


@pytest.fixture
def client_includes(settings):
    settings.POLOSA_EDGE_INCLUDES = "client"


@pytest.fixture
def world(home, section, article_factory):
    article = article_factory(title="Правительство обсудило бюджет")
    article_factory(title="Первая новость дня")
    return {"article": article, "url": article.url, "section": section.url, "home": home.url}


def filled_by_browser(client, content: bytes) -> bytes:
    """The page with each placeholder (holding no <div> of its own) replaced by its address's body:
    what a reader's browser shows once includes.js has run, but for the wrapper it keeps."""
    out, pos = [], 0
    for match in PLACEHOLDER.finditer(content):
        end = content.index(b"</div>", match.end()) + len(b"</div>")
        piece = client.get(match.group(2).decode().replace("&amp;", "&"))
        assert piece.status_code == 200
        out += [content[pos : match.start()], piece.content]
        pos = end
    out.append(content[pos:])
    return b"".join(out)


def test_every_reader_gets_a_placeholder_for_the_feed_and_the_script_that_fills_it(client, world):
    for response in (client.get(world["url"]), client.get(world["url"])):
        assert [m[0] for m in PLACEHOLDER.findall(response.content)] == [b"feed-column"]
        assert b'data-polosa-include="/_esi/feed-column/"' in response.content
        assert b"caching/includes.js" in response.content
        assert b"data-feed-column" not in response.content
        # Readers without scripts see where the feed lives.
        assert b'href="/news/"' in response.content
        # The bytes are final: browsers and the edge may validate them.
        assert response["ETag"]
        assert "Surrogate-Control" not in response
    # The same through the ASGI hit path, and for an ESI edge's request (nothing for it to assemble).
    status, _headers, body = asgi_get(world["url"])
    assert (status, body) == (200, client.get(world["url"]).content)
    assert client.get(world["url"], **ESI).content == body


def test_the_page_does_not_depend_on_the_feed_but_the_feeds_address_does(client, world):
    page = client.get(world["url"])
    assert f"page:{world['article'].pk}" in keys_of(page)
    assert "feed" not in keys_of(page)
    piece = client.get("/_esi/feed-column/")
    assert "feed" in keys_of(piece)
    assert piece["X-Robots-Tag"] == "noindex"


def test_filled_by_the_browser_the_page_is_the_page_rendered_whole(client, world):
    with time_machine.travel(timezone.now(), tick=False):
        for url in (world["url"], world["section"], world["home"]):
            assert filled_by_browser(client, client.get(url).content) == whole(client, url), url


def test_a_publish_leaves_the_page_stored_and_refreshes_the_feeds_address(client, world, article_factory):
    client.get(world["url"])
    assert client.get(world["url"])[CACHE_HEADER] == "hit"
    client.get("/_esi/feed-column/")
    article_factory(title="Только что пришло сообщение", live=False).save_revision().publish()
    assert client.get(world["url"])[CACHE_HEADER] == "hit"
    piece = client.get("/_esi/feed-column/")
    assert piece[CACHE_HEADER] == "miss"
    assert "Только что пришло сообщение" in piece.content.decode()


def test_a_page_hit_neither_reads_nor_renders_the_feed_it_leaves_to_the_browser(
    client, world, article_factory, monkeypatch
):
    from polosa.caching import includes

    client.get(world["url"])
    assert client.get(world["url"])[CACHE_HEADER] == "hit"
    article_factory(title="Только что пришло сообщение", live=False).save_revision().publish()
    rendered = []
    monkeypatch.setattr(includes, "hole_fragment", lambda hole: rendered.append(hole) or {})
    # The publish moved only the feed: the ASGI layer still answers, with no piece to check.
    answered = asgi_get(world["url"])
    assert answered is not None
    assert answered[0] == 200
    assert answered[1][CACHE_HEADER] == "hit"
    assert client.get(world["url"])[CACHE_HEADER] == "hit"
    assert rendered == []


def test_editors_get_the_feed_in_place(admin_client, world):
    response = admin_client.get(world["url"])
    assert b"data-feed-column" in response.content
    assert not PLACEHOLDER.search(response.content)


@override_settings(POLOSA_EDGE_INCLUDES="off")
def test_without_client_includes_there_is_neither_placeholder_nor_script(client, world):
    response = client.get(world["url"])
    assert not PLACEHOLDER.search(response.content)
    assert b"caching/includes.js" not in response.content
    assert b"data-feed-column" in response.content
