"""Import Bank of Russia rates: the newest, one date, a backfill, one currency's history or a saved file."""

from __future__ import annotations

import logging
import sys
import time
from datetime import date, datetime

from django.core.management.base import BaseCommand, CommandError

from polosa.rates import importing
from polosa.rates.providers import RatesError, get_provider
from polosa.rates.providers.saved import SavedDocumentsTransport

logger = logging.getLogger("polosa.rates")


def parse_day(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()  # noqa: DTZ007
        except ValueError:
            continue
    raise CommandError(f"not a date: {value!r} (use YYYY-MM-DD or dd.mm.yyyy)")


class Command(BaseCommand):
    help = (
        "Import Bank of Russia rates. Without options: the newest rates (tomorrow's once the bank has "
        "set them). Nothing from a bad document is stored; rates already stored stay as they are."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the rates in effect on this date (YYYY-MM-DD or dd.mm.yyyy)")
        parser.add_argument("--from", dest="start", help="backfill from this date ...")
        parser.add_argument("--to", dest="end", help="... to this date (default: today)")
        parser.add_argument(
            "--currency", help="with --from/--to: one currency's history (ISO code) in one request"
        )
        parser.add_argument("--file", help="store a saved document (daily or history) from this file")
        parser.add_argument(
            "--dir", help="answer daily requests from saved documents named YYYY-MM-DD.xml in this folder"
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar, even on a terminal")

    def handle(self, *args, **options):
        started = time.monotonic()
        try:
            message = self._run(options)
        except RatesError as error:
            logger.error("rates: import failed, nothing stored from the bad document: %s", error)
            raise CommandError(f"import failed: {error}") from None
        self.stdout.write(f"{message} ({time.monotonic() - started:.1f} s)")

    def _provider(self, options):
        if options["dir"]:
            try:
                return get_provider(SavedDocumentsTransport(options["dir"]), attempts=1)
            except FileNotFoundError as error:
                raise CommandError(str(error)) from None
        return get_provider()

    def _run(self, options) -> str:
        if options["file"]:
            return "Stored " + importing.import_file(options["file"]).describe()
        if options["start"] or options["end"]:
            if not options["start"]:
                raise CommandError("--to needs --from")
            start = parse_day(options["start"])
            end = parse_day(options["end"]) if options["end"] else importing.moscow_today()
            if end < start:
                raise CommandError("--to is before --from")
            if options["currency"]:
                result = importing.import_history(options["currency"], start, end, self._provider(options))
                return "Stored " + result.describe()
            return self._backfill(start, end, options)
        if options["currency"]:
            raise CommandError("--currency needs --from")
        provider = self._provider(options)
        if options["date"]:
            result = importing.import_day(parse_day(options["date"]), provider)
        else:
            result = importing.import_latest(provider)
        return "Stored " + result.describe()

    def _backfill(self, start: date, end: date, options) -> str:
        total = (end - start).days + 1
        provider = self._provider(options)
        bar = None
        if not options["no_progress"] and sys.stderr.isatty():
            from tqdm import tqdm

            bar = tqdm(total=total, unit="day", desc="rates", file=sys.stderr)

        done = 0

        def progress(step: int, day: date) -> None:
            nonlocal done
            done += step
            if bar is not None:
                bar.update(step)
            elif done % 30 == 0 or done == total:
                logger.info("rates: backfill %d of %d days (%s)", done, total, f"{day:%d.%m.%Y}")

        try:
            results = importing.import_range(start, end, provider, progress)
        finally:
            if bar is not None:
                bar.close()
        new = sum(r.new for r in results)
        changed = sum(r.changed for r in results)
        return f"Backfilled {total} days: {len(results)} documents, {new} new and {changed} changed rates"
