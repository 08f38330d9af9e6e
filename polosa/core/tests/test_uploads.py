"""Uploaded photos reach readers from granian's own file server under `make run` and `make serve`; a
document's file never has a public address (Wagtail's view checks its collection's restrictions)."""

import http.client
import os
import socket
import subprocess
import time

import pytest

from polosa.core.management.commands.serve import granian_command
from polosa.core.uploads import public_uploads


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def fetch(port: int, path: str) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path)  # sent as written: no client-side normalising of "..".
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


@pytest.fixture
def uploads(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_URL = "/media/"
    settings.SERVE_MEDIA = True
    return tmp_path


def test_the_server_mounts_only_the_image_folders(uploads):
    assert public_uploads() == [
        ("/media/images", uploads / "images"),
        ("/media/original_images", uploads / "original_images"),
    ]
    command = granian_command("127.0.0.1", 8000, 1, "asginl", 0, 1)
    routes = [command[i + 1] for i, arg in enumerate(command) if arg == "--static-path-route"]
    mounts = [command[i + 1] for i, arg in enumerate(command) if arg == "--static-path-mount"]
    assert routes == ["/media/images", "/media/original_images"]
    assert mounts == [str(uploads / "images"), str(uploads / "original_images")]
    assert (uploads / "images").is_dir()  # granian refuses a mount that does not exist


def test_no_mount_when_uploads_live_elsewhere(uploads, settings):
    settings.SERVE_MEDIA = False
    assert public_uploads() == []
    settings.SERVE_MEDIA = True
    settings.MEDIA_URL = "https://cdn.example.org/media/"
    assert public_uploads() == []
    assert "--static-path-route" not in granian_command("127.0.0.1", 8000, 1, "asginl", 0, 1)


def test_granian_sends_a_photo_from_disk_and_never_a_document(uploads):
    (uploads / "images").mkdir()
    (uploads / "images" / "photo.width-800.webp").write_bytes(b"RIFF0000WEBPVP8 not-a-real-photo")
    (uploads / "documents").mkdir()
    (uploads / "documents" / "draft.pdf").write_bytes(b"%PDF-1.7 confidential draft")
    port = free_port()
    command = granian_command("127.0.0.1", port, 1, "asginl", 0, 1)
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "polosa.settings.test"}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                assert server.poll() is None, "granian exited"
                assert time.monotonic() < deadline, "granian did not start"
                time.sleep(0.1)
        status, headers, body = fetch(port, "/media/images/photo.width-800.webp")
        assert (status, body) == (200, b"RIFF0000WEBPVP8 not-a-real-photo")
        assert headers["server"] == "granian"  # not Django's development view
        assert headers["cache-control"] == "max-age=86400"
        for path in (
            "/media/documents/draft.pdf",
            "/media/images/../documents/draft.pdf",
            "/media/images/%2e%2e/documents/draft.pdf",
        ):
            status, _headers, body = fetch(port, path)
            assert status != 200, path
            assert b"confidential" not in body, path
    finally:
        server.terminate()
        server.wait(timeout=15)


@pytest.mark.django_db
def test_the_development_view_sends_images_but_not_documents(client, settings):
    # The view itself is mounted at start-up when SERVE_MEDIA is on, as in the test settings.
    (settings.MEDIA_ROOT / "images").mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "images" / "dev-photo.webp").write_bytes(b"RIFF0000WEBP")
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True, exist_ok=True)
    (settings.MEDIA_ROOT / "documents" / "dev-draft.pdf").write_bytes(b"%PDF-1.7 confidential")
    assert client.get("/media/images/dev-photo.webp").status_code == 200
    response = client.get("/media/documents/dev-draft.pdf")
    assert response.status_code == 404
    assert b"confidential" not in response.content
