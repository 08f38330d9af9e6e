"""Feeds over HTTP (a local server on 127.0.0.1), the watched folder, back-off and the worker's jobs."""

import logging
import os
import socket
import threading
import time
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone

from polosa.core import periodic
from polosa.wire import tasks, transports
from polosa.wire.models import DocumentStatus, RawDocument, Source, SourceKind, WireItem
from testsupport import only_hooks

from .conftest import sample_bytes
from .factories import SourceFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


class FeedServer:
    """Answers each GET from a list of (status, headers, body) and records the request headers."""

    def __init__(self):
        self.answers = []
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                server.requests.append(dict(self.headers))
                status, headers, body = server.answers.pop(0) if server.answers else (404, {}, b"")
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/feed.xml"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def feed_server():
    server = FeedServer()
    yield server
    server.close()


@pytest.fixture
def stalling_server():
    """Accepts connections and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                held.append(listener.accept()[0])
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}/feed.xml"
    stop.set()
    thread.join(2)
    for conn in held:
        conn.close()
    listener.close()


@pytest.fixture
def feed(feed_server, section):
    return SourceFactory(
        kind=SourceKind.FEED,
        address=feed_server.url,
        agency="Северное агентство новостей",
        default_section=section,
    )


RSS = {
    "Content-Type": "application/rss+xml; charset=utf-8",
    "ETag": '"v1"',
    "Last-Modified": "Thu, 03 Dec 2026 11:40:00 GMT",
}


def test_a_feed_is_stored_and_the_next_poll_is_conditional(feed, feed_server):
    feed_server.answers = [(200, RSS, sample_bytes("rss20.xml")), (304, {"ETag": '"v1"'}, b"")]
    result = transports.poll_feed(feed)
    assert result.created == 2
    feed.refresh_from_db()
    assert feed.etag == '"v1"'
    assert feed.last_success_at is not None
    assert transports.poll_feed(feed) is None
    assert feed_server.requests[1]["If-None-Match"] == '"v1"'
    assert feed_server.requests[1]["If-Modified-Since"] == "Thu, 03 Dec 2026 11:40:00 GMT"
    assert WireItem.objects.count() == 2
    assert RawDocument.objects.count() == 1


def test_credentials_come_from_the_environment_variables_the_source_names(feed, feed_server, monkeypatch):
    monkeypatch.setitem(os.environ, "WIRE_TEST_USER", "polosa")
    monkeypatch.setitem(os.environ, "WIRE_TEST_PASSWORD", "секрет-1")
    feed.username_env, feed.password_env = "WIRE_TEST_USER", "WIRE_TEST_PASSWORD"
    feed_server.answers = [(200, RSS, sample_bytes("rss20.xml"))]
    transports.poll_feed(feed)
    import base64

    expected = base64.b64encode("polosa:секрет-1".encode()).decode()
    assert feed_server.requests[0]["Authorization"] == f"Basic {expected}"

    monkeypatch.setitem(os.environ, "WIRE_TEST_TOKEN", "t0ken")
    feed.token_env = "WIRE_TEST_TOKEN"
    feed.etag = feed.last_modified = ""
    feed_server.answers = [(200, RSS, sample_bytes("rss20.xml"))]
    transports.poll_feed(feed)
    assert feed_server.requests[1]["Authorization"] == "Bearer t0ken"


def test_an_html_error_page_is_kept_and_the_source_backs_off(feed, feed_server, caplog):
    feed_server.answers = [(200, {"Content-Type": "text/html"}, sample_bytes("error_page.html"))]
    with caplog.at_level(logging.ERROR, logger="polosa.wire"):
        assert not transports.poll_feed(feed).ok
    feed.refresh_from_db()
    assert "HTML page" in feed.last_error
    assert feed.failures == 1
    assert feed.next_attempt_at > timezone.now()
    assert feed.etag == ""  # the next poll fetches in full
    assert RawDocument.objects.get().status == DocumentStatus.FAILED
    assert WireItem.objects.count() == 0
    assert "HTML page" in caplog.text


def test_an_http_error_keeps_its_body_and_backs_off_longer_each_time(feed, feed_server):
    feed_server.answers = [(502, {"Content-Type": "text/html"}, sample_bytes("error_page.html"))] * 2
    transports.poll_feed(feed)
    feed.refresh_from_db()
    first_delay = feed.next_attempt_at - feed.last_attempt_at
    assert "HTTP 502" in feed.last_error
    assert bytes(RawDocument.objects.get().content) == sample_bytes("error_page.html")
    transports.poll_feed(feed)
    feed.refresh_from_db()
    assert feed.failures == 2
    assert feed.next_attempt_at - feed.last_attempt_at == first_delay * 2


def test_a_feed_that_never_answers_times_out_and_is_retried_later(stalling_server, section, settings, caplog):
    settings.POLOSA_WIRE_TIMEOUT = 0.3
    source = SourceFactory(kind=SourceKind.FEED, address=stalling_server, default_section=section)
    started = time.monotonic()
    with caplog.at_level(logging.ERROR, logger="polosa.wire"):
        assert transports.poll_feed(source) is None
    assert time.monotonic() - started < 3
    source.refresh_from_db()
    assert "did not answer within 0.3 s" in source.last_error
    assert "did not answer" in caplog.text
    assert source.failures == 1
    # Backed off: not due now, due once the delay has passed.
    assert not Source.objects.due().filter(pk=source.pk).exists()
    assert Source.objects.due(source.next_attempt_at + timedelta(seconds=1)).filter(pk=source.pk).exists()


def test_an_unreachable_feed_is_a_failure(section):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    listener.close()  # nothing listens there now
    source = SourceFactory(kind=SourceKind.FEED, address=f"http://127.0.0.1:{port}/", default_section=section)
    transports.poll_feed(source)
    source.refresh_from_db()
    assert "could not be reached" in source.last_error


def test_a_feed_that_trickles_forever_is_cut_at_the_deadline(section, settings):
    settings.POLOSA_WIRE_DEADLINE = 0.5
    settings.POLOSA_WIRE_TIMEOUT = 2

    class Trickle:
        status = 200
        headers = {}

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self, size):
            time.sleep(0.1)
            return b" "

    source = SourceFactory(kind=SourceKind.FEED, address="http://127.0.0.1:9/", default_section=section)
    transports.poll_feed(source, opener=lambda request, timeout: Trickle())
    source.refresh_from_db()
    assert "did not finish answering" in source.last_error


def test_due_feeds_respect_their_interval(feed, feed_server):
    feed_server.answers = [(200, RSS, sample_bytes("rss20.xml"))]
    assert transports.poll_due_feeds() == 1
    assert transports.poll_due_feeds() == 0  # polled a moment ago
    later = timezone.now() + timedelta(seconds=feed.poll_interval + 1)
    feed_server.answers = [(304, {}, b"")]
    assert transports.poll_due_feeds(moment=later) == 1


# --- Folder ------------------------------------------------------------------------------------


@pytest.fixture
def folder_source(tmp_path, section, settings):
    settings.POLOSA_WIRE_SETTLE_SECONDS = 0
    return SourceFactory(kind=SourceKind.FOLDER, folder=str(tmp_path), default_section=section)


def test_files_in_the_folder_are_ingested_and_moved(folder_source, tmp_path):
    (tmp_path / "a.xml").write_bytes(sample_bytes("newsml_message.xml"))
    (tmp_path / "b.json").write_bytes(sample_bytes("ninjs2.json"))
    (tmp_path / "c.xml.part").write_bytes(b"<newsItem")  # still uploading
    assert transports.watch_folders() == 2
    assert WireItem.objects.count() == 4
    processed = list((tmp_path / "processed").rglob("*"))
    assert sorted(p.name for p in processed if p.is_file()) == ["a.xml", "b.json"]
    assert (tmp_path / "c.xml.part").exists()
    folder_source.refresh_from_db()
    assert folder_source.last_success_at is not None


def test_a_bad_file_goes_to_failed_and_the_folder_is_still_watched(folder_source, tmp_path):
    (tmp_path / "bad.xml").write_bytes(sample_bytes("bomb.xml"))
    (tmp_path / "good.json").write_bytes(sample_bytes("ninjs1.json"))
    transports.watch_folders()
    assert (tmp_path / "failed" / "bad.xml").exists()
    assert WireItem.objects.count() == 1
    folder_source.refresh_from_db()
    assert "bad.xml" in folder_source.last_error
    assert folder_source.next_attempt_at is None
    assert RawDocument.objects.filter(status=DocumentStatus.FAILED, name="bad.xml").exists()


def test_a_file_still_changing_waits(folder_source, tmp_path, settings):
    settings.POLOSA_WIRE_SETTLE_SECONDS = 60
    (tmp_path / "fresh.xml").write_bytes(sample_bytes("newsml_newsitem.xml"))
    assert transports.watch_folders() == 0
    assert (tmp_path / "fresh.xml").exists()


def test_a_missing_folder_is_an_error_with_back_off(section):
    source = SourceFactory(kind=SourceKind.FOLDER, folder="/nonexistent/wire-folder", default_section=section)
    transports.watch_folder(source)
    source.refresh_from_db()
    assert "cannot be read" in source.last_error
    assert source.next_attempt_at is not None


def test_the_worker_runs_the_folder_watch_and_the_feed_poll():
    names = {job.name: job for job in periodic.jobs()}
    assert names["wire.watch_folders"].task is tasks.watch_folders
    assert names["wire.watch_folders"].every <= timedelta(seconds=5)
    assert names["wire.poll_feeds"].task is tasks.poll_feeds


def test_a_dropped_file_reaches_the_inbox_through_the_scheduler(folder_source, tmp_path):
    # Only the folder watch: the other apps' jobs would reach for the network.
    watch = next(job for job in periodic.jobs() if job.name == "wire.watch_folders")
    (tmp_path / "item.xml").write_bytes(sample_bytes("newsml_newsitem.xml"))
    started = time.monotonic()
    with only_hooks(periodic.HOOK, lambda: [watch]):
        assert "wire.watch_folders" in periodic.run_due_jobs()
    assert WireItem.objects.in_inbox().count() == 1
    assert time.monotonic() - started < 5


def test_the_command_ingests_files_for_a_source(folder_source, tmp_path, capsys):
    from django.core.management import call_command

    good, bad = tmp_path / "good.json", tmp_path / "bad.xml"
    good.write_bytes(sample_bytes("ninjs2.json"))
    bad.write_bytes(sample_bytes("malformed.xml"))
    call_command("wire_ingest", str(good), str(bad), source=folder_source.slug)
    out, err = capsys.readouterr()
    assert "good.json: 1 new" in out
    assert "bad.xml: refused: malformed XML" in err
    assert WireItem.objects.count() == 1
