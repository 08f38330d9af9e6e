"""A per-process copy of recently served page and fragment entries.

A hit then costs one read of the shared versions instead of fetching and unpickling ~50 KB of page
from Redis; an entry is only ever served after its versions were checked against the shared cache,
except while the shared cache is down, when a stale copy beats no page (``X-Polosa-Cache: stale``).
Bounded by bytes (``POLOSA_LOCAL_CACHE_MB``), least recently used out first.
"""

from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict

from django.conf import settings


class LocalTier:
    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[str, tuple[dict, int]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    def get(self, key: str) -> dict | None:
        found = self._entries.get(key)
        if found is None:
            return None
        with contextlib.suppress(KeyError):  # dropped by another thread meanwhile
            self._entries.move_to_end(key)
        return found[0]

    def put(self, key: str, entry: dict, size: int) -> None:
        if self.max_bytes <= 0 or size > self.max_bytes // 4:
            return
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]
            self._entries[key] = (entry, size)
            self._size += size
            while self._size > self.max_bytes and self._entries:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._size -= dropped

    def drop(self, key: str) -> None:
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self._size -= old[1]

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._size = 0


_tier: LocalTier | None = None


def tier() -> LocalTier:
    global _tier
    if _tier is None:
        _tier = LocalTier(int(settings.POLOSA_LOCAL_CACHE_MB * 1024 * 1024))
    return _tier


def reset() -> None:
    """Forget every local copy (tests; a settings change)."""
    global _tier
    _tier = None
