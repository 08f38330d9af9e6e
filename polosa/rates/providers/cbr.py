"""The Bank of Russia's XML services.

- Daily: ``XML_daily.asp?date_req=dd/mm/yyyy``: every currency's rate in effect on a date. The
  bank answers a date without its own document (a Sunday, a holiday, a day not yet set) with the
  latest earlier document, and the document's ``Date`` is the date the rates take effect: rates set
  on a Friday take effect on Saturday, and after the bank sets them in the afternoon, the document
  for tomorrow exists already.
- History: ``XML_dynamic.asp?date_req1=…&date_req2=…&VAL_NM_RQ=R01235``: one currency over a range.

Documents are windows-1251 XML with comma decimals. ``Nominal`` may be 1, 10, 100, 10 000; the rate per
unit is ``Value / Nominal`` (newer documents also carry it as ``VunitRate``; older history does not).
Currency IDs are strings and some end in a letter (``R01090B``).
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Literal, overload
from urllib.parse import urlencode
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from .base import CurrencyInfo, DocumentError, ParsedRate, RateDocument, RateProvider

BASE_URL = "https://www.cbr.ru/scripts/"
_NUMBER = re.compile(r"^-?\d{1,12}(?:,\d{1,10})?$")
_BANK_ID = re.compile(r"^R\d{5}[A-Z]?$")
_CODE = re.compile(r"^[A-Z]{3}$")
_NUM_CODE = re.compile(r"^\d{3}$")
# Names are Russian words: a name decoded with the wrong encoding ("Р”РѕР»Р»Р°СЂ") has characters
# outside this set, which is how a document saved or served in the wrong encoding is caught.
_NAME = re.compile(r"^[А-ЯЁа-яёA-Za-z0-9 .,()«»\"'\-–—]{2,100}$")
_ENCODING = re.compile(rb"^\s*<\?xml[^>]*\bencoding\s*=\s*[\"']([A-Za-z0-9_.\-]+)[\"']")
_ACCEPTED_ENCODINGS = {"windows-1251", "cp1251", "utf-8"}


def parse_date(text: str | None, what: str) -> date:
    try:
        return datetime.strptime((text or "").strip(), "%d.%m.%Y").date()  # noqa: DTZ007
    except ValueError:
        raise DocumentError(f"{what} is not a date in the form dd.mm.yyyy: {text!r}") from None


def parse_number(text: str | None, what: str) -> Decimal:
    """ "75,9200" → Decimal("75.9200"); refuses anything else, and zero or negative values."""
    raw = (text or "").strip()
    if not _NUMBER.match(raw):
        raise DocumentError(f"{what} is not a number with a decimal comma: {raw!r}")
    try:
        number = Decimal(raw.replace(",", "."))
    except InvalidOperation:  # pragma: no cover - the pattern already rules this out
        raise DocumentError(f"{what} is not a number: {raw!r}") from None
    if number <= 0:
        raise DocumentError(f"{what} is zero or negative: {raw}")
    return number


def parse_nominal(text: str | None, what: str) -> int:
    raw = (text or "").strip()
    if not raw.isdigit() or int(raw) <= 0 or int(raw) > 1_000_000:
        raise DocumentError(f"{what}: nominal is not a positive whole number: {raw!r}")
    return int(raw)


def _unit_value(value: Decimal, nominal: int, vunit: str | None, what: str) -> Decimal:
    unit = value / nominal
    if vunit is not None:
        published = parse_number(vunit, f"{what}: VunitRate")
        # VunitRate is Value / Nominal as the bank rounds it; anything else is a broken document.
        if abs(published - unit) > Decimal("0.0001"):
            raise DocumentError(f"{what}: VunitRate {published} does not match Value/Nominal {unit}")
    return unit.quantize(Decimal("0.00000001"))


@overload
def _text(element: Element, tag: str, what: str, required: Literal[True] = ...) -> str: ...
@overload
def _text(element: Element, tag: str, what: str, required: bool) -> str | None: ...
def _text(element: Element, tag: str, what: str, required: bool = True) -> str | None:
    child = element.find(tag)
    if child is None or child.text is None or not child.text.strip():
        if required:
            raise DocumentError(f"{what} has no {tag}")
        return None
    return child.text.strip()


def parse_xml(body: bytes) -> Element:
    """The document's root element, or a DocumentError saying plainly what is wrong with it."""
    head = body[:512].lstrip().lower()
    if not head:
        raise DocumentError("the document is empty")
    if head.startswith((b"<!doctype html", b"<html")) or b"<html" in head:
        raise DocumentError("the answer is an HTML page, not an XML rates document (an error page?)")
    declared = _ENCODING.match(body[:200])
    if declared and declared.group(1).decode("ascii").lower() not in _ACCEPTED_ENCODINGS:
        raise DocumentError(
            f"unexpected encoding {declared.group(1).decode('ascii')!r}: expected windows-1251"
        )
    try:
        return fromstring(body, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as error:
        raise DocumentError(f"the document uses forbidden XML constructs ({type(error).__name__})") from None
    except ParseError as error:
        raise DocumentError(f"malformed or truncated XML, or a wrong encoding: {error}") from None


def _check_name(name: str, what: str) -> str:
    if not _NAME.match(name):
        raise DocumentError(f"{what}: name {name!r} is not readable text (a wrong encoding?)")
    return name


def parse_daily(body: bytes, source: str = "") -> RateDocument:
    root = parse_xml(body)
    if root.tag != "ValCurs" or root.get("Date") is None:
        raise DocumentError(f"not a daily rates document (root element <{root.tag}>)")
    day = parse_date(root.get("Date"), "the document's Date")
    rates: list[ParsedRate] = []
    seen: set[str] = set()
    for valute in root.iter("Valute"):
        bank_id = (valute.get("ID") or "").strip()
        what = f"currency {bank_id or '?'}"
        if not _BANK_ID.match(bank_id):
            raise DocumentError(f"a currency has no valid ID: {bank_id!r}")
        code = _text(valute, "CharCode", what)
        if not _CODE.match(code):
            raise DocumentError(f"{what}: CharCode {code!r} is not an ISO code")
        what = f"{code} ({bank_id})"
        if code in seen or bank_id in seen:
            raise DocumentError(f"{what} appears twice in the document")
        seen.update((code, bank_id))
        num_code = _text(valute, "NumCode", what, required=False) or ""
        if num_code and not _NUM_CODE.match(num_code):
            raise DocumentError(f"{what}: NumCode {num_code!r} is not three digits")
        name = _check_name(_text(valute, "Name", what), what)
        nominal = parse_nominal(_text(valute, "Nominal", what), what)
        value = parse_number(_text(valute, "Value", what), f"{what}: Value")
        unit = _unit_value(value, nominal, _text(valute, "VunitRate", what, required=False), what)
        currency = CurrencyInfo(bank_id=bank_id, code=code, num_code=num_code, name=name)
        rates.append(ParsedRate(currency, day, nominal, value, unit))
    if not rates:
        raise DocumentError(f"the document for {day:%d.%m.%Y} has no rates")
    return RateDocument(kind="daily", rates=tuple(rates), date=day, source=source)


def parse_history(body: bytes, source: str = "") -> RateDocument:
    root = parse_xml(body)
    bank_id = (root.get("ID") or "").strip()
    if root.tag != "ValCurs" or root.get("DateRange1") is None:
        raise DocumentError(f"not a rate history document (root element <{root.tag}>)")
    if not _BANK_ID.match(bank_id):
        raise DocumentError(f"the history document has no valid currency ID: {bank_id!r}")
    currency = CurrencyInfo(bank_id=bank_id)
    rates, seen = [], set()
    for record in root.iter("Record"):
        day = parse_date(record.get("Date"), f"a {bank_id} record's Date")
        what = f"{bank_id} on {day:%d.%m.%Y}"
        if (record.get("Id") or bank_id) != bank_id:
            raise DocumentError(f"{what}: record of another currency {record.get('Id')!r}")
        if day in seen:
            raise DocumentError(f"{what} appears twice in the document")
        seen.add(day)
        nominal = parse_nominal(_text(record, "Nominal", what), what)
        value = parse_number(_text(record, "Value", what), f"{what}: Value")
        unit = _unit_value(value, nominal, _text(record, "VunitRate", what, required=False), what)
        rates.append(ParsedRate(currency, day, nominal, value, unit))
    return RateDocument(kind="history", rates=tuple(rates), source=source, extra={"bank_id": bank_id})


class CbrProvider(RateProvider):
    """The Bank of Russia (cbr.ru)."""

    name = "cbr"

    def __init__(self, transport=None, *, base_url: str = BASE_URL, **options):
        super().__init__(transport, **options)
        self.base_url = base_url

    def daily_url(self, day: date) -> str:
        return f"{self.base_url}XML_daily.asp?" + urlencode({"date_req": day.strftime("%d/%m/%Y")}, safe="/")

    def history_url(self, bank_id: str, start: date, end: date) -> str:
        query = {
            "date_req1": start.strftime("%d/%m/%Y"),
            "date_req2": end.strftime("%d/%m/%Y"),
            "VAL_NM_RQ": bank_id,
        }
        return f"{self.base_url}XML_dynamic.asp?" + urlencode(query, safe="/")

    def daily(self, day: date) -> RateDocument:
        url = self.daily_url(day)
        return parse_daily(self.fetch(url), source=url)

    def history(self, bank_id: str, start: date, end: date) -> RateDocument:
        url = self.history_url(bank_id, start, end)
        return parse_history(self.fetch(url), source=url)


def parse_document(body: bytes, source: str = "") -> RateDocument:
    """A saved document of either kind (for ``import_rates --file``)."""
    root = parse_xml(body)
    if root.get("DateRange1") is not None:
        return parse_history(body, source)
    return parse_daily(body, source)
