"""Serve the site and run the background worker together, as `make run` does."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from polosa.core.database import DatabaseUnavailable, check_reachable
from polosa.core.sites import point_default_site_at
from polosa.settings.address import served_site_url

from .serve import granian_command


def site_url_for(host: str, port: int) -> str:
    """SITE_URL when it is set (environment or .env), else the address this command serves."""
    return (settings.POLOSA_CONFIGURED_SITE_URL or served_site_url(host, port)).rstrip("/")


class Command(BaseCommand):
    help = "Serve the site over ASGI (granian) and run the background worker beside it."

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.POLOSA_SERVER_HOST)
        parser.add_argument("--port", type=int, default=settings.POLOSA_SERVER_PORT)
        parser.add_argument("--workers", type=int, default=1, help="Server processes.")

    def handle(self, *args, host, port, workers, **options):
        try:
            check_reachable()
        except DatabaseUnavailable as error:
            raise CommandError(str(error)) from None
        # Absolute links (canonical, og:url, JSON-LD, feeds, sitemaps) follow the address served here,
        # in the server and the worker alike, unless SITE_URL says otherwise.
        site_url = site_url_for(host, port)
        point_default_site_at(site_url)
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": os.environ.get("DJANGO_SETTINGS_MODULE", "polosa.settings.dev"),
            "SITE_URL": site_url,
        }
        # The same granian command line as `serve`, one process unless asked, no RSS cap.
        server_cmd = granian_command(host, port, workers, "asginl", max_rss=0, threads=1)
        worker_cmd = [sys.executable, str(settings.BASE_DIR / "manage.py"), "run_worker"]
        processes = [
            subprocess.Popen(server_cmd, env=env),  # noqa: S603 - fixed argument lists
            subprocess.Popen(worker_cmd, env=env),  # noqa: S603
        ]
        self.stdout.write(self.style.SUCCESS(f"Polosa is running at http://{host}:{port}/ (admin: /admin/)"))
        self.stdout.write("Press Ctrl+C to stop the site and the worker.")

        def stop(*_):
            for process in processes:
                if process.poll() is None:
                    process.terminate()

        signal.signal(signal.SIGTERM, lambda *_: stop())
        interrupted = False
        try:
            while all(p.poll() is None for p in processes):
                time.sleep(0.5)
        except KeyboardInterrupt:
            # Ctrl+C reached the server and the worker as well (one process group). A second signal
            # now would make the worker abandon the task it is finishing, with a traceback.
            interrupted = True
        finally:
            if not interrupted:
                stop()
            for process in processes:
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.terminate()
                    try:
                        process.wait(timeout=5)
                    except subprocess.TimeoutExpired:
                        process.kill()
        failed = [p for p in processes if p.returncode not in (0, -signal.SIGTERM, -signal.SIGINT, None)]
        if failed:
            raise SystemExit(1)
