"""Serve the site for production: hashed, compressed static files, then granian worker processes."""

import os
import shutil
import sys
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from polosa.core.uploads import public_uploads

INTERFACES = {"asginl": "polosa.asgi:application", "wsgi": "polosa.wsgi:application"}


def granian_command(
    host: str,
    port: int,
    workers: int,
    interface: str,
    max_rss: int,
    threads: int,
    uploads: list[tuple[str, Path]] | None = None,
) -> list[str]:
    """The granian command line `serve` runs (the benchmark starts the same one); `uploads` defaults to
    :func:`public_uploads`, whose folders it creates (granian refuses a mount that does not exist)."""
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        interface,  # asginl: ASGI without lifespan events, which Django does not use
        "--host",
        host,
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--backlog",
        "2048",
        "--respawn-failed-workers",
        "--log-level",
        "warning",
        "--no-ws",
    ]
    if interface == "wsgi":
        command += ["--blocking-threads", str(threads)]
    if max_rss:
        # A worker that grows past this is replaced after its requests finish: a leak costs a restart,
        # not the machine.
        command += ["--workers-max-rss", str(max_rss)]
    for route, folder in public_uploads() if uploads is None else uploads:
        folder.mkdir(parents=True, exist_ok=True)
        command += ["--static-path-route", route, "--static-path-mount", str(folder)]
    return [*command, INTERFACES[interface]]


class Command(BaseCommand):
    help = (
        "Collect hashed, compressed static files and serve the site with granian "
        "(run with DJANGO_SETTINGS_MODULE=polosa.settings.production, as `make serve` does)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default=settings.POLOSA_SERVER_HOST)
        parser.add_argument("--port", type=int, default=settings.POLOSA_SERVER_PORT)
        parser.add_argument(
            "--workers",
            type=int,
            default=settings.POLOSA_SERVER_WORKERS,
            help="Server processes (default: WEB_CONCURRENCY or one per CPU).",
        )
        parser.add_argument(
            "--interface",
            choices=sorted(INTERFACES),
            default=settings.POLOSA_SERVER_INTERFACE,
            help="asginl (default; needed for event streams) or wsgi.",
        )
        parser.add_argument("--threads", type=int, default=4, help="Threads per worker under wsgi.")
        parser.add_argument(
            "--max-rss",
            type=int,
            default=settings.POLOSA_WORKER_MAX_RSS_MB,
            help="Replace a worker whose memory grows past this many MB (0: never).",
        )
        parser.add_argument("--skip-collectstatic", action="store_true")
        parser.add_argument(
            "--print-command", action="store_true", help="Print the server command, run nothing."
        )

    def handle(self, *args, host, port, workers, interface, threads, max_rss, skip_collectstatic, **options):
        command = granian_command(host, port, workers, interface, max_rss, threads)
        if options["print_command"]:
            self.stdout.write(" ".join(command))
            return
        if settings.DEBUG:
            raise CommandError(
                "`serve` is for production settings (DEBUG is on); use `make run` for the demo."
            )
        if not skip_collectstatic:
            self.stdout.write("Collecting hashed, compressed static files ...")
            call_command("collectstatic", interactive=False, verbosity=0)
        if not shutil.which(command[0]):
            raise CommandError(f"{command[0]} is not executable")
        self.stdout.write(
            self.style.SUCCESS(
                f"Serving http://{host}:{port}/ with {workers} {interface} worker(s) (Ctrl+C stops)."
            )
        )
        sys.stdout.flush()
        os.execv(command[0], command)  # noqa: S606 - a fixed argument list; granian replaces this process
