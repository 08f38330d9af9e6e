"""Stored pages: what an entry holds, how it is found valid, and the bytes and headers it is sent as.

Shared by the page-cache middleware (misses, and hits under WSGI) and the ASGI hit path
(`polosa.caching.asgi`), so both answer a hit with the same bytes and headers.

An entry is a page *shell* cut at its holes (`polosa.caching.includes`), the versions of the keys the
shell recorded, its headers and when it was rendered. A hit needs the entry, the fragment of each hole
and the current versions of every key involved; `lookup_steps` says which reads it needs, in order,
and is driven by a synchronous or an asynchronous reader, so the logic exists once.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from . import includes, memory
from .includes import Hole

ENTRY_PREFIX = "pagecache:"
CACHE_HEADER = "X-Polosa-Cache"
ENTRY_FORMAT = 2
# Query parameters that only track where a reader came from; they never change the page.
TRACKING_PARAMS = ("utm_", "yclid", "gclid", "fbclid", "_openstat", "from")
NEVER_CACHED_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/_util/", "/static/", "/media/")
# Per-request or per-hop headers are not stored with a page; every other header is (the security
# headers included, so a hit carries exactly what the render sent).
UNSTORED_HEADERS = {
    "set-cookie",
    "date",
    "content-length",
    "connection",
    "transfer-encoding",
    "server",
    "cache-control",
    "etag",
    "last-modified",
    "surrogate-control",
    CACHE_HEADER.lower(),
}
# What a 304 keeps of the full response (RFC 9110 15.4.5, as Django's own conditional responses).
NOT_MODIFIED_HEADERS = {
    "cache-control",
    "content-location",
    "date",
    "etag",
    "expires",
    "last-modified",
    "vary",
}


def entry_key(scheme: str, host: str, path: str, query_string: str, lang: str) -> str:
    params = sorted(
        (k, v)
        for k, v in parse_qsl(query_string, keep_blank_values=True)
        if not k.startswith(TRACKING_PARAMS)
    )
    raw = f"{scheme}://{host}{path}?{urlencode(params)}|{lang}"
    return ENTRY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def cookie_names() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, "messages")


# --- Building an entry ----------------------------------------------------------------------------


def build_entry(
    status: int,
    content: bytes,
    headers: Iterable[tuple[str, str]],
    versions: dict[str, str],
    seconds: int,
    own_cache_control: str | None,
    now: float,
) -> dict:
    parts = includes.split_shell(content)
    return {
        "format": ENTRY_FORMAT,
        "status": status,
        "parts": parts,
        "headers": [(k, v) for k, v in headers if k.lower() not in UNSTORED_HEADERS],
        "own_cache_control": own_cache_control,
        "versions": versions,
        "last_modified": int(now),
        "expires_at": now + seconds,
        "size": len(content),
    }


def is_page_entry(entry) -> bool:
    return isinstance(entry, dict) and entry.get("format") == ENTRY_FORMAT


def entry_size(entry: dict) -> int:
    return entry.get("size") or len(entry.get("html", "")) * 2 + 256


# --- Finding an entry valid -----------------------------------------------------------------------


@dataclass
class Found:
    """What a lookup found: the entry, its holes' fragments, and whether all of it is current."""

    entry: dict | None
    fragments: dict[str, dict | None] = field(default_factory=dict)
    fresh: bool = False
    # The shell is current; only some fragments are stale (render just those).
    shell_fresh: bool = False
    # The shared cache could not be asked: nothing could be checked.
    unchecked: bool = False

    def hole_fragment(self, hole: Hole) -> dict | None:
        key = includes.fragment_key(hole)
        return self.fragments.get(key) if key else None


def _matches(recorded: dict[str, str], current: dict[str, str]) -> bool:
    return bool(recorded) and all(current.get(k) == v for k, v in recorded.items())


def _fragment_current(fragment: dict | None, current: dict[str, str], now: float) -> bool:
    if fragment is None:
        return False
    expires = fragment.get("expires_at")
    if expires is not None and expires.timestamp() <= now:
        return False
    return _matches(fragment["versions"], current)


Step = tuple[str, list[str]]


def lookup_steps(key: str, now: float) -> Generator[Step, dict | None, Found]:
    """Yields ("get", cache keys) and ("versions", dependency keys) reads; receives their results
    (a dict, or None from "versions" when the shared cache is down); returns what was found."""
    tier = memory.tier()
    entry = tier.get(key)
    if entry is None:
        entry = (yield ("get", [key])).get(key)
        if is_page_entry(entry):
            tier.put(key, entry, entry_size(entry))
    if not is_page_entry(entry):
        return Found(entry)
    fragment_keys = sorted({k for h in includes.holes(entry["parts"]) if (k := includes.fragment_key(h))})
    fragments = {k: tier.get(k) for k in fragment_keys}
    missing = [k for k, v in fragments.items() if v is None]
    if missing:
        got = yield ("get", missing)
        for k in missing:
            if got.get(k) is not None:
                fragments[k] = got[k]
                tier.put(k, got[k], entry_size(got[k]))
    for attempt in range(2):
        wanted = set(entry["versions"])
        for fragment in fragments.values():
            if fragment is not None:
                wanted.update(fragment["versions"])
        current = yield ("versions", sorted(wanted))
        if current is None:
            return Found(entry, fragments, unchecked=True)
        shell_fresh = _matches(entry["versions"], current)
        stale = [k for k, f in fragments.items() if not _fragment_current(f, current, now)]
        if shell_fresh and not stale:
            return Found(entry, fragments, fresh=True, shell_fresh=True)
        if attempt:
            return Found(entry, fragments, shell_fresh=shell_fresh)
        # The local copies may be older than the shared ones another process stored: look again.
        again = ([] if shell_fresh else [key]) + stale
        got = yield ("get", again)
        changed = False
        if not shell_fresh and is_page_entry(got.get(key)) and got[key] is not entry:
            entry = got[key]
            tier.put(key, entry, entry_size(entry))
            changed = True
        for k in stale:
            if got.get(k) is not None:
                fragments[k] = got[k]
                tier.put(k, got[k], entry_size(got[k]))
                changed = True
        if not changed:
            return Found(entry, fragments, shell_fresh=shell_fresh)
    raise AssertionError("unreachable")


