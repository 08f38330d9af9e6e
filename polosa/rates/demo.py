"""Demo rates: 60 days of documents shipped under demo_documents/, so the widget and charts work offline.

The documents are in the bank's exact format, but their values are INVENTED (a seeded random walk,
see generate_demo_documents.py): demo data, not the Bank of Russia's rates. They are moved by whole
weeks so that weekends stay weekends, the last 60 days up to tomorrow are kept (the newest is the
latest date a rate could take effect), and they are stored through the same validation and
storage as a real import.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from .importing import moscow_today, store
from .models import Rate
from .providers.cbr import parse_daily

FOLDER = Path(__file__).resolve().parent / "demo_documents"
DAYS = 60


def demo_documents(tomorrow=None):
    tomorrow = tomorrow or moscow_today() + timedelta(days=1)
    documents = [parse_daily(path.read_bytes(), source=str(path)) for path in sorted(FOLDER.glob("*.xml"))]
    newest = max(d.date for d in documents)
    weeks = -((newest - tomorrow).days // 7)  # whole weeks, rounded up: the newest lands on or after tomorrow
    moved = [d.shifted(weeks * 7) for d in documents]
    return [d for d in moved if tomorrow - timedelta(days=DAYS) < d.date <= tomorrow]


def load(stdout) -> None:
    if Rate.objects.exists():
        stdout.write("Rates: rates already stored, demo rates skipped.")
        return
    documents = demo_documents()
    for document in documents:
        store(document)
    stdout.write(
        f"Rates: {len(documents)} demo documents (invented values, not the bank's), "
        f"{documents[0].date:%d.%m.%Y}–{documents[-1].date:%d.%m.%Y}."
    )
