from datetime import date

import pytest

from polosa.rates.forms import RatesQueryForm


def cleaned(**params):
    form = RatesQueryForm(params)
    form.is_valid()
    return form.cleaned_data, form.errors


def test_defaults_without_parameters():
    data, errors = cleaned()
    assert not errors
    assert data == {"date": None, "end": None, "days": 30, "currency": ""}


def test_good_parameters_clean():
    data, errors = cleaned(date="2026-01-27", end="1992-07-01", days=" 365 ", currency="usd")
    assert not errors
    assert data == {"date": date(2026, 1, 27), "end": date(1992, 7, 1), "days": 365, "currency": "USD"}


@pytest.mark.parametrize(
    ("param", "raw", "message"),
    [
        ("days", "7", "График строится за 30, 90 или 365 дней."),
        ("days", "abc", "График строится за 30, 90 или 365 дней."),
        ("currency", "US\x00", "Такой валюты нет."),
        ("currency", "USDT", "Такой валюты нет."),
        ("date", "2026-02-30", "Такого дня нет: укажите дату в виде ГГГГ-ММ-ДД."),
        ("end", "1991-12-31", "Такого дня нет: укажите дату в виде ГГГГ-ММ-ДД."),
    ],
)
def test_bad_parameters_carry_the_pages_message(param, raw, message):
    _, errors = cleaned(**{param: raw})
    assert errors[param] == [message]
