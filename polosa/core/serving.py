"""Which of Django's two handlers answers a request that reached Django (see polosa/asgi.py)."""

from __future__ import annotations

import functools

from a2wsgi import WSGIMiddleware
from asgiref.sync import iscoroutinefunction
from django.conf import settings
from django.urls import Resolver404, resolve


@functools.lru_cache(maxsize=4096)
def _async_view(path: str) -> bool:
    try:
        match = resolve(path)
    except Resolver404:
        return False
    return iscoroutinefunction(match.func)


def is_async_view(path: str) -> bool:
    """Whether `path` is served by a view written as a coroutine (an event stream)."""
    # Wagtail's catch-all serves every page address, so only a few distinct answers exist per
    # route; the cache is bounded, and an unknown address costs one resolve.
    return _async_view(path)


class ByViewKind:
    """ASGI app: coroutine views to Django's ASGI handler, the rest to its WSGI handler in threads."""

    def __init__(self, *, asgi, wsgi) -> None:
        self.asgi = asgi
        self.wsgi = WSGIMiddleware(wsgi, workers=settings.POLOSA_RENDER_THREADS)

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http" or is_async_view(scope["path"]):
            await self.asgi(scope, receive, send)
        else:
            await self.wsgi(scope, receive, send)
