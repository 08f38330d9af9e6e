from datetime import date

import pytest
from django import forms
from django.http import Http404
from django.utils import translation

from polosa.core.forms import DayField, SlugParamField, value_or_404


class QueryForm(forms.Form):
    date = DayField()
    since = DayField(min_year=1992)
    section = SlugParamField(max_length=10)


@pytest.mark.parametrize(
    ("raw", "day"),
    [("2026-11-25", date(2026, 11, 25)), (" 2026-02-28 ", date(2026, 2, 28)), ("", None), ("  ", None)],
)
def test_a_day_cleans_from_one_spelling_only(raw, day):
    form = QueryForm({"date": raw})
    assert form.is_valid()
    assert form.cleaned_data["date"] == day


def test_an_absent_parameter_is_no_filter():
    form = QueryForm({})
    assert form.is_valid()
    assert form.cleaned_data == {"date": None, "since": None, "section": ""}


@pytest.mark.parametrize(
    "raw",
    [
        "2026-13-01",
        "2026-02-30",
        "yesterday",
        "20261125",
        "2026-1-5",
        "2026-11-25T10:00",
        "2026-11-25\x00",
        "0001-01-01",
        "9999-12-31",
        "вчера",
    ],
)
def test_anything_else_is_not_a_day(raw):
    form = QueryForm({"date": raw})
    assert not form.is_valid()
    assert form.errors["date"] == ["Такого дня нет: укажите дату в виде ГГГГ-ММ-ДД."]


def test_the_years_are_bounded_per_field():
    form = QueryForm({"date": "1950-01-01", "since": "1950-01-01"})
    assert not form.is_valid()
    assert form.cleaned_data["date"] == date(1950, 1, 1)
    assert "since" in form.errors


@pytest.mark.parametrize("raw", ["sport", "ne-ws_2", " sport "])
def test_a_slug_cleans_stripped(raw):
    form = QueryForm({"section": raw})
    assert form.is_valid()
    assert form.cleaned_data["section"] == raw.strip()


@pytest.mark.parametrize("raw", ["\x00", "спорт", "a/b", "x" * 11, "two words"])
def test_a_slug_is_ascii_and_bounded(raw):
    form = QueryForm({"section": raw})
    assert not form.is_valid()
    assert form.errors["section"] == ["Допустимы только латинские буквы, цифры, дефис и подчёркивание."]


def test_value_or_404_answers_with_the_fields_message():
    form = QueryForm({"date": "2026-02-30", "section": "sport"})
    assert value_or_404(form, "section") == "sport"  # a bad ?date= does not spoil ?section=
    with pytest.raises(Http404) as raised:
        value_or_404(form, "date")
    assert str(raised.value) == "Такого дня нет: укажите дату в виде ГГГГ-ММ-ДД."
    with translation.override("en"), pytest.raises(Http404, match="There is no such day"):
        value_or_404(QueryForm({"date": "yesterday"}), "date")


def test_value_or_404_keeps_a_forms_own_message():
    class SectionForm(forms.Form):
        section = SlugParamField(error_messages={"invalid": "There is no such section."})

    with pytest.raises(Http404, match="There is no such section"):
        value_or_404(SectionForm({"section": "\x00"}), "section")
