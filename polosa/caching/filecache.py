"""The embedded cache of a one-machine install (no REDIS_URL): Django's file cache with an atomic add().

The page cache's stampede lock, the read beacon's rate limit and "already read" mark, and the first
version of a dependency key all rely on ``cache.add()`` letting exactly one caller in. Django's
`FileBasedCache.add` is ``has_key()`` then ``set()``: every process (granian runs one per CPU) and
thread that checks at the same moment wins.

Here a new entry is written to a temporary file in the cache directory and given its name with
``os.link``, which fails when the name exists, so two creators cannot both succeed. An expired entry
under that name is removed and the link tried once more. Removing an expired file is the one racy
step: a reader that found the old file expired could remove a fresh one another process just linked
(Django's own `get()` does exactly that by name). So every removal of an expired entry, and every
add(), runs under an exclusive ``flock`` on one of 256 lock files (chosen by the entry's name), and
an expired file is removed only while it is still the file that was read (same inode, kept open so
its inode cannot be reused). `set()`, `get()` of a live entry and `delete()` take no lock.

POSIX only (``fcntl``, ``os.link``), like the servers Polosa runs on; one machine only (a shared
network file system gives no such guarantees; use Redis there).
"""

from __future__ import annotations

import fcntl
import os
import pickle
import tempfile
import time
from contextlib import contextmanager

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.filebased import FileBasedCache

LOCK_DIR = ".locks"


class AtomicFileBasedCache(FileBasedCache):
    """`FileBasedCache` whose `add()` lets exactly one caller in, across threads and processes."""

    def _createdir(self):
        super()._createdir()
        os.makedirs(os.path.join(self._dir, LOCK_DIR), mode=0o700, exist_ok=True)

    @contextmanager
    def _name_lock(self, fname: str):
        # A new descriptor each time: flock excludes other open file descriptions, including other
        # threads' in this process, but not a second flock through the same one.
        stripe = os.path.basename(fname)[:2]
        path = os.path.join(self._dir, LOCK_DIR, f"{stripe}.lock")
        try:
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except FileNotFoundError:  # the cache directory was removed meanwhile
            self._createdir()
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    @staticmethod
    def _expiry_passed(f) -> bool:
        try:
            expiry = pickle.load(f)  # noqa: S301 - the cache's own files, as in Django's backend
        except EOFError:
            expiry = 0  # an empty (half-written by a crashed process) file counts as expired
        return expiry is not None and expiry < time.time()

    def _remove_if_same(self, fname: str, f) -> None:
        """Remove `fname` if it still is the open file `f` (call with the name's lock held)."""
        try:
            if os.stat(fname).st_ino == os.fstat(f.fileno()).st_ino:
                os.remove(fname)
        except FileNotFoundError:
            pass

    def _is_expired(self, f):
        # As Django's, but the file is removed under the name's lock and only if it is still this one.
        if not self._expiry_passed(f):
            return False
        with self._name_lock(f.name):
            self._remove_if_same(f.name, f)
        f.close()
        return True

    def _free_if_expired(self, fname: str) -> bool:
        """Whether `fname` is free now: absent, or expired and removed (call with its lock held)."""
        try:
            f = open(fname, "rb")  # noqa: SIM115 - kept open while it is compared and removed
        except FileNotFoundError:
            return True
        with f:
            if not self._expiry_passed(f):
                return False
            self._remove_if_same(fname, f)
            return True

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self._createdir()  # the cache directory can be deleted at any time
        fname = self._key_to_file(key, version)
        self._cull()
        fd, tmp_path = tempfile.mkstemp(dir=self._dir)
        try:
            with open(fd, "wb") as f:
                self._write_content(f, timeout, value)
            with self._name_lock(fname):
                for attempt in range(2):
                    try:
                        os.link(tmp_path, fname)
                        return True
                    except FileExistsError:
                        if attempt or not self._free_if_expired(fname):
                            return False
            return False
        finally:
            os.remove(tmp_path)
