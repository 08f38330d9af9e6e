"""How documents reach `ingest`: feeds fetched over HTTP, files dropped into a folder.

(The third transport, the push endpoint, is a view: `polosa.wire.views.push`.)

Feeds are fetched with a conditional GET (the ETag and Last-Modified of the last answer), a timeout
on every socket operation and an overall deadline (a server that trickles bytes forever is cut off),
and credentials read from the environment variables the source names. A failed fetch or a refused
document backs the source off (`ingest.record_failure`); the next poll after it fetches in full.

Folders: each file is read once it has stopped changing, then moved to ``processed/<date>/`` or, when
refused, to ``failed/`` (and kept in the database with the reason either way).
"""

from __future__ import annotations

import base64
import logging
import shutil
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import ingest
from .models import Source, SourceKind
from .parsing import MAX_DOCUMENT_BYTES

logger = logging.getLogger("polosa.wire")

USER_AGENT = "Polosa wire ingest (+https://github.com/polosa)"
SKIPPED_SUFFIXES = (".tmp", ".part", ".partial", ".filepart", ".crdownload", ".lock")


def timeout() -> float:
    return float(getattr(settings, "POLOSA_WIRE_TIMEOUT", 10.0))


def deadline() -> float:
    return float(getattr(settings, "POLOSA_WIRE_DEADLINE", 30.0))


class FetchError(Exception):
    """The feed could not be fetched; the message is for an operator."""

    def __init__(self, message: str, body: bytes = b"", content_type: str = ""):
        super().__init__(message)
        self.body = body
        self.content_type = content_type


@dataclass
class Fetched:
    status: int
    body: bytes
    content_type: str
    etag: str
    last_modified: str


def _request(source: Source) -> urllib.request.Request:
    headers = {
        "User-Agent": USER_AGENT,
        "Accept": "application/rss+xml, application/atom+xml, application/xml, */*",
    }
    if source.etag:
        headers["If-None-Match"] = source.etag
    if source.last_modified:
        headers["If-Modified-Since"] = source.last_modified
    token = source.secret("token_env")
    user, password = source.secret("username_env"), source.secret("password_env")
    if token:
        headers["Authorization"] = f"Bearer {token}"
    elif user:
        pair = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {pair}"
    if not source.address.startswith(("http://", "https://")):
        raise FetchError(_("the feed address must start with http:// or https://"))
    return urllib.request.Request(source.address, headers=headers)  # noqa: S310 - scheme checked above


def _read(response, started: float) -> bytes:
    chunks: list[bytes] = []
    size = 0
    while True:
        if time.monotonic() - started > deadline():
            raise FetchError(
                _("the feed did not finish answering within %(seconds)s s") % {"seconds": deadline()}
            )
        chunk = response.read(65536)
        if not chunk:
            return b"".join(chunks)
        size += len(chunk)
        if size > MAX_DOCUMENT_BYTES:
            raise FetchError(_("the feed is larger than %(size)s bytes") % {"size": MAX_DOCUMENT_BYTES})
        chunks.append(chunk)


