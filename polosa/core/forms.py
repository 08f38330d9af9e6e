"""Form fields for the query strings of reader-facing pages (?date=, ?section=, ?tag=).

A query parameter is a filter a reader may type or edit by hand, so these fields are strict (one
spelling of a day, ASCII slugs of a bounded length: never a NUL byte or a novel sent to the database)
and optional: an absent or empty parameter cleans to ``None`` or ``""``. What a page does with a value
that does not clean (a 404, or a note and no filter) is the page's choice; ``value_or_404`` is the
first.
"""

from __future__ import annotations

import re
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class DayField(forms.Field):
    """A day written YYYY-MM-DD within [min_year, max_year]; ``None`` when empty.

    Stricter than ``forms.DateField``: no other format, no time, no "2026-1-5".
    """

    default_error_messages = {"invalid": _("There is no such day: use the form YYYY-MM-DD.")}

    def __init__(self, *, min_year: int = 1900, max_year: int = 9000, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.min_year, self.max_year = min_year, max_year

    def to_python(self, value) -> date | None:
        value = (value or "").strip()
        if not value:
            return None
        try:
            if not _DAY.match(value):
                raise ValueError(value)
            day = date.fromisoformat(value)
            if not self.min_year <= day.year <= self.max_year:
                raise ValueError(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None
        return day


class SlugParamField(forms.Field):
    """An ASCII slug (letters, digits, "-", "_") of at most ``max_length`` characters; "" when empty."""

    default_error_messages = {"invalid": _("Use only Latin letters, digits, hyphens and underscores.")}

    def __init__(self, *, max_length: int = 255, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.pattern = re.compile(rf"^[-a-zA-Z0-9_]{{1,{max_length}}}$")

    def to_python(self, value) -> str:
        value = (value or "").strip()
        if value and not self.pattern.match(value):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return value


def value_or_404(form: forms.Form, name: str):
    """The cleaned value of one field of a bound form; Http404 with the field's message if it did not clean.

    Only the fields a view asks for count: a view that never reads ``?end=`` does not answer 404
    for a bad one.
    """
    errors = form.errors  # cleans the whole form once
    if name in errors:
        raise Http404(errors[name][0])
    return form.cleaned_data[name]
