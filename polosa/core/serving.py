"""Which of Django's two handlers answers a request that reached Django (see polosa/asgi.py)."""

from __future__ import annotations

from a2wsgi import WSGIMiddleware
from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.urls import Resolver404, resolve


def is_async_view(path: str) -> bool:
    """Whether `path` is served by a view written as a coroutine (an event stream). One resolve, a
    few microseconds beside the render that follows."""
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return iscoroutinefunction(match.func)


class ByViewKind:
    """ASGI app: coroutine views to Django's ASGI handler, the rest to its WSGI handler in threads."""

    def __init__(self, *, asgi, wsgi) -> None:
        self.asgi = asgi
        self.wsgi = WSGIMiddleware(wsgi, workers=settings.POLOSA_RENDER_THREADS)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or is_async_view(scope["path"]):
            await self.asgi(scope, receive, send)
            return

        # a2wsgi hands `receive()` to the event loop from its thread as a coroutine; granian's
        # receive returns an awaitable of its own (not a coroutine), and every request body (a login,
        # a save) failed with "A coroutine object is required".
        async def body_part():
            return await receive()

        await self.wsgi(scope, body_part, send)