def fetch(source: Source, opener=urllib.request.urlopen) -> Fetched:
    """One conditional GET of the source's feed."""
    started = time.monotonic()
    try:
        with opener(_request(source), timeout=timeout()) as response:
            body = _read(response, started)
            headers = response.headers
            return Fetched(
                response.status,
                body,
                headers.get("Content-Type", ""),
                headers.get("ETag", ""),
                headers.get("Last-Modified", ""),
            )
    except urllib.error.HTTPError as error:
        if error.code == 304:
            return Fetched(304, b"", "", source.etag, source.last_modified)
        try:
            body = error.read(MAX_DOCUMENT_BYTES)
        except Exception:  # the status is what matters; the body is a bonus
            body = b""
        raise FetchError(
            _("the feed answered HTTP %(status)s %(reason)s")
            % {"status": error.code, "reason": error.reason},
            body,
            error.headers.get("Content-Type", "") if error.headers else "",
        ) from None
    except (TimeoutError, urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", error)
        if isinstance(reason, TimeoutError) or isinstance(error, TimeoutError):
            raise FetchError(
                _("the feed did not answer within %(seconds)s s") % {"seconds": timeout()}
            ) from None
        raise FetchError(_("the feed could not be reached: %(reason)s") % {"reason": reason}) from None


def poll_feed(source: Source, opener=urllib.request.urlopen, moment=None) -> ingest.IngestResult | None:
    """Fetch the feed once and store what is new; None when nothing was stored (304 or a failure)."""
    moment = moment or timezone.now()
    try:
        fetched = fetch(source, opener)
    except FetchError as error:
        if error.body:
            ingest.refuse(
                source,
                error.body,
                str(error),
                transport="http",
                name=source.address,
                content_type=error.content_type,
            )
        logger.error("wire: fetching %s (%s) failed: %s", source.name, source.address, error)
        ingest.record_failure(source, str(error), moment)
        return None
    if fetched.status == 304:
        logger.info("wire: %s not modified", source.name)
        ingest.record_success(source, moment)
        return None
    result = ingest.ingest_document(
        fetched.body,
        source=source,
        transport="http",
        name=source.address,
        content_type=fetched.content_type,
        moment=moment,
    )
    if not result.ok:
        ingest.record_failure(source, result.error, moment)
        return result
    # Remember the validators only after the document was stored, so a refused one is fetched again.
    Source.objects.filter(pk=source.pk).update(
        etag=fetched.etag[:500], last_modified=fetched.last_modified[:100]
    )
    source.etag, source.last_modified = fetched.etag[:500], fetched.last_modified[:100]
    ingest.record_success(source, moment)
    return result


def poll_due_feeds(moment=None, opener=urllib.request.urlopen) -> int:
    """Poll every enabled feed whose interval has passed and whose back-off has run out."""
    moment = moment or timezone.now()
    polled = 0
    for source in Source.objects.due(moment).filter(kind=SourceKind.FEED).exclude(address=""):
        last = source.last_attempt_at
        if last is not None and (moment - last).total_seconds() < source.poll_interval:
            continue
        poll_feed(source, opener=opener, moment=moment)
        polled += 1
    return polled


# --- Folders ------------------------------------------------------------------------------------


def settle_seconds() -> float:
    return float(getattr(settings, "POLOSA_WIRE_SETTLE_SECONDS", 0.5))


def _ready_files(folder: Path, limit: int) -> list[Path]:
    now = time.time()
    files = []
    for entry in sorted(folder.iterdir(), key=lambda p: p.name):
        if not entry.is_file() or entry.name.startswith(".") or entry.name.lower().endswith(SKIPPED_SUFFIXES):
            continue
        # A file still being uploaded would look truncated; wait until it stops changing.
        if now - entry.stat().st_mtime < settle_seconds():
            continue
        files.append(entry)
        if len(files) >= limit:
            break
    return files


def _move(path: Path, target_dir: Path) -> None:
    target_dir.mkdir(parents=True, exist_ok=True)
    target = target_dir / path.name
    if target.exists():
        target = target_dir / f"{path.stem}-{time.time_ns()}{path.suffix}"
    shutil.move(str(path), str(target))


BATCH_FILES = 200


def watch_folder(source: Source, limit: int = 1000, moment=None) -> list[ingest.IngestResult]:
    """Ingest every settled file in the source's folder (at most `limit`), `BATCH_FILES` at a time."""
    folder = Path(source.folder)
    try:
        files = _ready_files(folder, limit)
    except OSError as error:
        reason = _("the folder %(folder)s cannot be read: %(error)s") % {"folder": folder, "error": error}
        logger.error("wire: %s: %s", source.name, reason)
        ingest.record_failure(source, reason, moment)
        return []
    results = []
    for start in range(0, len(files), BATCH_FILES):
        batch = []
        for path in files[start : start + BATCH_FILES]:
            try:
                batch.append((path, path.read_bytes()))
            except OSError as error:
                logger.error("wire: %s: cannot read %s: %s", source.name, path, error)
        stored = ingest.ingest_documents(
            [(content, path.name, "") for path, content in batch],
            source=source,
            transport="folder",
            moment=moment,
        )
        day = timezone.localdate().isoformat()
        for (path, _content), result in zip(batch, stored, strict=True):
            try:
                _move(path, folder / "processed" / day if result.ok else folder / "failed")
            except OSError as error:
                logger.error("wire: %s: cannot move %s out of the folder: %s", source.name, path, error)
        refused = [(path, result) for (path, _c), result in zip(batch, stored, strict=True) if not result.ok]
        if refused:
            # A bad file says nothing about the folder: note it, keep watching without a back-off.
            path, result = refused[-1]
            ingest.record_failure(source, f"{path.name}: {result.error}", moment, back_off=False)
        if len(refused) < len(batch):
            ingest.record_success(source, moment)
        results += stored
    if not files and source.failures:
        ingest.record_success(source, moment)  # the folder is readable again
    return results


def watch_folders(moment=None) -> int:
    """One look at every enabled folder source; returns how many files were read."""
    count = 0
    for source in Source.objects.due(moment).filter(kind=SourceKind.FOLDER).exclude(folder=""):
        count += len(watch_folder(source, moment=moment))
    return count
