"""/rates/: every currency on a chosen date, one currency's history as a chart, and CSV downloads."""

from __future__ import annotations

import csv
from datetime import timedelta

from django.conf import settings
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from polosa.caching import depends_on, do_not_cache, keys
from polosa.core.forms import value_or_404

from . import chart, formatting, queries
from .forms import PERIODS, RatesQueryForm
from .importing import moscow_today
from .models import Currency
from .widget import day_label, quote_context, rate_title


def _currency(currency_code: str, currencies: list[Currency]) -> Currency | None:
    by_code = {c.code: c for c in currencies}
    if currency_code:
        if currency_code not in by_code:
            raise Http404(_("There is no such currency."))
        return by_code[currency_code]
    for code in settings.POLOSA_RATES_WIDGET_CURRENCIES:
        if code in by_code:
            return by_code[code]
    return currencies[0] if currencies else None


def _chart_points(rates) -> list[chart.Point]:
    # Shown for the latest nominal, so a change of nominal does not break the line.
    nominal = rates[-1].nominal
    return [chart.Point(r.date, r.value if r.nominal == nominal else r.unit_value * nominal) for r in rates]


def rates_page(request):
    depends_on(keys.RATES, keys.SITE)
    today = moscow_today()
    form = RatesQueryForm(request.GET)
    chosen = value_or_404(form, "date")
    period = value_or_404(form, "days")
    currencies = list(Currency.objects.all())
    currency = _currency(value_or_404(form, "currency"), currencies)
    effective, quotes = queries.quotes_on(chosen or today + timedelta(days=1))
    context = {
        "rates_page": True,
        "chosen": chosen,
        "effective": effective,
        "effective_label": day_label(effective, today) if effective else "",
        "rows": [quote_context(q, places=4, today=today) for q in quotes],
        "currencies": currencies,
        "currency": currency,
        "period": period,
        "periods": PERIODS,
        "current_crumb": _("Currency rates"),
        "canonical_url": settings.SITE_URL + reverse("rates:page"),
    }
    if currency is not None and effective is not None:
        # The chart ends where the table does: the newest rates in effect (stale ones too, with their date).
        end = effective
        rates = queries.history(currency, end, period)
        if rates:
            points = _chart_points(rates)
            nominal = rates[-1].nominal
            title = rate_title(currency.code)
            if nominal != 1:
                title = _("%(title)s per %(nominal)s") % {"title": title, "nominal": nominal}
            context["chart"] = chart.render_svg(points, title)
            context["chart_title"] = title
            context["chart_rows"] = [
                (p.day, chart.long_day(p.day), formatting.number(p.value, 4)) for p in reversed(points)
            ]
        query = {"currency": currency.code}
        if chosen:
            query["date"] = chosen.isoformat()
        context["period_links"] = [(days, urlencode({**query, "days": days})) for days in PERIODS]
        context["history_csv"] = urlencode(
            {"currency": currency.code, "days": period, "end": end.isoformat()}
        )
    if effective is not None:
        context["table_csv"] = urlencode({"date": effective.isoformat()})
    return render(request, "rates/rates_page.html", context)


def rates_csv(request):
    """`?date=` every currency on a date; `?currency=&days=[&end=]` one currency's history."""
    # The page cache keeps no Content-Disposition, and a download without its file name is worse
    # than a few cheap queries; downloads are rare next to page views.
    do_not_cache("a CSV download keeps its file name")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    form = RatesQueryForm(request.GET)
    if request.GET.get("currency"):
        currencies = list(Currency.objects.all())
        currency = _currency(value_or_404(form, "currency"), currencies)
        period = value_or_404(form, "days")
        end = value_or_404(form, "end") or moscow_today() + timedelta(days=1)
        rows = queries.history(currency, end, period)
        filename = f"rates-{currency.code}-{end.isoformat()}-{period}d.csv"
        writer.writerow(["date", "code", "nominal", "value", "unit_value"])
        for rate in rows:
            writer.writerow([rate.date.isoformat(), currency.code, rate.nominal, rate.value, rate.unit_value])
    else:
        effective, quotes = queries.quotes_on(
            value_or_404(form, "date") or moscow_today() + timedelta(days=1)
        )
        if effective is None:
            raise Http404(_("No rates are stored yet."))
        filename = f"rates-{effective.isoformat()}.csv"
        writer.writerow(["date", "code", "bank_id", "name", "nominal", "value", "change"])
        for q in quotes:
            writer.writerow(
                [
                    q.date.isoformat(),
                    q.currency.code,
                    q.currency.bank_id,
                    q.currency.name,
                    q.nominal,
                    q.value,
                    "" if q.change is None else q.change,
                ]
            )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
