"""How long a 365-day backfill of Bank of Russia rates takes from saved documents.

    python -m benchmarks.rates_backfill [--days 365]      # the configured database
    make bench-rates                                       # the same, migrating first

Writes one daily document per effective date (13 currencies, Tuesday to Saturday, the bank's exact
format, invented values) into a temporary folder, then times ``import_rates``' backfill path
(`importing.import_range` over `SavedDocumentsTransport`: one request per calendar day, each
document parsed, validated and stored once) twice: cold (no rates in the range) and again (every
rate already stored, nothing written). The range is in 2019, far from the demo's dates, and its
rates are deleted before and after. Results also go to var/bench/rates_backfill.json.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import django

END = date(2019, 12, 31)


def run(days: int, stream=sys.stdout) -> dict:
    from polosa.rates import importing
    from polosa.rates.documents import effective_dates, write_daily_documents
    from polosa.rates.models import Rate
    from polosa.rates.providers.cbr import CbrProvider
    from polosa.rates.providers.saved import SavedDocumentsTransport

    start = END - timedelta(days=days - 1)
    in_range = Rate.objects.filter(date__gte=start, date__lte=END)
    in_range.delete()
    with tempfile.TemporaryDirectory() as folder:
        documents = write_daily_documents(folder, effective_dates(start, END), seed=2019)
        provider = CbrProvider(SavedDocumentsTransport(folder), attempts=1)
        began = time.perf_counter()
        cold = importing.import_range(start, END, provider)
        cold_seconds = time.perf_counter() - began
        began = time.perf_counter()
        again = importing.import_range(start, END, provider)
        again_seconds = time.perf_counter() - began
    result = {
        "days": days,
        "documents": documents,
        "rates_stored": sum(r.new for r in cold),
        "unchanged_on_repeat": sum(r.unchanged for r in again),
        "cold_seconds": round(cold_seconds, 2),
        "repeat_seconds": round(again_seconds, 2),
        "database": django.db.connection.vendor,
    }
    in_range.delete()
    print(
        f"{days}-day backfill from saved documents on {result['database']}: {documents} documents, "
        f"{result['rates_stored']} rates in {cold_seconds:.2f} s; "
        f"repeated (nothing to store) in {again_seconds:.2f} s",
        file=stream,
    )
    return result


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--json", default="var/bench/rates_backfill.json")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polosa.settings.dev")
    django.setup()
    import logging

    logging.getLogger("polosa.rates").setLevel(logging.WARNING)
    result = run(args.days)
    path = Path(args.json)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