# --- Sending an entry -----------------------------------------------------------------------------


def cache_control(seconds: int) -> str:
    """Browsers revalidate (cheap: a 304 from the page cache); a CDN keeps the page `s-maxage`
    seconds, serves it stale while it refetches, and keeps serving it when the origin fails."""
    seconds = max(0, seconds)
    browser = min(settings.POLOSA_HTTP_MAX_AGE, seconds)
    cdn = min(settings.POLOSA_CDN_MAX_AGE, seconds)
    return (
        f"public, max-age={browser}, s-maxage={cdn}, "
        f"stale-while-revalidate={settings.POLOSA_STALE_WHILE_REVALIDATE}, "
        f"stale-if-error={settings.POLOSA_STALE_IF_ERROR}"
    )


def content_etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def surrogate_keys_header(keys: Iterable[str]) -> tuple[str, str] | None:
    """The edge's dependency-key header (``xkey``, ``Surrogate-Key`` or ``Cache-Tag``), or None."""
    name = settings.POLOSA_SURROGATE_KEY_HEADER
    if not name:
        return None
    prefix = settings.POLOSA_SURROGATE_KEY_PREFIX
    separator = "," if name.lower() == "cache-tag" else " "
    return name, separator.join(prefix + k for k in sorted(set(keys)))


@dataclass
class Delivery:
    body: bytes
    headers: list[tuple[str, str]]
    etag: str | None
    last_modified: int | None


def deliver(
    entry: dict, pieces: dict[Hole, bytes] | None, fragments: Iterable[dict], esi: bool, now: float
) -> Delivery:
    """The bytes and headers of a stored page: its holes as ``<esi:include>`` for an ESI edge, else
    filled with `pieces` (the HTML of each hole; `fragments` are their entries, for keys and expiry)."""
    fragments = [f for f in fragments if f is not None]
    keys = set(entry["versions"])
    expires = entry["expires_at"]
    last_modified = entry["last_modified"]
    if esi:
        body = includes.esi_body(entry["parts"])
    else:
        body = includes.fill(entry["parts"], pieces or {})
        for fragment in fragments:
            keys.update(fragment["versions"])
            if fragment.get("expires_at") is not None:
                expires = min(expires, fragment["expires_at"].timestamp())
            last_modified = max(last_modified, fragment.get("rendered_at", 0))
    headers = list(entry["headers"])
    headers.append(("Cache-Control", entry["own_cache_control"] or cache_control(int(expires - now))))
    keys_header = surrogate_keys_header(keys)
    if keys_header is not None:
        headers.append(keys_header)
    etag = None
    if esi:
        # The edge assembles the page; its bytes are not these, so no validator for them.
        headers.append(("Surrogate-Control", 'content="ESI/1.0"'))
        last_modified = None
    else:
        etag = content_etag(body)
        headers.append(("ETag", etag))
        headers.append(("Last-Modified", http_date(last_modified)))
    return Delivery(body, headers, etag, last_modified)


def conditional_status(
    method: str, if_none_match: str | None, if_modified_since: str | None, delivery: Delivery
) -> int:
    """304 when the reader's copy is current (RFC 9110: If-None-Match wins over If-Modified-Since)."""
    if method not in ("GET", "HEAD"):
        return 200
    if if_none_match and delivery.etag:
        tags = parse_etags(if_none_match)
        if "*" in tags or _weak(delivery.etag) in {_weak(t) for t in tags}:
            return 304
        return 200
    if if_modified_since and delivery.last_modified is not None and not if_none_match:
        since = parse_http_date_safe(if_modified_since)
        if since is not None and delivery.last_modified <= since:
            return 304
    return 200


def _weak(tag: str) -> str:
    return tag[2:] if tag.startswith("W/") else tag


def response_parts(
    method: str, status: int, delivery: Delivery, cache_state: str
) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body to send, HEAD and 304 included."""
    headers = list(delivery.headers)
    if status == 304:
        headers = [(k, v) for k, v in headers if k.lower() in NOT_MODIFIED_HEADERS]
        body = b""
    else:
        body = b"" if method == "HEAD" else delivery.body
        headers.append(("Content-Length", str(len(delivery.body))))
    headers.append((CACHE_HEADER, cache_state))
    return status, headers, body


def now() -> float:
    return time.time()
