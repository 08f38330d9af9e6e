"""Rate sources. `get_provider()` builds the one named in ``POLOSA_RATES_PROVIDER``."""

from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from .base import (
    CurrencyInfo,
    DocumentError,
    FetchError,
    ParsedRate,
    RateDocument,
    RateProvider,
    RatesError,
    Response,
    Transport,
)

__all__ = [
    "CurrencyInfo",
    "DocumentError",
    "FetchError",
    "ParsedRate",
    "RateDocument",
    "RateProvider",
    "RatesError",
    "Response",
    "Transport",
    "get_provider",
]


def get_provider(transport: Transport | None = None, **options) -> RateProvider:
    cls = import_string(settings.POLOSA_RATES_PROVIDER)
    options.setdefault("timeout", settings.POLOSA_RATES_TIMEOUT)
    options.setdefault("attempts", settings.POLOSA_RATES_ATTEMPTS)
    options.setdefault("backoff", settings.POLOSA_RATES_BACKOFF)
    return cls(transport, **options)
