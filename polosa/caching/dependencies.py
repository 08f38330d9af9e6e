"""Recording what a response shows, and invalidating it when that changes.

A dependency key has a version: an opaque token kept in the shared cache. Recording a key reads its
current token; invalidating it writes a new one. Because a key is recorded *before* the data behind
it is read, a change that commits during a render always leaves the stored entry with an old token,
so the next request renders again. No clocks are compared, so several machines can share one cache.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

VERSION_PREFIX = "dep:"
# Versions outlive the pages that recorded them; an evicted version only costs a re-render.
VERSION_TIMEOUT = 30 * 24 * 3600

#: Sent after keys were invalidated, with ``keys`` (a frozenset). The frontend-cache purge listens.
keys_invalidated = Signal()


@dataclass
class Recorder:
    """What one response (or one fragment) has shown so far."""

    versions: dict[str, str] = field(default_factory=dict)
    expires_at: datetime | None = None
    cacheable: bool = True
    reason: str = ""
    # A page stored as a shell: shared pieces (polosa.caching.includes) leave a hole, not their HTML.
    leave_holes: bool = False

    def merge(self, other: Recorder) -> None:
        self.versions.update(other.versions)
        if other.expires_at is not None:
            self.expire_at(other.expires_at)
        if not other.cacheable:
            self.forbid(other.reason)

    def expire_at(self, when: datetime) -> None:
        if self.expires_at is None or when < self.expires_at:
            self.expires_at = when

    def forbid(self, reason: str) -> None:
        self.cacheable = False
        self.reason = self.reason or reason


_current: ContextVar[Recorder | None] = ContextVar("polosa_cache_recorder", default=None)


def current_recorder() -> Recorder | None:
    return _current.get()


def _version_key(key: str) -> str:
    return VERSION_PREFIX + key


def current_versions(keys: Iterable[str]) -> dict[str, str]:
    """The current version token of each key, creating tokens for keys never seen before."""
    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    found = cache.get_many([_version_key(k) for k in keys])
    versions = {k: found.get(_version_key(k)) for k in keys}
    missing = [k for k, v in versions.items() if v is None]
    for key in missing:
        # add() keeps a token another process created meanwhile; re-read to agree with it.
        cache.add(_version_key(key), secrets.token_hex(8), VERSION_TIMEOUT)
    if missing:
        again = cache.get_many([_version_key(k) for k in missing])
        for key in missing:
            versions[key] = again.get(_version_key(key)) or "missing"
    return versions


def depends_on(*keys: str) -> None:
    """Record that the response being rendered shows the data behind `keys`.

    Call it before reading that data. Outside a recording (a management command, a test without
    the middleware) it does nothing.
    """
    recorder = _current.get()
    if recorder is None or not keys:
        return
    new = [k for k in keys if k not in recorder.versions]
    if new:
        recorder.versions.update(current_versions(new))


def valid_until(when: datetime | None) -> None:
    """The response must not be served from the cache after `when` (an expiry, a display window)."""
    recorder = _current.get()
    if recorder is not None and when is not None:
        recorder.expire_at(when)


def do_not_cache(reason: str) -> None:
    """This response shows something personal or volatile and must never be stored."""
    recorder = _current.get()
    if recorder is not None:
        recorder.forbid(reason)


class recording:
    """Collect dependencies for the duration of a block; nested recordings merge outwards."""

    def __init__(self, leave_holes: bool = False) -> None:
        self.recorder = Recorder(leave_holes=leave_holes)
        self._token = None

    def __enter__(self) -> Recorder:
        self._token = _current.set(self.recorder)
        return self.recorder

    def __exit__(self, *exc) -> None:
        _current.reset(self._token)
        outer = _current.get()
        if outer is not None:
            outer.merge(self.recorder)


def still_valid(versions: dict[str, str]) -> bool:
    """Whether every recorded version is still the current one."""
    if not versions:
        return False
    found = cache.get_many([_version_key(k) for k in versions])
    return all(found.get(_version_key(k)) == v for k, v in versions.items())


def invalidate(*keys: str) -> None:
    """Give each key a new version now, so everything that showed it renders again."""
    _invalidate(keys, announce=True)


def shared_cache_available() -> bool:
    """False while the shared cache (Redis) is known to be down; always True for local backends."""
    available = getattr(cache, "available", None)
    return True if available is None else available()


# Moves on every invalidation. A hit whose entry was checked at the clock's current value needs no
# other read: one small GET instead of the versions of its twenty-odd keys.
CLOCK_KEY = "dep-clock"
CLOCK = "__clock__"


def advance_clock() -> None:
    try:
        value = cache.incr(CLOCK_KEY)
    except ValueError:
        # Never set, or lost with a Redis restart: start past any value it had (a thousand
        # invalidations a millisecond would be needed to catch up), so it only ever grows.
        value = int(time.time() * 1000) * 1000
        if not cache.add(CLOCK_KEY, value, None):
            value = cache.incr(CLOCK_KEY)
    publish = getattr(cache, "publish_clock", None)
    if publish is not None:
        publish(value)


def _versions_from(found: dict) -> dict:
    versions = {k[len(VERSION_PREFIX) :]: v for k, v in found.items() if k != CLOCK_KEY}
    versions[CLOCK] = found.get(CLOCK_KEY)
    return versions


def read_versions(keys: Iterable[str]) -> dict[str, str] | None:
    """The stored version of each key that has one, and the clock (under ``CLOCK``); None when the
    shared cache cannot be asked."""
    found = cache.get_many([*(_version_key(k) for k in keys), CLOCK_KEY])
    if not found and not shared_cache_available():
        return None
    return _versions_from(found)


def read_clock():
    """The clock's value; None when unknown; False when the shared cache cannot be asked."""
    found = cache.get_many([CLOCK_KEY])
    if not found and not shared_cache_available():
        return False
    return found.get(CLOCK_KEY)


