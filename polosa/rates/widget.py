"""The rates widget beside the home and article pages: "Курс доллара на 24 января — USD ЦБ: 75,92 (▼ −0,11)".

Hidden when no rate is stored; when today's rate is missing it shows the last known one with its
own date (never a made-up figure). The bank's afternoon document is tomorrow's rate, so the widget
shows rates up to tomorrow, as the newsroom's readers expect after the bank has set them.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _

from polosa.caching import depends_on, includes, keys
from polosa.core import dates

from . import formatting, queries
from .importing import moscow_today


def rate_title(code: str) -> str:
    """ "Курс доллара": the genitive the reader expects for the common currencies, the code otherwise."""
    titles = {
        "USD": _("US dollar rate"),
        "EUR": _("Euro rate"),
        "CNY": _("Yuan rate"),
        "GBP": _("Pound sterling rate"),
        "JPY": _("Yen rate"),
        "CHF": _("Swiss franc rate"),
    }
    return titles.get(code) or _("%(code)s rate") % {"code": code}


def day_label(day, today=None) -> str:
    """ "24 января", with the year when it is not the current one."""
    today = today or moscow_today()
    label = f"{day.day} {dates.genitive_month(day.month)}"
    return label if day.year == today.year else f"{label} {day.year}"


def quote_context(quote: queries.Quote, places: int = 2, today=None) -> dict:
    trend = formatting.direction(quote.change, places)
    return {
        "quote": quote,
        "code": quote.currency.code,
        "name": quote.currency.name,
        "title": rate_title(quote.currency.code),
        "day": day_label(quote.date, today),
        "value": formatting.number(quote.value, places),
        "nominal": quote.nominal if quote.nominal != 1 else None,
        "change": formatting.number(quote.change, places, signed=True) if quote.change is not None else "",
        "trend": trend,
        "arrow": formatting.ARROWS.get(trend, ""),
    }


def render_widget() -> str:
    depends_on(keys.RATES)
    today = moscow_today()
    codes = list(settings.POLOSA_RATES_WIDGET_CURRENCIES)
    quotes = queries.latest_quotes(codes, today + timedelta(days=1))
    if not quotes:
        return ""
    return render_to_string("rates/widget.html", {"lines": [quote_context(q, today=today) for q in quotes]})


def widget_html() -> str:
    """The widget as an edge include: a rates import re-renders it once, not every page."""
    return includes.include("rates-widget")


def edge_includes() -> list[includes.Include]:
    """The pieces this app declares (hook ``polosa_includes``)."""
    # The newest shown date depends on the day, so the stored widget does too.
    return [includes.Include("rates-widget", lambda params: render_widget(), daily=True)]


def _shows_widget(context) -> bool:
    from polosa.front.models import HomePage
    from polosa.news.models import ArticlePage

    return isinstance(context.get("page"), HomePage | ArticlePage)


def rates_widget(request, context) -> str:
    """The sidebar component: on the front page and article pages only."""
    if not _shows_widget(context):
        return ""
    return widget_html()


def assets(request, context) -> str:
    if not (_shows_widget(context) or context.get("rates_page")):
        return ""
    return format_html('<link rel="stylesheet" href="{}">', static("rates/rates.css"))
