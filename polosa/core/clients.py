"""Who is asking: the client's address as far as the proxies in front of the site can vouch for it.

Used wherever a client must be told apart (the read and promo rate limits); the address is only ever
hashed, never stored. A client can write any ``X-Forwarded-For`` it likes, and each proxy appends the
address it received the request from, so only the entries the site's own proxies wrote are trusted:

- ``POLOSA_CLIENT_IP_HEADER`` set (e.g. ``HTTP_X_REAL_IP``): a single-value header that the proxy
  always overwrites. Should it hold a list, the last entry (the nearest proxy's) is taken.
- otherwise ``POLOSA_TRUSTED_PROXIES`` = n > 0: the entry n places from the right of
  ``X-Forwarded-For``, the one the outermost trusted proxy appended. With fewer entries the request
  did not pass every proxy and ``REMOTE_ADDR`` is used.
- n = 0 (the default, no proxy): ``REMOTE_ADDR``; the header is ignored.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def _entries(value: str) -> list[str]:
    return [entry.strip() for entry in value.split(",") if entry.strip()]


def client_address(request: HttpRequest) -> str:
    """The client's address, from the headers only as far as the configured proxies wrote them."""
    remote = request.META.get("REMOTE_ADDR", "")
    header = getattr(settings, "POLOSA_CLIENT_IP_HEADER", "")
    if header:
        entries = _entries(request.META.get(header, ""))
        return entries[-1] if entries else remote
    trusted = getattr(settings, "POLOSA_TRUSTED_PROXIES", 0)
    if trusted > 0:
        entries = _entries(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        if len(entries) >= trusted:
            return entries[-trusted]
    return remote
