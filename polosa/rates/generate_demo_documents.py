"""Write the demo's rate documents (run once; the output is committed under demo_documents/).

    .venv/bin/python -m polosa.rates.generate_demo_documents

The values are a seeded random walk: demo data in the bank's format, NOT the bank's rates. The demo
loader moves them by whole weeks so the newest falls on today or tomorrow (see demo.py).
"""

from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

from .documents import effective_dates, write_daily_documents

FOLDER = Path(__file__).resolve().parent / "demo_documents"
LAST_DAY = date(2026, 11, 28)  # a Saturday: the newest demo document
# A week more than the demo shows, so that moved by whole weeks they still cover 60 days.
DAYS = 67
# Russia's Unity Day (4 November) is a holiday: no rate takes effect the day after it.
HOLIDAYS = frozenset({date(2026, 11, 5)})


def main() -> None:
    if FOLDER.exists():
        shutil.rmtree(FOLDER)
    days = effective_dates(LAST_DAY - timedelta(days=DAYS - 1), LAST_DAY, HOLIDAYS)
    count = write_daily_documents(FOLDER, days)
    print(f"wrote {count} demo documents to {FOLDER}")  # noqa: T201


if __name__ == "__main__":
    main()
