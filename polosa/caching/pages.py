"""Stored pages: what an entry holds, how it is found valid, and the bytes and headers it is sent as.

Shared by the page-cache middleware (misses, and hits under WSGI) and the ASGI hit path
(`polosa.caching.asgi`), so both answer a hit with the same bytes and headers.

An entry is a page *shell* cut at its holes (`polosa.caching.includes`), the versions of the keys the
shell recorded, its headers and when it was rendered. A hit needs the entry, the fragment of each hole
and the current versions of every key involved; `lookup_steps` says which reads it needs, in order,
and is driven by a synchronous or an asynchronous reader, so the logic exists once.
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.http import http_date, parse_etags, parse_http_date_safe

from . import includes, memory
from .dependencies import CLOCK
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
    """What an entry costs in memory: a page is held as its parts and once more assembled."""
    if entry.get("size"):
        return entry["size"] * 3 + 1024
    return len(entry.get("html", "")) * 2 + 256


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
    # Holes the edge or the reader's browser fills (`edge_pieces`): not looked up, not needed here.
    skipped: frozenset[str] = frozenset()

    def hole_fragment(self, hole: Hole) -> dict | None:
        key = dict(_hole_keys(self.entry)).get(hole)
        return self.fragments.get(key) if key else None

    def pieces(self) -> list[tuple[Hole, dict | None]]:
        """Each hole of the entry with its fragment as found (None where none was), the skipped
        ones left out."""
        return [
            (h, self.fragments.get(k) if k else None)
            for h, k in _hole_keys(self.entry)
            if h.name not in self.skipped
        ]


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


def _hole_keys(entry: dict) -> list[tuple[Hole, str | None]]:
    """Each hole with its fragment's cache key, worked out once a day per entry in this process."""
    day = includes.today()
    memo = entry.get("_hole_keys")
    if memo is None or memo[0] != day:
        memo = entry["_hole_keys"] = (
            day,
            [(h, includes.fragment_key(h)) for h in includes.holes(entry["parts"])],
        )
    return memo[1]


def _live(entry: dict, now: float) -> bool:
    return entry.get("expires_at", 0) > now


def lookup_steps(
    key: str, now: float, skip: frozenset[str] = frozenset()
) -> Generator[Step, dict | None, Found]:
    """Yields ("get", cache keys), ("versions", dependency keys) and ("clock", []) reads; receives their
    results (a dict; from "versions" None, from "clock" False, when the shared cache is down);
    returns what was found. The holes named in `skip` are left to the edge: their fragments are
    neither read nor checked, so a publish that changes only them does not touch this page."""
    tier = memory.tier()
    entry = tier.get(key)
    if entry is not None and not _live(entry, now):
        tier.drop(key)
        entry = None
    if entry is None:
        entry = (yield ("get", [key])).get(key)
        if is_page_entry(entry):
            tier.put(key, entry, entry_size(entry))
    if not is_page_entry(entry):
        return Found(entry)
    hole_keys = _hole_keys(entry)
    fragment_keys = sorted({k for h, k in hole_keys if k and h.name not in skip})
    fragments = {k: tier.get(k) for k in fragment_keys}
    checked = entry.get("_checked")
    if checked is not None and all(fragments.values()):
        expiry_ok = all(
            f["expires_at"] is None or f["expires_at"].timestamp() > now for f in fragments.values()
        )
        same = len(checked[1]) == len(fragment_keys) and all(
            a is fragments[k] for a, k in zip(checked[1], fragment_keys, strict=True)
        )
        if expiry_ok and same:
            clock = yield ("clock", [])
            if clock is False:
                return Found(entry, fragments, unchecked=True, skipped=skip)
            # An absent clock (never advanced) counts as a value: its creation moves it.
            if clock == checked[0]:
                return Found(entry, fragments, fresh=True, shell_fresh=True, skipped=skip)
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
            return Found(entry, fragments, unchecked=True, skipped=skip)
        shell_fresh = _matches(entry["versions"], current)
        stale = [k for k, f in fragments.items() if not _fragment_current(f, current, now)]
        if shell_fresh and not stale:
            entry["_checked"] = (current.get(CLOCK), tuple(fragments[k] for k in fragment_keys))
            return Found(entry, fragments, fresh=True, shell_fresh=True, skipped=skip)
        if attempt:
            return Found(entry, fragments, shell_fresh=shell_fresh, skipped=skip)
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
            return Found(entry, fragments, shell_fresh=shell_fresh, skipped=skip)
    raise AssertionError("unreachable")


# --- Sending an entry -----------------------------------------------------------------------------


@functools.cache
def _conf() -> tuple:
    """The settings a hit reads, looked up once (Django's lazy settings cost a few µs per access)."""
    return (
        settings.POLOSA_HTTP_MAX_AGE,
        settings.POLOSA_CDN_MAX_AGE,
        settings.POLOSA_STALE_WHILE_REVALIDATE,
        settings.POLOSA_STALE_IF_ERROR,
        settings.POLOSA_SURROGATE_KEY_HEADER,
        settings.POLOSA_SURROGATE_KEY_PREFIX,
    )


