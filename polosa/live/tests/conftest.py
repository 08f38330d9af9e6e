"""An ASGI live server for the browser tests: Django's own live server speaks WSGI, which cannot
hold an event stream open, so uvicorn serves the app from a thread against the test database."""

import socket
import threading
import time

import pytest


class AsgiLiveServer:
    def __init__(self):
        import uvicorn
        from django.core.handlers.asgi import ASGIHandler

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        config = uvicorn.Config(
            ASGIHandler(), host="127.0.0.1", port=self.port, lifespan="off", log_level="warning"
        )
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="asgi-live-server", daemon=True)
        self.url = f"http://127.0.0.1:{self.port}"

    def start(self):
        self.thread.start()
        deadline = time.monotonic() + 10
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("the ASGI live server did not start")
            time.sleep(0.05)

    def stop(self):
        self.server.should_exit = True
        self.server.force_exit = True  # open event streams must not hold the shutdown
        self.thread.join(timeout=10)


@pytest.fixture
def asgi_live_server(transactional_db, settings):
    settings.ALLOWED_HOSTS = ["*"]
    settings.DEBUG = False
    server = AsgiLiveServer()
    server.start()
    yield server
    server.stop()
