"""Read agency documents into the inbox by hand: files for a source, or one poll of every due feed.

manage.py wire_ingest --source vestnik path/to/*.xml     # these files, as if dropped in its folder
manage.py wire_ingest --poll                              # poll the due feeds and watch the folders once
"""

import logging
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from polosa.wire import ingest, transports
from polosa.wire.models import Source

logger = logging.getLogger("polosa.wire")


class Command(BaseCommand):
    help = "Ingest agency documents from files, or poll the feeds and folders once."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="*", help="NewsML-G2, ninjs, RSS or Atom files")
        parser.add_argument("--source", help="the source's code (slug) the files came from")
        parser.add_argument("--poll", action="store_true", help="poll due feeds and watch folders once")

    def handle(self, *args, **options):
        if options["poll"]:
            feeds = transports.poll_due_feeds()
            files = transports.watch_folders()
            self.stdout.write(f"{feeds} feed(s) polled, {files} file(s) read from folders")
            return
        if not options["source"] or not options["files"]:
            raise CommandError("give --source and files, or --poll")
        try:
            source = Source.objects.get(slug=options["source"])
        except Source.DoesNotExist:
            raise CommandError(f"no source with the code {options['source']!r}") from None
        paths = [Path(name) for name in options["files"]]
        results = ingest.ingest_documents(
            [(path.read_bytes(), path.name, "") for path in paths], source=source, transport="command"
        )
        for path, result in zip(paths, results, strict=True):
            if result.ok:
                self.stdout.write(
                    f"{path.name}: {result.created} new, {result.updated} updated, "
                    f"{result.withdrawn} withdrawn, {result.duplicates} duplicates"
                )
            else:
                self.stderr.write(f"{path.name}: refused: {result.error}")
