"""Writing documents in the Bank of Russia's exact format (windows-1251, comma decimals).

Used by the demo's document generator, the tests' factories and the backfill benchmark; the import
reads what this writes through the same parser as the bank's own documents.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from xml.sax.saxutils import escape


@dataclass(frozen=True)
class Listing:
    bank_id: str
    num_code: str
    code: str
    nominal: int
    name: str


# Real codes, IDs, nominals and names of the bank's list; values in generated documents are invented.
LISTINGS = (
    Listing("R01010", "036", "AUD", 1, "Австралийский доллар"),
    Listing("R01020A", "944", "AZN", 1, "Азербайджанский манат"),
    Listing("R01035", "826", "GBP", 1, "Фунт стерлингов Соединенного королевства"),
    Listing("R01060", "051", "AMD", 100, "Армянских драмов"),
    Listing("R01090B", "933", "BYN", 1, "Белорусский рубль"),
    Listing("R01135", "348", "HUF", 100, "Форинтов"),
    Listing("R01235", "840", "USD", 1, "Доллар США"),
    Listing("R01239", "978", "EUR", 1, "Евро"),
    Listing("R01335", "398", "KZT", 100, "Казахстанских тенге"),
    Listing("R01375", "156", "CNY", 1, "Юань"),
    Listing("R01717", "860", "UZS", 10000, "Узбекских сумов"),
    Listing("R01775", "756", "CHF", 1, "Швейцарский франк"),
    Listing("R01820", "392", "JPY", 100, "Японских иен"),
)
# Starting values for `nominal` units of each synthetic series.
START_VALUES = {
    "AUD": "52.4",
    "AZN": "47.1",
    "GBP": "106.3",
    "AMD": "20.8",
    "BYN": "27.2",
    "HUF": "24.1",
    "USD": "80.1",
    "EUR": "93.2",
    "KZT": "15.6",
    "CNY": "11.25",
    "UZS": "66.4",
    "CHF": "99.7",
    "JPY": "52.3",
}


def comma(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP):f}".replace(".", ",")


def unit_text(value: Decimal, nominal: int) -> str:
    unit = (value / nominal).normalize()
    text = f"{unit:f}"
    return text.replace(".", ",")


def daily_xml(day: date, rows: list[tuple[Listing, Decimal]], vunit: bool = True) -> bytes:
    """A daily document (``XML_daily.asp``) for `day` with (listing, value for the nominal) rows."""
    parts = [
        '<?xml version="1.0" encoding="windows-1251"?>'
        f'<ValCurs Date="{day:%d.%m.%Y}" name="Foreign Currency Market">'
    ]
    for listing, value in rows:
        parts.append(
            f'<Valute ID="{listing.bank_id}"><NumCode>{listing.num_code}</NumCode>'
            f"<CharCode>{listing.code}</CharCode><Nominal>{listing.nominal}</Nominal>"
            f"<Name>{escape(listing.name)}</Name><Value>{comma(value, 4)}</Value>"
            + (
                f"<VunitRate>{unit_text(value.quantize(Decimal('0.0001')), listing.nominal)}</VunitRate>"
                if vunit
                else ""
            )
            + "</Valute>"
        )
    parts.append("</ValCurs>")
    return "".join(parts).encode("windows-1251")


def effective_dates(start: date, end: date, holidays: frozenset[date] = frozenset()) -> list[date]:
    """Dates a rate takes effect: the bank sets rates Monday to Friday for the next day, so
    Tuesday to Saturday, minus the days after a holiday."""
    days = []
    day = start
    while day <= end:
        if day.isoweekday() in (2, 3, 4, 5, 6) and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def synthetic_series(days: list[date], seed: int = 2026) -> dict[date, list[tuple[Listing, Decimal]]]:
    """Invented rates: a small seeded random walk per currency (demo and benchmark data, not the bank's)."""
    rng = random.Random(seed)
    values = {code: Decimal(v) for code, v in START_VALUES.items()}
    documents = {}
    for day in days:
        rows = []
        for listing in LISTINGS:
            step = Decimal(str(round(rng.gauss(0, 0.006), 5)))
            values[listing.code] = (values[listing.code] * (1 + step)).quantize(Decimal("0.0001"))
            rows.append((listing, values[listing.code]))
        documents[day] = rows
    return documents


def write_daily_documents(folder, days: list[date], seed: int = 2026) -> int:
    """Write ``YYYY-MM-DD.xml`` daily documents for `days` into `folder`; return how many."""
    from pathlib import Path

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    series = synthetic_series(days, seed)
    for day, rows in series.items():
        (folder / f"{day.isoformat()}.xml").write_bytes(daily_xml(day, rows))
    return len(series)
