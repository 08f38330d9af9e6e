"""Validating and storing rate documents: the one path every import takes.

The command, the worker's task, the demo and the saved-documents backfill all end in `store()`.
A document is stored whole or not at all: any error leaves the rates already stored untouched.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from polosa.caching import invalidate_on_commit, keys

from .models import Currency, Rate
from .providers import DocumentError, RateDocument, RateProvider, RatesError, get_provider
from .providers.cbr import parse_document

logger = logging.getLogger("polosa.rates")


@dataclass
class StoreResult:
    document: RateDocument
    new: int = 0
    changed: int = 0
    unchanged: int = 0

    @property
    def stored(self) -> int:
        return self.new + self.changed

    def describe(self) -> str:
        doc = self.document
        if doc.kind == "daily":
            what = f"rates for {doc.date:%d.%m.%Y}"
        else:
            days = sorted({r.date for r in doc.rates})
            span = f"{days[0]:%d.%m.%Y}–{days[-1]:%d.%m.%Y}" if days else "no dates"
            what = f"history of {doc.extra.get('bank_id', '?')}, {span}"
        return (
            f"{what}: {len(doc.rates)} rates, {self.new} new, {self.changed} changed, "
            f"{self.unchanged} unchanged"
        )


def moscow_today() -> date:
    """Today in Moscow, where the bank sets its rates (whatever the newsroom's own zone)."""
    from zoneinfo import ZoneInfo

    return timezone.now().astimezone(ZoneInfo("Europe/Moscow")).date()


def validate(document: RateDocument, today: date | None = None) -> None:
    """Refuse a document that must not be stored; the message names the problem."""
    today = today or moscow_today()
    # The bank sets a rate on the afternoon before it takes effect, never earlier.
    latest_allowed = today + timedelta(days=1)
    future = [r.date for r in document.rates if r.date > latest_allowed]
    if future:
        raise DocumentError(
            f"the document has rates for {max(future):%d.%m.%Y}, a date in the future "
            f"(the latest possible is tomorrow, {latest_allowed:%d.%m.%Y})"
        )
    if document.kind == "daily":
        codes = {r.currency.code for r in document.rates}
        missing = [c for c in settings.POLOSA_RATES_REQUIRED_CURRENCIES if c not in codes]
        if missing:
            raise DocumentError(
                f"the document for {document.date:%d.%m.%Y} has no rate for {', '.join(missing)}: "
                "a partial or broken document"
            )


def _currencies_for(document: RateDocument) -> dict[str, Currency]:
    """The Currency row of each bank ID in the document, creating those first seen in a daily one."""
    infos = {r.currency.bank_id: r.currency for r in document.rates}
    found = {c.bank_id: c for c in Currency.objects.filter(bank_id__in=infos)}
    for bank_id, info in infos.items():
        currency = found.get(bank_id)
        if currency is None:
            if not info.code:
                raise DocumentError(
                    f"unknown currency {bank_id}: import a daily document first, "
                    "so its code and name are known"
                )
            currency = Currency.objects.filter(code=info.code).first() or Currency(code=info.code)
            currency.bank_id, currency.num_code, currency.name = bank_id, info.num_code, info.name
            currency.save()
            found[bank_id] = currency
        elif info.name and (currency.name, currency.num_code) != (info.name, info.num_code):
            currency.name, currency.num_code = info.name, info.num_code
            currency.save(update_fields=["name", "num_code"])
    return found


def store(document: RateDocument, today: date | None = None) -> StoreResult:
    """Validate and upsert a document's rates; re-storing the same document changes nothing."""
    validate(document, today)
    try:
        return _store(document)
    except IntegrityError:
        # Another importer (the worker and a hand-run command) stored the same day between our read
        # and our write; its rows are committed now, so a second pass compares against them.
        logger.info("rates: another import stored %s at the same time; comparing with it", document.source)
        return _store(document)


def _existing_rates(currency_ids: set[int], days: set[date]) -> dict:
    return {
        (rate.currency_id, rate.date): rate
        for rate in Rate.objects.filter(currency_id__in=currency_ids, date__in=days)
    }


def _store(document: RateDocument) -> StoreResult:
    result = StoreResult(document)
    with transaction.atomic():
        currencies = _currencies_for(document)
        ids = {c.pk for c in currencies.values()}
        days = {r.date for r in document.rates}
        existing = _existing_rates(ids, days)
        new, changed = [], []
        for parsed in document.rates:
            currency = currencies[parsed.currency.bank_id]
            rate = existing.get((currency.pk, parsed.date))
            if rate is None:
                new.append(
                    Rate(
                        currency=currency,
                        date=parsed.date,
                        nominal=parsed.nominal,
                        value=parsed.value,
                        unit_value=parsed.unit_value,
                    )
                )
            elif (rate.nominal, rate.value, rate.unit_value) != (
                parsed.nominal,
                parsed.value,
                parsed.unit_value,
            ):
                logger.warning(
                    "rates: %s on %s corrected by the bank: %s/%s → %s/%s",
                    currency.code,
                    parsed.date,
                    rate.value,
                    rate.nominal,
                    parsed.value,
                    parsed.nominal,
                )
                rate.nominal, rate.value, rate.unit_value = parsed.nominal, parsed.value, parsed.unit_value
                changed.append(rate)
            else:
                result.unchanged += 1
        Rate.objects.bulk_create(new, batch_size=500)
        if changed:
            Rate.objects.bulk_update(changed, ["nominal", "value", "unit_value", "imported_at"])
        result.new, result.changed = len(new), len(changed)
        if result.stored:
            invalidate_on_commit(keys.RATES)
    return result


def _log_stored(result: StoreResult, source: str) -> None:
    logger.info("rates: stored %s (from %s)", result.describe(), source)


def import_day(day: date, provider: RateProvider | None = None) -> StoreResult:
    """Fetch and store the document in effect on `day`."""
    provider = provider or get_provider()
    document = provider.daily(day)
    result = store(document)
    _log_stored(result, document.source or provider.name)
    return result


def import_latest(provider: RateProvider | None = None) -> StoreResult:
    """The newest rates: ask for tomorrow's, which the bank has after it sets them in the afternoon
    (until then it answers with today's)."""
    return import_day(moscow_today() + timedelta(days=1), provider)


def import_range(
    start: date,
    end: date,
    provider: RateProvider | None = None,
    progress: Callable[[int, date], None] | None = None,
) -> list[StoreResult]:
    """Backfill day by day. Days answered by the same document (weekends, holidays) store it once.

    A bad day stops the backfill with its error; what was stored before it stays.
    """
    provider = provider or get_provider()
    results: list[StoreResult] = []
    seen: set[date] = set()
    day = start
    while day <= end:
        document = provider.daily(day)
        if document.date not in seen:
            seen.add(document.date)
            results.append(store(document))
        if progress is not None:
            progress(1, day)
        day += timedelta(days=1)
    new = sum(r.new for r in results)
    changed = sum(r.changed for r in results)
    logger.info(
        "rates: backfill %s–%s stored %d documents: %d new, %d changed rates",
        f"{start:%d.%m.%Y}",
        f"{end:%d.%m.%Y}",
        len(results),
        new,
        changed,
    )
    return results


def import_history(code: str, start: date, end: date, provider: RateProvider | None = None) -> StoreResult:
    """One currency's history over a range, from the bank's per-currency service."""
    provider = provider or get_provider()
    currency = Currency.objects.filter(code=code.upper()).first()
    if currency is None:
        raise RatesError(f"unknown currency {code!r}: import a daily document first")
    document = provider.history(currency.bank_id, start, end)
    result = store(document)
    _log_stored(result, document.source or provider.name)
    return result


def import_file(path: str | Path) -> StoreResult:
    """Store a saved document (daily or history) from a file."""
    path = Path(path)
    try:
        body = path.read_bytes()
    except OSError as error:
        raise RatesError(f"cannot read {path}: {error.strerror}") from None
    result = store(parse_document(body, source=str(path)))
    _log_stored(result, str(path))
    return result