@receiver(setting_changed)
def _settings_changed(**kwargs) -> None:
    _conf.cache_clear()
    _edge_pieces.cache_clear()


def cache_control(seconds: int) -> str:
    """Browsers revalidate (cheap: a 304 from the page cache); a CDN keeps the page `s-maxage`
    seconds, serves it stale while it refetches, and keeps serving it when the origin fails."""
    http_max_age, cdn_max_age, swr, sie = _conf()[:4]
    seconds = max(0, seconds)
    return (
        f"public, max-age={min(http_max_age, seconds)}, s-maxage={min(cdn_max_age, seconds)}, "
        f"stale-while-revalidate={swr}, stale-if-error={sie}"
    )


def content_etag(content: bytes) -> str:
    return '"' + hashlib.blake2b(content, digest_size=12).hexdigest() + '"'


def surrogate_keys_header(keys: Iterable[str]) -> tuple[str, str] | None:
    """The edge's dependency-key header (``xkey``, ``Surrogate-Key`` or ``Cache-Tag``), or None."""
    name, prefix = _conf()[4:6]
    if not name:
        return None
    separator = "," if name.lower() == "cache-tag" else " "
    return name, separator.join(prefix + k for k in sorted(set(keys)))


@dataclass
class Delivery:
    body: bytes
    headers: list[tuple[str, str]]
    etag: str | None
    last_modified: int | None


ESI = "esi"
CLIENT = "client"


def include_mode(esi_capable: bool) -> str | None:
    """How the pieces in ``POLOSA_EDGE_INCLUDE_PIECES`` leave this server: ``"esi"`` tags for an ESI
    edge that asked (`esi_capable`), ``"client"`` placeholders the reader's browser fills (for
    every reader: the edge then keeps whole pages, with no include of its own to assemble), or None
    (filled in here)."""
    configured = settings.POLOSA_EDGE_INCLUDES
    if configured == CLIENT:
        return CLIENT
    if configured == ESI and esi_capable:
        return ESI
    return None


def _assemble(entry: dict, holes: list[tuple[Hole, dict]], mode: str | None) -> tuple:
    keys = set(entry["versions"])
    expires = entry["expires_at"]
    last_modified = entry["last_modified"]
    at_edge = skipped_pieces(mode)
    parts, filled = [], {}
    for hole, fragment in holes:
        if hole.name in at_edge:
            continue
        filled[hole] = fragment["html"].encode()
        keys.update(fragment["versions"])
        if fragment.get("expires_at") is not None:
            expires = min(expires, fragment["expires_at"].timestamp())
        last_modified = max(last_modified, fragment.get("rendered_at", 0))
    for part in entry["parts"]:
        if isinstance(part, bytes):
            parts.append(part)
        elif part in filled:
            parts.append(filled[part])
        elif mode == ESI:
            parts.append(includes.esi_tag(part))
        else:
            parts.append(includes.client_tag(part))
    body = b"".join(parts)
    headers = list(entry["headers"])
    keys_header = surrogate_keys_header(keys)
    if keys_header is not None:
        headers.append(keys_header)
    if mode == ESI:
        # The edge assembles the page; its bytes are not these, so no validator for them.
        headers.append(("Surrogate-Control", 'content="ESI/1.0"'))
        return body, headers, None, None, expires
    etag = content_etag(body)
    headers.append(("ETag", etag))
    headers.append(("Last-Modified", http_date(last_modified)))
    return body, headers, etag, last_modified, expires


@functools.cache
def _edge_pieces() -> frozenset[str]:
    return frozenset(settings.POLOSA_EDGE_INCLUDE_PIECES)


def skipped_pieces(mode: str | None) -> frozenset[str]:
    """The holes a page sent in `mode` (`include_mode`) leaves to the edge or the browser."""
    return _edge_pieces() if mode else frozenset()


def deliver(entry: dict, holes: list[tuple[Hole, dict]], mode: str | None, now: float) -> Delivery:
    """The bytes and headers of a stored page, each hole filled with its fragment (`holes`: every
    hole of the entry with its fragment entry) or, by `mode` (`include_mode`), the pieces named in
    ``POLOSA_EDGE_INCLUDE_PIECES`` as ``<esi:include>`` or as placeholders the browser fills.

    The same entry with the same fragments is assembled once per process (the result is kept on the
    entry), so a hit costs no copying and no hashing of the page."""
    fragments = tuple(f for _, f in holes)
    memo_key = (mode, tuple(id(f) for f in fragments))
    memo = entry.setdefault("_delivered", {})
    assembled = memo.get(memo_key)
    if assembled is None:
        if len(memo) > 8:
            memo.clear()
        # The fragments ride along, so their ids in the memo's key cannot be reused meanwhile.
        assembled = memo[memo_key] = (*_assemble(entry, holes, mode), fragments)
    body, headers, etag, last_modified, expires, _kept = assembled
    headers = [*headers, ("Cache-Control", entry["own_cache_control"] or cache_control(int(expires - now)))]
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
