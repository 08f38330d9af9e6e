"""The bank's documents with every quirk, and every kind of bad document."""

from datetime import date
from decimal import Decimal

import pytest

from polosa.rates import documents
from polosa.rates.providers import DocumentError
from polosa.rates.providers.cbr import parse_daily, parse_document, parse_history, parse_number

from .factories import fixture


def by_code(document):
    return {r.currency.code: r for r in document.rates}


def test_daily_document_is_read_from_windows_1251_with_comma_decimals():
    document = parse_daily(fixture("daily_2026-01-24.xml"))
    assert document.kind == "daily"
    assert document.date == date(2026, 1, 24)
    rates = by_code(document)
    assert set(rates) == {"AZN", "AMD", "BYN", "USD", "EUR", "CNY", "UZS", "JPY"}
    usd = rates["USD"]
    assert (usd.currency.bank_id, usd.currency.num_code, usd.currency.name) == ("R01235", "840", "Доллар США")
    assert usd.value == Decimal("75.9200")
    assert usd.nominal == 1
    assert usd.unit_value == Decimal("75.92")
    assert rates["EUR"].currency.name == "Евро"


def test_nominal_of_100_and_10000_keeps_the_published_value_and_stores_the_unit_rate():
    rates = by_code(parse_daily(fixture("daily_2026-01-24.xml")))
    jpy, uzs = rates["JPY"], rates["UZS"]
    assert (jpy.nominal, jpy.value, jpy.unit_value) == (100, Decimal("48.6133"), Decimal("0.486133"))
    assert (uzs.nominal, uzs.value, uzs.unit_value) == (10000, Decimal("63.1507"), Decimal("0.00631507"))
    assert isinstance(jpy.unit_value, Decimal)


def test_currency_ids_ending_in_a_letter_are_kept_as_strings():
    rates = by_code(parse_daily(fixture("daily_2026-01-24.xml")))
    assert rates["AZN"].currency.bank_id == "R01020A"
    assert rates["BYN"].currency.bank_id == "R01090B"


def test_indented_document_with_line_breaks_is_read_the_same():
    document = parse_daily(fixture("daily_2026-01-27.xml"))
    assert document.date == date(2026, 1, 27)
    assert by_code(document)["USD"].value == Decimal("75.81")


def test_old_history_without_vunitrate_computes_the_unit_rate():
    document = parse_history(fixture("history_R01235_2001.xml"))
    assert document.kind == "history"
    assert document.extra["bank_id"] == "R01235"
    assert [r.date for r in document.rates][:3] == [date(2001, 3, 2), date(2001, 3, 3), date(2001, 3, 6)]
    assert document.rates[0].value == Decimal("28.62")
    assert document.rates[0].unit_value == Decimal("28.62")
    assert all(r.currency.code == "" for r in document.rates)


def test_history_with_nominal_100_and_vunitrate():
    document = parse_history(fixture("history_R01820_2026.xml"))
    assert len(document.rates) == 6
    assert document.rates[-1].nominal == 100
    assert document.rates[-1].unit_value == Decimal("0.489904")


def test_parse_document_tells_daily_from_history():
    assert parse_document(fixture("daily_2026-01-24.xml")).kind == "daily"
    assert parse_document(fixture("history_R01235_2001.xml")).kind == "history"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("error_page.asp", "HTML page"),
        ("truncated.xml", "malformed or truncated"),
        ("bomb.xml", "forbidden XML constructs"),
        ("utf8_bytes_declared_cp1251.xml", "wrong encoding"),
        ("negative_value.xml", "zero or negative"),
        ("zero_value.xml", "zero or negative"),
    ],
)
def test_bad_documents_are_refused_with_a_clear_message(name, message):
    with pytest.raises(DocumentError, match=message):
        parse_daily(fixture(name))


def test_windows_1251_bytes_declared_as_utf8_are_refused():
    body = fixture("daily_2026-01-24.xml").replace(b'encoding="windows-1251"', b'encoding="utf-8"')
    with pytest.raises(DocumentError, match="wrong encoding"):
        parse_daily(body)


def test_an_unexpected_declared_encoding_is_refused():
    body = fixture("daily_2026-01-24.xml").replace(b'encoding="windows-1251"', b'encoding="koi8-r"')
    with pytest.raises(DocumentError, match="unexpected encoding"):
        parse_daily(body)


@pytest.mark.parametrize(
    ("before", "after", "message"),
    [
        (b"<Value>75,9200</Value>", b"<Value>75.9200</Value>", "decimal comma"),
        (b"<Value>75,9200</Value>", b"<Value></Value>", "has no Value"),
        (b"<Nominal>100</Nominal>", b"<Nominal>0</Nominal>", "nominal"),
        (b"<VunitRate>75,92</VunitRate>", b"<VunitRate>76,92</VunitRate>", "does not match"),
        (b'Date="24.01.2026"', b'Date="2026-01-24"', "dd.mm.yyyy"),
        (b'ID="R01235"', b'ID="840"', "valid ID"),
        (b"<CharCode>EUR</CharCode>", b"<CharCode>USD</CharCode>", "twice"),
    ],
)
def test_broken_fields_are_refused(before, after, message):
    body = fixture("daily_2026-01-24.xml")
    assert before in body
    with pytest.raises(DocumentError, match=message):
        parse_daily(body.replace(before, after, 1))


def test_an_empty_daily_document_is_refused():
    body = (
        b'<?xml version="1.0" encoding="windows-1251"?>'
        b'<ValCurs Date="24.01.2026" name="Foreign Currency Market"></ValCurs>'
    )
    with pytest.raises(DocumentError, match="no rates"):
        parse_daily(body)


def test_a_history_document_is_not_taken_for_a_daily_one():
    with pytest.raises(DocumentError, match="not a daily rates document"):
        parse_daily(fixture("history_R01235_2001.xml"))


def test_numbers_are_read_exactly():
    assert parse_number("0,00631507", "x") == Decimal("0.00631507")
    with pytest.raises(DocumentError):
        parse_number("1e5", "x")


def test_the_documents_writer_produces_what_the_parser_reads():
    listing = documents.LISTINGS[-1]  # JPY, nominal 100
    body = documents.daily_xml(date(2026, 1, 24), [(listing, Decimal("48.6133"))])
    assert body.startswith(b'<?xml version="1.0" encoding="windows-1251"?>')
    rate = parse_daily(body).rates[0]
    assert (rate.currency.code, rate.nominal, rate.value, rate.unit_value) == (
        "JPY",
        100,
        Decimal("48.6133"),
        Decimal("0.486133"),
    )
