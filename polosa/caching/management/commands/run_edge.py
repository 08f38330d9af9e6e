"""Run Varnish in front of an app server, in the foreground, as `make edge` does."""

from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from polosa.caching import varnish


class Command(BaseCommand):
    help = (
        "Run Varnish (docs/deploy/varnish.vcl) in front of an app server until Ctrl-C, or write the "
        "concrete VCL for a system Varnish with --write-vcl."
    )

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1", help="Address Varnish listens on.")
        parser.add_argument("--port", type=int, default=settings.POLOSA_EDGE_PORT)
        parser.add_argument("--backend", default="127.0.0.1:8000", help="The app server, host:port.")
        parser.add_argument(
            "--probe-host",
            default="",
            help="Host header of the health probe; one of ALLOWED_HOSTS (default: SITE_URL's host).",
        )
        parser.add_argument(
            "--purger",
            action="append",
            default=[],
            help="An address or network allowed to purge, besides localhost (repeatable): the app servers.",
        )
        parser.add_argument("--storage", default=varnish.DEFAULT_STORAGE, help="varnishd -s (malloc,256m).")
        parser.add_argument(
            "--param",
            action="append",
            default=[],
            metavar="NAME=VALUE",
            help="Extra varnishd -p (repeatable).",
        )
        parser.add_argument("--workdir", type=Path, help="varnishd -n (default var/varnish/<port>).")
        parser.add_argument("--write-vcl", type=Path, metavar="PATH", help="Write the concrete VCL and exit.")
        parser.add_argument("--check", action="store_true", help="Compile the concrete VCL and exit.")

    def handle(
        self,
        *args,
        host,
        port,
        backend,
        probe_host,
        purger,
        storage,
        param,
        workdir,
        write_vcl,
        check,
        **options,
    ):
        try:
            backend_host, backend_port = varnish.parse_address(backend, 8000)
            config = varnish.EdgeConfig(
                backend_host=backend_host,
                backend_port=backend_port,
                probe_host=probe_host or urlsplit(settings.SITE_URL).hostname or "127.0.0.1",
                purgers=(*varnish.DEFAULT_PURGERS, *purger),
                grace_healthy=settings.POLOSA_STALE_WHILE_REVALIDATE,
                grace_fallback=settings.POLOSA_STALE_IF_ERROR,
            )
            params = dict(p.split("=", 1) for p in param if "=" in p)
            if len(params) != len(param):
                raise CommandError("--param takes NAME=VALUE")
            if write_vcl:
                varnish.write_vcl(config, write_vcl)
                self.stdout.write(f"Wrote {write_vcl}")
                return
            edge = varnish.Edge(
                config,
                port=port,
                listen_host=host,
                workdir=workdir,
                storage=storage,
                params=params,
                to_terminal=True,
            )
            if check:
                edge.workdir.mkdir(parents=True, exist_ok=True)
                varnish.compile_vcl(varnish.write_vcl(config, edge.vcl_path))
                self.stdout.write(f"{edge.vcl_path} compiles")
                return
            code = varnish.run(edge, announce=lambda line: self.stdout.write(self.style.SUCCESS(line)))
        except varnish.VarnishError as error:
            raise CommandError(str(error)) from error
        if code:
            raise CommandError(f"varnishd exited with {code}")
