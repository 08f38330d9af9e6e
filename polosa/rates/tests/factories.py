"""Factories and fakes for the rates tests: rows in the database and a scripted network."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import factory

from polosa.rates.models import Currency, Rate
from polosa.rates.providers import Response

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


class CurrencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Currency
        django_get_or_create = ("code",)

    code = "USD"
    bank_id = factory.Sequence(lambda n: f"R9{n:04d}")
    name = "Доллар США"


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    currency = factory.SubFactory(CurrencyFactory)
    date = date(2026, 1, 24)
    nominal = 1
    value = Decimal("75.9200")
    unit_value = factory.LazyAttribute(lambda o: Decimal(o.value) / o.nominal)


class FakeTransport:
    """Answers requests from a script: each item is a Response or an exception to raise."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.urls: list[str] = []
        self.timeouts: list[float] = []

    def __call__(self, url: str, timeout: float) -> Response:
        self.urls.append(url)
        self.timeouts.append(timeout)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if isinstance(answer, BaseException):
            raise answer
        return answer


def ok(body: bytes) -> Response:
    return Response(200, "application/xml; charset=windows-1251", body)