async def aread_versions(keys: Iterable[str]) -> dict[str, str] | None:
    """`read_versions` for the event loop: native for Redis, a direct call for local backends."""
    found = await aget_many([*(_version_key(k) for k in keys), CLOCK_KEY])
    if not found and not shared_cache_available():
        return None
    return _versions_from(found)


async def aread_clock():
    found = await aget_many([CLOCK_KEY])
    if not found and not shared_cache_available():
        return False
    return found.get(CLOCK_KEY)


async def aget_many(names: list[str]) -> dict:
    if getattr(cache, "async_client", None) is not None:
        return await cache.aget_many(names)
    return await local_read(cache.get_many, names)


async def local_read(function, *args):
    """Call a cache read from the event loop: directly for in-process and file caches (microseconds,
    no database), through a thread for anything else (a database cache must not run in the loop)."""
    from django.core.cache import caches
    from django.core.cache.backends.filebased import FileBasedCache
    from django.core.cache.backends.locmem import LocMemCache

    if isinstance(caches["default"], LocMemCache | FileBasedCache):
        return function(*args)
    from asgiref.sync import sync_to_async

    return await sync_to_async(function, thread_sensitive=False)(*args)


def _invalidate(keys: Iterable[str], announce: bool) -> None:
    keys = frozenset(k for k in keys if k)
    if not keys:
        return
    replay_missed_invalidations()
    failed = cache.set_many({_version_key(k): secrets.token_hex(8) for k in keys}, VERSION_TIMEOUT)
    if failed:
        _keep_for_later(keys)
    else:
        advance_clock()
    logger.debug("invalidated %s", ", ".join(sorted(keys)))
    if announce:
        # Listeners (the CDN purge) act once per change, after the data they would fetch is there.
        keys_invalidated.send(sender=None, keys=keys)


_replay_due = True  # anything a previous process kept is replayed once here


def _keep_for_later(keys: frozenset[str]) -> None:
    global _replay_due
    from .models import PendingInvalidation

    try:
        PendingInvalidation.objects.create(keys=sorted(keys))
    except Exception:
        logger.exception("could not keep the missed invalidation of %s", ", ".join(sorted(keys)))
    else:
        logger.error("shared cache down: invalidation of %s kept for replay", ", ".join(sorted(keys)))
    _replay_due = True


def shared_cache_recovered() -> None:
    """Called by the cache backend when the shared cache answers again after an outage."""
    global _replay_due
    _replay_due = True


def replay_missed_invalidations(force: bool = False) -> int:
    """Invalidate again every key whose invalidation was missed while the shared cache was down.

    Cheap when nothing is pending: one flag check, or one query when the flag is up (after an
    outage) or `force` (the worker's periodic job, which covers processes that died meanwhile).
    Returns the number of keys replayed.
    """
    global _replay_due
    if not (force or _replay_due):
        return 0
    if not shared_cache_available():
        cache.get(VERSION_PREFIX + "probe")  # the backend asks Redis again at most once a second
        if not shared_cache_available():
            return 0
    from django.db import DatabaseError

    from .models import PendingInvalidation

    try:
        pending = list(PendingInvalidation.objects.order_by("pk")[:1000])
    except DatabaseError:
        logger.warning("could not read missed invalidations (database unavailable); will retry")
        return 0
    except Exception as error:  # SynchronousOnlyOperation in the event loop: the next sync call does it
        logger.debug("replay postponed: %s", error)
        return 0
    _replay_due = False
    if not pending:
        return 0
    keys = frozenset(k for p in pending for k in p.keys)
    failed = cache.set_many({_version_key(k): secrets.token_hex(8) for k in keys}, VERSION_TIMEOUT)
    if failed:
        _replay_due = True
        return 0
    advance_clock()
    PendingInvalidation.objects.filter(pk__in=[p.pk for p in pending]).delete()
    logger.warning("replayed %d invalidations missed while the shared cache was down", len(keys))
    keys_invalidated.send(sender=None, keys=keys)
    return len(keys)


def invalidate_on_commit(*keys: str) -> None:
    """Invalidate now and again once the current transaction commits.

    Only the second one is needed for correctness: a render that ran between the first and the
    commit read the old rows with the new version, and the commit's invalidation throws it away.
    The first makes the change visible to code in the same transaction (and to tests, which never
    commit). Outside a transaction both happen at once.
    """
    keys = tuple(keys)
    if transaction.get_connection().in_atomic_block:
        _invalidate(keys, announce=False)
        transaction.on_commit(lambda: invalidate(*keys))
    else:
        invalidate(*keys)


def replace_affected_keys(owner: str, keys: Iterable[str], fingerprint: str = "") -> tuple[set[str], str]:
    """Remember the keys `owner` (e.g. "page:12") now touches; return the keys and fingerprint it
    touched before, so the caller can invalidate both the old and the new places."""
    from .models import AffectedKeys

    new_keys = sorted(set(keys))
    record, created = AffectedKeys.objects.get_or_create(
        owner=owner, defaults={"keys": new_keys, "fingerprint": fingerprint}
    )
    if created:
        return set(), ""
    previous = set(record.keys), record.fingerprint
    record.keys, record.fingerprint = new_keys, fingerprint
    record.save(update_fields=["keys", "fingerprint", "updated_at"])
    return previous


def forget_affected_keys(owner: str) -> set[str]:
    """Drop what `owner` touched (it was deleted or unpublished) and return it."""
    from .models import AffectedKeys

    record = AffectedKeys.objects.filter(owner=owner).first()
    if record is None:
        return set()
    record.delete()
    return set(record.keys)
