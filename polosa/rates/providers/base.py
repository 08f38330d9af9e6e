"""The shape every rate source takes.

A provider fetches documents and turns them into `RateDocument`s; storing them is the job of
`polosa.rates.importing`, so every source is validated and stored the same way. A subclass
implements `daily` (and `history` if the source offers per-currency history); the HTTP transport
is injected, so tests (and the saved-documents import) never touch the network.
"""

from __future__ import annotations

import logging
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal

logger = logging.getLogger(__name__)


class RatesError(Exception):
    """Anything that keeps a document from being stored; the message is meant for an operator."""


class FetchError(RatesError):
    """The source could not be reached or answered with an error (after the retries)."""


class DocumentError(RatesError):
    """The source answered, but not with a valid rates document."""


@dataclass(frozen=True)
class CurrencyInfo:
    bank_id: str
    code: str = ""
    num_code: str = ""
    name: str = ""


@dataclass(frozen=True)
class ParsedRate:
    currency: CurrencyInfo
    date: date
    nominal: int
    value: Decimal  # as published, for `nominal` units
    unit_value: Decimal


@dataclass(frozen=True)
class RateDocument:
    """The rates of one document: a day's rates (kind "daily") or one currency's history."""

    kind: str
    rates: tuple[ParsedRate, ...]
    date: date | None = None  # the daily document's effective date
    source: str = ""
    extra: dict = field(default_factory=dict, compare=False)

    def shifted(self, days: int) -> RateDocument:
        """The same document moved `days` days (the demo re-dates its shipped documents)."""
        from datetime import timedelta

        delta = timedelta(days=days)
        return replace(
            self,
            date=self.date + delta if self.date else None,
            rates=tuple(replace(r, date=r.date + delta) for r in self.rates),
        )


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


Transport = Callable[[str, float], Response]


def urllib_transport(url: str, timeout: float) -> Response:
    """The default transport: a plain GET. Raises OSError (incl. timeouts) on network failure."""
    request = urllib.request.Request(url, headers={"User-Agent": "Polosa rates import"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            return Response(answer.status, answer.headers.get("Content-Type", ""), answer.read())
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers.get("Content-Type", "") if error.headers else "", b"")


def _describe(error: BaseException) -> str:
    """'ConnectionRefusedError: [Errno 111] Connection refused', not urllib's '<urlopen error …>'."""
    reason = getattr(error, "reason", None)
    if isinstance(error, urllib.error.URLError) and isinstance(reason, BaseException):
        error = reason
    return f"{type(error).__name__}: {error}"


class RateProvider:
    """Base class of rate sources.

    Subclasses set `name` and implement `daily(day)`; `history(bank_id, start, end)` is optional.
    `fetch(url)` gives them timeouts and retries with exponential backoff for free.
    """

    name = "base"

    def __init__(
        self,
        transport: Transport | None = None,
        *,
        timeout: float = 10.0,
        attempts: int = 3,
        backoff: float = 2.0,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.transport = transport or urllib_transport
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.backoff = backoff
        self.sleep = sleep

    def daily(self, day: date) -> RateDocument:
        """The rates in effect on `day` (the source may answer with the latest earlier document)."""
        raise NotImplementedError

    def history(self, bank_id: str, start: date, end: date) -> RateDocument:
        raise NotImplementedError(f"{self.name} offers no per-currency history")

    def fetch(self, url: str) -> bytes:
        """GET `url`; retry network failures and server errors, never a bad document."""
        last_error = ""
        for attempt in range(1, self.attempts + 1):
            try:
                response = self.transport(url, self.timeout)
            except (OSError, TimeoutError) as error:  # socket.timeout and URLError are OSErrors
                last_error = _describe(error)
            else:
                if response.status == 200:
                    return response.body
                last_error = f"HTTP {response.status}"
                if response.status < 500 and response.status != 429:
                    break
            if attempt < self.attempts:
                delay = self.backoff * 2 ** (attempt - 1)
                # INFO: a retry is not yet a failure; the caller logs the one line if all fail.
                logger.info(
                    "rates: %s failed (%s), attempt %d of %d; retrying in %.0f s",
                    url,
                    last_error,
                    attempt,
                    self.attempts,
                    delay,
                )
                self.sleep(delay)
        raise FetchError(f"could not fetch {url}: {last_error}")
