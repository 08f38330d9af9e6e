"""Reading rates for the widget, the rates page and the CSV download.

The change of a rate is taken against the previous stored effective date of the same currency:
after a weekend or a holiday that is several calendar days back.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import OuterRef, Q, Subquery

from .models import Currency, Rate


@dataclass(frozen=True)
class Quote:
    currency: Currency
    date: date
    nominal: int
    value: Decimal
    previous_date: date | None = None
    change: Decimal | None = None  # for `nominal` units, like `value`

    @property
    def unit_value(self) -> Decimal:
        return self.value / self.nominal


def _quote(rate: Rate, previous: Rate | None) -> Quote:
    change = None
    if previous is not None:
        if previous.nominal == rate.nominal:
            change = rate.value - previous.value
        else:  # the bank changed the nominal: compare per unit, shown for the new nominal
            change = (rate.unit_value - previous.unit_value) * rate.nominal
    return Quote(
        currency=rate.currency,
        date=rate.date,
        nominal=rate.nominal,
        value=rate.value,
        previous_date=previous.date if previous else None,
        change=change,
    )


def latest_quotes(codes: list[str], until: date) -> list[Quote]:
    """For each code (in the given order), its newest rate on or before `until` and its change.

    Two queries whatever the history: the currencies with their latest and previous effective
    dates (subqueries on the (currency, date) index), then those rates; one when none is stored.
    """
    latest = (
        Rate.objects.filter(currency=OuterRef("pk"), date__lte=until).order_by("-date").values("date")[:1]
    )
    previous = (
        Rate.objects.filter(currency=OuterRef("pk"), date__lt=OuterRef("latest"))
        .order_by("-date")
        .values("date")[:1]
    )
    currencies = list(
        Currency.objects.filter(code__in=codes)
        .annotate(latest=Subquery(latest))
        .annotate(previous=Subquery(previous))
        .filter(latest__isnull=False)
    )
    if not currencies:
        return []
    wanted = Q()
    for currency in currencies:
        wanted |= Q(currency=currency, date=currency.latest)
        if currency.previous is not None:
            wanted |= Q(currency=currency, date=currency.previous)
    rates = {(r.currency_id, r.date): r for r in Rate.objects.filter(wanted)}
    by_code = {c.code: c for c in currencies}
    quotes = []
    for code in codes:
        currency = by_code.get(code)
        if currency is None:
            continue
        current = rates[(currency.pk, currency.latest)]
        current.currency = currency
        quotes.append(_quote(current, rates.get((currency.pk, currency.previous))))
    return quotes


def quotes_on(day: date) -> tuple[date | None, list[Quote]]:
    """Every currency's rate in effect on `day` (the latest effective date on or before it)."""
    effective = Rate.objects.latest_date(day)
    if effective is None:
        return None, []
    current = list(Rate.objects.filter(date=effective).select_related("currency"))
    previous_date = Rate.objects.filter(date__lt=effective).latest_date()
    previous = {}
    if previous_date is not None:
        previous = {r.currency_id: r for r in Rate.objects.filter(date=previous_date)}
    # A currency absent from the previous document (added since, or skipped) looks further back.
    for rate in current:
        if rate.currency_id not in previous:
            earlier = Rate.objects.filter(currency_id=rate.currency_id, date__lt=effective).order_by("-date")
            found = earlier.first()
            if found is not None:
                previous[rate.currency_id] = found
    quotes = [_quote(r, previous.get(r.currency_id)) for r in current]
    quotes.sort(key=lambda q: q.currency.code)
    return effective, quotes


def history(currency: Currency, end: date, days: int) -> list[Rate]:
    """The currency's rates over the `days` days up to `end`, oldest first."""
    return list(
        Rate.objects.filter(currency=currency, date__lte=end, date__gt=end - timedelta(days=days))
        .order_by("date")
        .only("date", "nominal", "value", "unit_value")
    )
