"""Under ASGI, requests Django answers go to its WSGI handler in threads, coroutine views (event
streams) to its ASGI handler (polosa/asgi.py, polosa.core.serving)."""

import asyncio

import pytest

from polosa.caching.tests import aio
from polosa.core.serving import ByViewKind, is_async_view


def asgi_request(app, path, method="GET", body=b"", coroutine_receive=True):
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(b"host", b"testserver")],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    sent = []

    message = {"type": "http.request", "body": body, "more_body": False}

    async def receive():
        return message

    def awaitable_receive():
        # As granian's: an awaitable that is not a coroutine.
        future = asyncio.get_running_loop().create_future()
        future.set_result(message)
        return future

    async def send(message):
        sent.append(message)

    aio.run(app(scope, receive if coroutine_receive else awaitable_receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict(start["headers"]), body


def test_only_coroutine_views_are_async():
    assert is_async_view("/_util/live/12/events/")
    assert not is_async_view("/_util/live/12/updates/")
    assert not is_async_view("/economics/some-article/")
    assert not is_async_view("/rates/")
    assert not is_async_view("/admin/")


def test_each_kind_of_view_reaches_its_handler():
    reached = []

    async def asgi(scope, receive, send):
        reached.append(("asgi", scope["path"]))
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"asgi"})

    def wsgi(environ, start_response):
        reached.append(("wsgi", environ["PATH_INFO"]))
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"wsgi"]

    app = ByViewKind(asgi=asgi, wsgi=wsgi)
    assert asgi_request(app, "/_util/live/3/events/")[2] == b"asgi"
    assert asgi_request(app, "/economics/some-article/")[2] == b"wsgi"
    assert reached == [("asgi", "/_util/live/3/events/"), ("wsgi", "/economics/some-article/")]


def test_a_request_body_reaches_the_wsgi_handler_from_a_servers_own_awaitable():
    def wsgi(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [environ["wsgi.input"].read()]

    app = ByViewKind(asgi=None, wsgi=wsgi)
    status, _headers, body = asgi_request(
        app, "/admin/login/", method="POST", body=b"username=editor", coroutine_receive=False
    )
    assert (status, body) == (200, b"username=editor")


@pytest.mark.django_db(transaction=True)
def test_the_served_application_renders_a_page_in_a_thread_of_its_pool(home, article_factory, settings):
    from polosa.asgi import application

    settings.POLOSA_PAGE_CACHE_ENABLED = False
    article = article_factory(title="Совет директоров утвердил дивиденды")
    status, headers, body = asgi_request(application, article.url)
    assert status == 200
    assert "Совет директоров утвердил дивиденды" in body.decode()
    assert headers[b"content-type"].startswith(b"text/html")
    status, _headers, _body = asgi_request(application, "/no-such-page/")
    assert status == 404
